// One coordinator of the reference cluster: a Raft member with durable state,
// the replicated key-value store, and its HTTP API.
//
// Threads: the HTTP server's workers (client and peer requests), one tick
// thread (timers), one sender thread per peer. All Raft and state-machine
// state is guarded by one mutex; durable writes (fsync) happen under it before
// any message that depends on them leaves, which is what Raft requires.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cluster/coordinator/config.hpp"
#include "cluster/coordinator/peer_link.hpp"
#include "cluster/http/server.hpp"
#include "cluster/raft/raft.hpp"
#include "cluster/store/file_storage.hpp"
#include "cluster/store/kv_state_machine.hpp"

namespace faultline::coordinator {

// How a replicated client operation ended.
enum class Outcome {
  ok,          // committed and applied
  not_leader,  // refused before anything was proposed: certainly not applied
  lost,        // another entry was committed at its index: certainly not applied
  timeout,     // not known to be committed by the deadline: may still be applied
};

struct OpResult {
  Outcome outcome = Outcome::not_leader;
  std::string result;  // the state machine's JSON result when ok
  std::uint64_t index = 0;
};

class Coordinator {
 public:
  explicit Coordinator(Config config);
  ~Coordinator();

  // Recovers durable state, binds the HTTP port and starts the threads.
  // Returns false with `error` set when it cannot (corrupt data, port taken).
  bool start(std::string& error);
  void stop();

  // Proposes `command` and waits until it is applied or `timeout` passes.
  OpResult replicate(const std::string& command, std::chrono::milliseconds timeout);
  // A linearizable read of several keys: a barrier entry goes through the log,
  // then the keys are read from the state applied up to it.
  std::optional<std::map<std::string, std::optional<std::string>>> read_keys(
      const std::vector<std::string>& keys, std::chrono::milliseconds timeout, OpResult& status);
  // The key as this member has applied it, with no barrier: on a follower, or
  // on a leader that was deposed without knowing it, the value may be stale.
  // Only the unsafe stale_reads mode serves it to clients.
  std::optional<std::string> read_local(const std::string& key);

  // Snapshots for the status endpoints (JSON text).
  std::string raft_status_json();
  std::string cluster_status_json();
  std::string leader_hint_json(const std::string& error);
  void receive_messages(const std::string& body);

 private:
  static std::int64_t now_ms();
  void tick_loop();
  void handle_ready_locked();  // requires mu_
  // Snapshots the key-value state and compacts the log once more than
  // kCompactAfterEntries entries follow the log's base. Requires mu_.
  void maybe_compact_locked();
  static constexpr std::uint64_t kCompactAfterEntries = 10'000;
  void install_routes();

  // Constant after construction.
  const Config config_;

  std::mutex mu_;
  std::condition_variable applied_cv_;
  std::unique_ptr<raft::Node> node_;               // guarded by mu_
  std::unique_ptr<store::FileStorage> storage_;    // guarded by mu_
  store::KvStateMachine kv_;                       // guarded by mu_
  std::uint64_t applied_index_ = 0;                // guarded by mu_
  // Proposals a client waits on, by log index. Only these keep results, so
  // the map stays as small as the number of requests in flight.
  struct Pending {
    std::uint64_t term = 0;
    bool applied = false;
    bool same_term = false;  // the entry applied at this index was ours
    std::string result;
  };
  std::map<std::uint64_t, std::shared_ptr<Pending>> pending_;  // guarded by mu_

  std::map<std::uint32_t, std::unique_ptr<PeerLink>> peers_;  // constant after start
  http::Server server_;
  std::atomic<bool> stopping_{false};
  std::thread ticker_;
};

// Runs a coordinator until SIGINT or SIGTERM. Returns the process exit code
// (0 after a clean stop, 3 when it cannot start).
int run_coordinator(const std::string& config_file);

}  // namespace faultline::coordinator
