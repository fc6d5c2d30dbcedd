// The drill's client workload: `clients` threads issuing puts (and gets, by
// read_ratio) at a total target rate, bounded in count (max_ops) and in time
// (duration), each operation journaled as op.invoke / op.complete. With
// sessions, a share (call_ratio) of the operations are routed calls
// (journaled as call.invoke / call.complete with the worker that served
// them); each session belongs to one client, so its calls are sequential.
//
// Each thread has its own client from the target (targets::KvClient), which
// follows the one rule for reaching a cluster (drills/targets/leader_client.hpp):
// only a put answered as done is `ok`, i.e. acknowledged.
//
// With spread_reads (the embedded cluster's unsafe stale_reads mode), each
// get starts on a member chosen by the client's seeded generator, leader or
// not, so that stale answers from lagging members show up in the history.
//
// Thread-safety: start/stop/join from one thread; acknowledged_keys() after
// join(); busiest_worker() and progress() from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "drills/journal/journal.hpp"
#include "drills/targets/target.hpp"

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
  std::string source_address; // where the clients' traffic leaves from
};

// Running totals for the live console.
struct WorkloadProgress {
  std::int64_t completed = 0;
  std::int64_t ok = 0;
};

class Workload {
 public:
  Workload(WorkloadOptions options, targets::Target& target, journal::JournalWriter& journal);
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
  WorkloadProgress progress() const { return {completed_.load(), ok_.load()}; }

 private:
  void client_loop(int client);
  void kv_operation(targets::KvClient& kv, int client, std::int64_t op, std::mt19937_64& rng);
  void routed_call(targets::KvClient& kv, int client, std::int64_t op, const std::string& session);

  // Constant after construction.
  const WorkloadOptions options_;
  targets::Target& target_;
  journal::JournalWriter& journal_;
  const std::size_t voters_;

  std::atomic<std::int64_t> next_op_{0};
  std::atomic<bool> stopping_{false};
  std::atomic<int> running_clients_{0};
  std::atomic<std::int64_t> completed_{0};
  std::atomic<std::int64_t> ok_{0};
  std::vector<std::thread> threads_;

  mutable std::mutex mu_;
  std::vector<std::string> acknowledged_keys_;         // guarded by mu_
  std::map<std::string, std::string> session_worker_;  // guarded by mu_
};

}  // namespace faultline::runner
