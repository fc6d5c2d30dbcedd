#include "drills/runner/workload.hpp"

#include <algorithm>
#include <chrono>
#include <random>
#include <map>
#include <set>

#include "cluster/http/client.hpp"

namespace faultline::runner {

using Json = journal::Json;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr auto kRetryBackoff = std::chrono::milliseconds(15);
constexpr auto kStopPoll = std::chrono::milliseconds(20);

}  // namespace

Workload::Workload(WorkloadOptions options, std::vector<std::string> member_urls,
                   std::vector<std::string> member_ids, journal::JournalWriter& journal)
    : options_(options), urls_(std::move(member_urls)), ids_(std::move(member_ids)),
      journal_(journal) {}

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

Workload::Attempt Workload::send(http::Client& http, const std::string& method,
                                 const std::string& path, const std::string& body,
                                 std::size_t& at, SteadyClock::time_point deadline,
                                 std::span<const int> also_retry) const {
  Attempt outcome{"fail", "", "no member accepted the operation before its deadline", {}};
  while (true) {
    const auto remaining =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now()).count();
    if (remaining <= 0) return outcome;
    const std::string url = urls_[at] + path + "?timeout_ms=" + std::to_string(std::max<long>(1, remaining - 20));
    const auto response = http.request(method, url, body, static_cast<long>(remaining));
    outcome.member = ids_[at];
    if (response.ok() && response.status == 200) {
      outcome.result = "ok";
      outcome.body = Json::parse(response.body, nullptr, false);
      return outcome;
    }
    // Retried: answers that certainly did nothing (refused, 421 not leader,
    // 503 superseded, and what the caller names). A timeout after sending
    // ends as unknown.
    const bool definite =
        response.transport == http::ClientResponse::Transport::refused ||
        (response.ok() && (response.status == 421 || response.status == 503 ||
                           std::find(also_retry.begin(), also_retry.end(), response.status) != also_retry.end())) ||
        (!response.ok() && !response.maybe_sent);
    outcome.error = response.ok() ? "HTTP " + std::to_string(response.status) : response.error;
    if (!definite) {
      // Not retried (it may have taken effect), but the next operation tries
      // the next member: a member that stopped answering (paused, hung) must
      // not hold every later operation of this client until it wakes up.
      outcome.result = "unknown";
      at = (at + 1) % urls_.size();
      return outcome;
    }
    // Follow the leader hint if there is one, else try the next member.
    std::size_t next = (at + 1) % urls_.size();
    if (response.ok()) {
      const Json hint = Json::parse(response.body, nullptr, false);
      if (hint.is_object() && hint.contains("leader") && hint["leader"].is_string()) {
        const auto hinted = std::find(ids_.begin(), ids_.end(), hint["leader"].get<std::string>());
        if (hinted != ids_.end() && static_cast<std::size_t>(hinted - ids_.begin()) != at) {
          next = static_cast<std::size_t>(hinted - ids_.begin());
        }
      }
    }
    at = next;
    std::this_thread::sleep_for(kRetryBackoff);
  }
}

void Workload::routed_call(http::Client& http, int client, std::int64_t op,
                           const std::string& session, std::size_t& target) {
  journal_.write("call.invoke", Json{{"call", op}, {"client", client}, {"session", session}});
  const auto deadline = SteadyClock::now() + std::chrono::milliseconds(options_.op_timeout_ms);
  const std::string body = Json{{"session", session}, {"call", std::to_string(op)}}.dump();
  // 504: the new pin was not committed in time, and 502: the newly chosen
  // worker failed the call; the router gives up on the call in both, so a
  // retry routes it again.
  static constexpr int kRoutedRetry[] = {502, 504};
  const Attempt outcome = send(http, "POST", "/api/calls", body, target, deadline, kRoutedRetry);
  Json complete{{"call", op}, {"client", client}, {"session", session}, {"result", outcome.result},
                {"coordinator", outcome.member}};
  std::string worker;
  if (outcome.result == "ok" && outcome.body.is_object()) {
    worker = outcome.body.value("worker", "");
    complete["moved_from"] = outcome.body.value("moved_from", Json(nullptr));
    complete["cause"] = outcome.body.value("cause", Json(nullptr));
  }
  complete["worker"] = worker.empty() ? Json(nullptr) : Json(worker);
  if (outcome.result != "ok") complete["error"] = outcome.error;
  journal_.write("call.complete", complete);

  if (worker.empty()) return;
  std::lock_guard lock(mu_);
  session_worker_[session] = worker;
}

void Workload::kv_operation(http::Client& http, int client, std::int64_t op, std::mt19937_64& rng,
                            std::size_t& target) {
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  const bool is_read = coin(rng) < options_.read_ratio;
  const std::string key =
      options_.keys == 0 ? "k" + std::to_string(op)
                         : "k" + std::to_string(rng() % static_cast<std::uint64_t>(options_.keys));
  const std::string value = "v" + std::to_string(op);
  Json invoke{{"op", op}, {"client", client}, {"f", is_read ? "get" : "put"}, {"key", key}};
  if (!is_read) invoke["value"] = value;
  journal_.write("op.invoke", invoke);

  // A spread read starts on a random member and leaves `target` (the
  // believed leader, which puts need) alone.
  std::size_t read_target = target;
  if (is_read && options_.spread_reads) read_target = static_cast<std::size_t>(rng() % urls_.size());
  std::size_t& at = is_read && options_.spread_reads ? read_target : target;
  const auto deadline = SteadyClock::now() + std::chrono::milliseconds(options_.op_timeout_ms);
  const Attempt outcome = send(http, is_read ? "GET" : "PUT", "/api/kv/" + key, is_read ? "" : value, at, deadline);

  Json complete{{"op", op},         {"client", client},         {"f", is_read ? "get" : "put"},
                {"key", key},       {"result", outcome.result}, {"member", outcome.member}};
  if (is_read) {
    complete["value"] = outcome.result == "ok" && outcome.body.is_object()
                            ? outcome.body.value("value", Json(nullptr))
                            : Json(nullptr);
  } else {
    complete["value"] = value;
  }
  if (outcome.result != "ok") complete["error"] = outcome.error;
  journal_.write("op.complete", complete);

  if (outcome.result != "ok" || is_read) return;
  std::lock_guard lock(mu_);
  acknowledged_keys_.push_back(key);
}

void Workload::client_loop(int client) {
  http::Client http;
  std::mt19937_64 rng(options_.seed * 7919u + static_cast<std::uint64_t>(client));
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  const auto start = SteadyClock::now();
  const auto end = start + std::chrono::milliseconds(options_.duration_ms);
  // Each client takes an equal share of the rate; clients start staggered so
  // their operations interleave instead of arriving in bursts.
  const auto interval = std::chrono::duration_cast<SteadyClock::duration>(
      std::chrono::duration<double>(static_cast<double>(options_.clients) / options_.rate_per_s));
  auto due = start + interval * client / options_.clients;
  std::size_t target = static_cast<std::size_t>(client) % urls_.size();
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
      routed_call(http, client, op, sessions[rng() % sessions.size()], target);
    } else {
      kv_operation(http, client, op, rng, target);
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
