// The drill's client workload: `clients` threads issuing puts (and gets, by
// read_ratio) at a total target rate, bounded in count (max_ops) and in time
// (duration), each operation journaled as op.invoke / op.complete.
//
// An operation is tried against the member believed to lead; a refusal that
// certainly did nothing (connection refused, 421 not leader, 503 superseded)
// is retried on the leader named in the answer or on the next member until the
// operation's deadline. An answer that may have been applied (504, a timeout
// after connecting) ends the operation as `unknown`. Only a put answered 200
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
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "drills/journal/journal.hpp"

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
};

struct WorkloadCounts {
  std::int64_t ok = 0, fail = 0, unknown = 0;
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
  WorkloadCounts counts() const;

 private:
  void client_loop(int client);

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
  WorkloadCounts counts_;                       // guarded by mu_
};

}  // namespace faultline::runner
