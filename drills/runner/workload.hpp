// The drill's client workload: `clients` threads issuing puts (and gets, by
// read_ratio) at a total target rate, bounded in count (max_ops) and in time
// (duration), each operation journaled as op.invoke / op.complete. With
// sessions, a share (call_ratio) of the operations are routed calls
// (POST /api/calls, journaled as call.invoke / call.complete with the worker
// that served them); each session belongs to one client, so its calls are
// sequential.
//
// An operation is tried against the member believed to lead; a refusal that
// certainly did nothing (connection refused, 421 not leader, 503 superseded)
// is retried on the leader named in the answer or on the next member until the
// operation's deadline. An answer that may have been applied (504, a timeout
// after connecting) ends the operation as `unknown`, and the client's next
// operation starts on the next member. Only a put answered 200
// is `ok`, i.e. acknowledged.
//
// With spread_reads (the cluster's unsafe stale_reads mode), each get goes
// first to a member chosen by the client's seeded generator, leader or not,
// so that stale answers from lagging members show up in the history; puts
// still go to the leader.
//
// Thread-safety: start/stop/join from one thread; acknowledged() after join().
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "drills/journal/journal.hpp"

namespace faultline::http {
class Client;
}

namespace faultline::runner {

struct WorkloadOptions {
  int clients = 4;
  double rate_per_s = 200;
  std::int64_t max_ops = 4000;
  std::int64_t duration_ms = 8000;
  std::int64_t keys = 0;  // 0: every put to a fresh key
  std::int64_t op_timeout_ms = 1000;
  double read_ratio = 0;
  std::uint64_t seed = 1;
  bool spread_reads = false;  // gets start on a random member, not the leader
  std::int64_t sessions = 0;  // routed-call sessions s1..sN
  double call_ratio = 1;      // share of operations that are routed calls
};

class Workload {
 public:
  Workload(WorkloadOptions options, std::vector<std::string> member_urls,
           std::vector<std::string> member_ids, journal::JournalWriter& journal);
  ~Workload();

  void start();
  void stop();  // asks clients to finish their current operation and return
  void join();
  bool finished() const { return running_clients_.load() == 0; }

  // Keys with at least one acknowledged put (valid after join()).
  std::vector<std::string> acknowledged_keys() const;
  // The worker that served the last ok call of the most sessions: the one
  // whose failure moves the most sessions. Nullopt before any call succeeded.
  std::optional<std::string> busiest_worker() const;

 private:
  struct Attempt {
    std::string result;  // ok, fail, unknown
    std::string member;  // the coordinator that gave the last answer
    std::string error;
    journal::Json body;  // the 200 answer, parsed
  };
  void client_loop(int client);
  // Sends one request to the believed leader `at`, retrying answers that
  // certainly did nothing on the leader named in them (or the next member)
  // until `deadline`; moves `at` along. `also_retry`: statuses that, for
  // this endpoint, also say the operation did not happen.
  Attempt send(http::Client& http, const std::string& method, const std::string& path,
               const std::string& body, std::size_t& at,
               std::chrono::steady_clock::time_point deadline, std::span<const int> also_retry = {}) const;
  void kv_operation(http::Client& http, int client, std::int64_t op, std::mt19937_64& rng,
                    std::size_t& target);
  void routed_call(http::Client& http, int client, std::int64_t op, const std::string& session,
                   std::size_t& target);

  // Constant after construction.
  const WorkloadOptions options_;
  const std::vector<std::string> urls_;
  const std::vector<std::string> ids_;
  journal::JournalWriter& journal_;

  std::atomic<std::int64_t> next_op_{0};
  std::atomic<bool> stopping_{false};
  std::atomic<int> running_clients_{0};
  std::vector<std::thread> threads_;

  mutable std::mutex mu_;
  std::vector<std::string> acknowledged_keys_;  // guarded by mu_
  std::map<std::string, std::string> session_worker_;  // guarded by mu_
};

}  // namespace faultline::runner
