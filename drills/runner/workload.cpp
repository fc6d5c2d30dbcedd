#include "drills/runner/workload.hpp"

#include <algorithm>
#include <chrono>
#include <random>
#include <set>

#include "cluster/http/client.hpp"

namespace faultline::runner {

using Json = journal::Json;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr auto kRetryBackoff = std::chrono::milliseconds(15);
constexpr auto kStopPoll = std::chrono::milliseconds(20);

struct Attempt {
  std::string result;  // ok, fail, unknown
  std::string member;
  std::string error;
  Json value;  // for gets: the value read
};

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

WorkloadCounts Workload::counts() const {
  std::lock_guard lock(mu_);
  return counts_;
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

  while (!stopping_) {
    // Wait for the next slot in small steps so stop() is honoured promptly.
    while (!stopping_ && SteadyClock::now() < due) {
      std::this_thread::sleep_until(std::min(due, SteadyClock::now() + kStopPoll));
    }
    if (stopping_ || SteadyClock::now() >= end) break;
    const std::int64_t op = next_op_.fetch_add(1);
    if (op >= options_.max_ops) break;
    due = std::max(due + interval, SteadyClock::now());

    const bool is_read = coin(rng) < options_.read_ratio;
    const std::string key =
        options_.keys == 0
            ? "k" + std::to_string(op)
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
    Attempt outcome{"fail", "", "no member accepted the operation before its deadline", nullptr};
    bool ambiguous = false;
    while (true) {
      const auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 deadline - SteadyClock::now()).count();
      if (remaining <= 0) break;
      const std::string url = urls_[at] + "/api/kv/" + key +
                              "?timeout_ms=" + std::to_string(std::max<long>(1, remaining - 20));
      const auto response = http.request(is_read ? "GET" : "PUT", url, is_read ? "" : value,
                                         static_cast<long>(remaining));
      outcome.member = ids_[at];
      if (response.ok() && response.status == 200) {
        outcome.result = "ok";
        if (is_read) {
          const Json body = Json::parse(response.body, nullptr, false);
          outcome.value = body.is_object() ? body.value("value", Json(nullptr)) : Json(nullptr);
        }
        break;
      }
      const bool definite = response.transport == http::ClientResponse::Transport::refused ||
                            (response.ok() && (response.status == 421 || response.status == 503)) ||
                            (!response.ok() && !response.maybe_sent);
      outcome.error = response.ok() ? "HTTP " + std::to_string(response.status) : response.error;
      if (!definite) {
        ambiguous = true;
        break;
      }
      // Follow the leader hint if there is one, else try the next member.
      std::size_t next = (at + 1) % urls_.size();
      if (response.ok()) {
        const Json body = Json::parse(response.body, nullptr, false);
        if (body.is_object() && body.contains("leader") && body["leader"].is_string()) {
          const auto hinted = std::find(ids_.begin(), ids_.end(), body["leader"].get<std::string>());
          if (hinted != ids_.end() && static_cast<std::size_t>(hinted - ids_.begin()) != at) {
            next = static_cast<std::size_t>(hinted - ids_.begin());
          }
        }
      }
      at = next;
      std::this_thread::sleep_for(kRetryBackoff);
    }
    if (ambiguous) outcome.result = "unknown";

    Json complete{{"op", op},         {"client", client},         {"f", is_read ? "get" : "put"},
                  {"key", key},       {"result", outcome.result}, {"member", outcome.member}};
    complete["value"] = is_read ? outcome.value : Json(value);
    if (outcome.result != "ok") complete["error"] = outcome.error;
    journal_.write("op.complete", complete);

    std::lock_guard lock(mu_);
    if (outcome.result == "ok") {
      ++counts_.ok;
      if (!is_read) acknowledged_keys_.push_back(key);
    } else if (outcome.result == "fail") {
      ++counts_.fail;
    } else {
      ++counts_.unknown;
    }
  }
  --running_clients_;
}

}  // namespace faultline::runner
