#include "drills/runner/workload.hpp"

#include <algorithm>
#include <set>

namespace faultline::runner {

using Json = journal::Json;
using SteadyClock = std::chrono::steady_clock;

namespace {
constexpr auto kStopPoll = std::chrono::milliseconds(20);
}  // namespace

Workload::Workload(WorkloadOptions options, targets::Target& target, journal::JournalWriter& journal)
    : options_(std::move(options)), target_(target), journal_(journal), voters_(target.voters().size()) {}

Workload::~Workload() {
  stop();
  join();
}

void Workload::start() {
  running_clients_ = options_.clients;
  for (int c = 0; c < options_.clients; ++c) {
    threads_.emplace_back([this, c] { client_loop(c); });
  }
}

void Workload::stop() { stopping_ = true; }

void Workload::join() {
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

std::vector<std::string> Workload::acknowledged_keys() const {
  std::lock_guard lock(mu_);
  std::set<std::string> unique(acknowledged_keys_.begin(), acknowledged_keys_.end());
  return {unique.begin(), unique.end()};
}

void Workload::routed_call(targets::KvClient& kv, int client, std::int64_t op, const std::string& session) {
  journal_.write("call.invoke", Json{{"call", op}, {"client", client}, {"session", session}});
  const auto deadline = SteadyClock::now() + std::chrono::milliseconds(options_.op_timeout_ms);
  const targets::OpAttempt outcome = kv.call(session, std::to_string(op), deadline);
  Json complete{{"call", op}, {"client", client}, {"session", session}, {"result", outcome.result},
                {"coordinator", outcome.member}};
  if (outcome.result == "ok") {
    complete["moved_from"] = outcome.moved_from;
    if (outcome.reinitialized) complete["reinitialized"] = true;
    complete["cause"] = outcome.cause;
  }
  complete["worker"] = outcome.worker.empty() ? Json(nullptr) : Json(outcome.worker);
  if (outcome.result != "ok") complete["error"] = outcome.error;
  journal_.write("call.complete", complete);
  ++completed_;
  if (outcome.result == "ok") ++ok_;
  std::lock_guard lock(mu_);
  if (!outcome.worker.empty()) session_worker_[session] = outcome.worker;
}

void Workload::kv_operation(targets::KvClient& kv, int client, std::int64_t op, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  const bool is_read = coin(rng) < options_.read_ratio;
  const std::string key =
      options_.keys == 0 ? "k" + std::to_string(op)
                         : "k" + std::to_string(rng() % static_cast<std::uint64_t>(options_.keys));
  const std::string value = "v" + std::to_string(op);
  Json invoke{{"op", op}, {"client", client}, {"f", is_read ? "get" : "put"}, {"key", key}};
  if (!is_read) invoke["value"] = value;
  journal_.write("op.invoke", invoke);

  const auto deadline = SteadyClock::now() + std::chrono::milliseconds(options_.op_timeout_ms);
  std::optional<std::size_t> anywhere;
  if (is_read && options_.spread_reads && voters_ > 0) anywhere = static_cast<std::size_t>(rng() % voters_);
  const targets::OpAttempt outcome = is_read ? kv.get(key, deadline, anywhere) : kv.put(key, value, deadline);

  Json complete{{"op", op},         {"client", client},         {"f", is_read ? "get" : "put"},
                {"key", key},       {"result", outcome.result}, {"member", outcome.member}};
  complete["value"] = is_read ? (outcome.result == "ok" ? outcome.value : Json(nullptr)) : Json(value);
  if (outcome.result != "ok") complete["error"] = outcome.error;
  journal_.write("op.complete", complete);
  ++completed_;
  if (outcome.result == "ok") ++ok_;
  if (outcome.result == "ok" && !is_read) {
    std::lock_guard lock(mu_);
    acknowledged_keys_.push_back(key);
  }
}

void Workload::client_loop(int client) {
  const auto kv = target_.make_client(static_cast<std::size_t>(client), options_.source_address);
  std::mt19937_64 rng(options_.seed * 7919u + static_cast<std::uint64_t>(client));
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  const auto start = SteadyClock::now();
  const auto end = start + std::chrono::milliseconds(options_.duration_ms);
  // Each client takes an equal share of the rate; clients start staggered so
  // their operations interleave instead of arriving in bursts.
  const auto interval = std::chrono::duration_cast<SteadyClock::duration>(
      std::chrono::duration<double>(static_cast<double>(options_.clients) / options_.rate_per_s));
  auto due = start + interval * client / options_.clients;
  // The sessions this client owns: s(i+1) for i = client, client + clients, ...
  // One owner a session keeps each session's calls in order.
  std::vector<std::string> sessions;
  for (std::int64_t i = client; i < options_.sessions; i += options_.clients) {
    sessions.push_back("s" + std::to_string(i + 1));
  }

  while (!stopping_) {
    // Wait for the next slot in small steps so stop() is honoured promptly.
    while (!stopping_ && SteadyClock::now() < due) {
      std::this_thread::sleep_until(std::min(due, SteadyClock::now() + kStopPoll));
    }
    if (stopping_ || SteadyClock::now() >= end) break;
    const std::int64_t op = next_op_.fetch_add(1);
    if (op >= options_.max_ops) break;
    due = std::max(due + interval, SteadyClock::now());
    if (!sessions.empty() && coin(rng) < options_.call_ratio) {
      routed_call(*kv, client, op, sessions[rng() % sessions.size()]);
    } else {
      kv_operation(*kv, client, op, rng);
    }
  }
  --running_clients_;
}

std::optional<std::string> Workload::busiest_worker() const {
  std::lock_guard lock(mu_);
  std::map<std::string, std::size_t> pinned;
  for (const auto& [session, worker] : session_worker_) ++pinned[worker];
  std::optional<std::string> best;
  std::size_t most = 0;
  for (const auto& [worker, count] : pinned) {
    if (count > most) {
      best = worker;
      most = count;
    }
  }
  return best;
}

}  // namespace faultline::runner
