// One coordinator of the reference cluster: a Raft member with durable state,
// the replicated key-value store, and its HTTP API.
//
// Seams: every timer reads the clock passed in, through a SkewedClock that
// the admin endpoint can skew (admin.cpp: offset, jump, drift), and every
// fsync goes through a SyncFailpoint that it can slow, fail or make lie
// (cluster/store/sync_failpoint.hpp). Both are off unless asked.
//
// Threads: the HTTP server's workers (client and worker requests), one tick
// thread (timers), one ready thread that carries out the Raft node's Readies
// (persist, send, apply), one sender thread per peer (raft_link.hpp), and on
// the Raft port an acceptor and one reader per inbound peer stream
// (raft_listener.hpp). All Raft and state-machine state is guarded by one
// mutex. The ready thread writes and
// fsyncs with the mutex released, so proposals and peer messages that arrive
// meanwhile share the next fsync; it alone touches the storage, and it sends a
// Ready's messages only after that Ready is durable, which is what Raft requires.
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
#include <utility>
#include <vector>

#include "cluster/coordinator/config.hpp"
#include "cluster/coordinator/raft_link.hpp"
#include "cluster/coordinator/raft_listener.hpp"
#include "cluster/http/client.hpp"
#include "cluster/http/server.hpp"
#include "cluster/raft/raft.hpp"
#include "cluster/store/file_storage.hpp"
#include "cluster/store/kv_state_machine.hpp"
#include "cluster/store/sync_failpoint.hpp"
#include "cluster/util/clock.hpp"

namespace faultline::coordinator {

// How a replicated client operation ended.
enum class Outcome {
  ok,          // committed and applied, or acknowledged early (OpResult::committed)
  not_leader,  // refused before anything was proposed: certainly not applied
  lost,        // another entry was committed at its index: certainly not applied
  timeout,     // not known to be committed by the deadline: may still be applied
};

class McpRouter;

struct OpResult {
  Outcome outcome = Outcome::not_leader;
  std::string result;  // the state machine's JSON result when ok and applied
  std::uint64_t index = 0;
  // False when ok came before commit (semi-sync, async): the entry may
  // still be lost. Acknowledged early, `result` is empty.
  bool committed = true;
};

class Coordinator {
 public:
  // The MCP front end (mcp_router.hpp) proposes pins, reads the applied
  // state and the leader through the members below.
  friend class McpRouter;

  // `clock`: the true time the member's own clock is derived from (tests
  // pass a util::ManualClock); it must outlive the coordinator.
  explicit Coordinator(Config config, const util::Clock& clock = util::monotonic_clock());
  ~Coordinator();

  // Recovers durable state, binds the Raft and HTTP ports and starts the
  // threads. Returns false with `error` set when it cannot (corrupt data,
  // port taken).
  bool start(std::string& error);
  void stop();
  // The addresses bound by start(): "10.77.0.11:7000 raft 10.77.0.11:7100".
  std::string listening() const;

  // Proposes `command` and waits until it is applied or `timeout` passes;
  // with `ack` semi_sync or async, only until ack_policy.hpp acknowledges it
  // (the client's key-value writes; barriers and pins always wait for apply).
  OpResult replicate(const std::string& command, std::chrono::milliseconds timeout,
                     settings::Replication ack = settings::Replication::sync);
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
  std::string leader_hint_json(const std::string& error);
  std::string leader_hint_json_locked(const std::string& error);  // requires mu_
  // The failpoints' state (admin.cpp), as GET /admin/failpoints answers it.
  std::string failpoints_json();

  // auth.cpp. The 401 answer (and a log line naming the peer) for a request
  // without the cluster token (systemConfig.cluster.token) or with another,
  // nullopt when it may go on; `what` names the endpoint in the log line.
  // Always nullopt when the member has no token.
  std::optional<http::Response> refuse_without_cluster_token(const http::Request& request, const char* what) const;
  // The same for the admin token (systemConfig.cluster.adminToken).
  std::optional<http::Response> refuse_without_admin_token(const http::Request& request, const char* what) const;
  // The headers that carry the cluster token on a request to another member.
  http::Headers cluster_auth_headers() const;

 private:
  // Requires mu_, after every call into node_ with the time `now`: keeps
  // the true instant of the current role (role_since_mono_ns reports it,
  // so a skewed member is placed on the runner's timeline where it was).
  void note_role_locked(const util::ClockReading& now);
  // Requires mu_: a batch from a peer, for the leader contact figures.
  void note_leader_contact_locked(const std::vector<raft::Message>& batch,
                                  const util::ClockReading& now);
  // Steps the node with a batch read from one peer stream (reader threads).
  void receive_messages(std::vector<raft::Message>& batch);
  // leader_gone.cpp (a reader thread, as its stream ends): `peer` closed or
  // reset its stream to this member. If it is the leader this member
  // follows, its Raft port is probed; a refused connection means nothing
  // listens there any more (the process is gone), and the node campaigns at
  // its next tick (raft::Node::peer_gone) instead of after its election
  // timeout. A paused leader or one cut off by a dropping partition closes
  // nothing, so its followers wait for their timers as before.
  void peer_stream_closed(std::uint32_t peer);
  void tick_loop();
  // The one thread that carries out Readies: waits for work on ready_cv_.
  void ready_loop();
  // Takes the node's Ready and carries it out (persist and send with `lock`
  // released, then apply under it). `lock` holds mu_ on entry and on return.
  void process_ready(std::unique_lock<std::mutex>& lock);
  // Snapshots the key-value state and compacts the log once more than
  // kCompactAfterEntries entries follow the log's base. Requires mu_.
  void maybe_compact_locked();
  static constexpr std::uint64_t kCompactAfterEntries = 10'000;
  void install_routes();
  // admin.cpp: GET /admin/failpoints, PUT /admin/failpoints/clock|disk.
  void install_admin_routes();
  bool admin_allowed(const http::Request& request) const;
  // Asks the ready thread to switch the disk failpoint between Readies
  // (nothing written is unsynced there) and waits for it; the error, if any.
  store::Error switch_disk(store::DiskMode mode, std::int64_t delay_ms);
  // The ready thread's side of switch_disk; `lock` holds mu_.
  void apply_disk_switch_locked(std::unique_lock<std::mutex>& lock);
  // The HTTP answer to a replicated write that did not commit (nullopt when
  // it did): 421 not the leader, 503 superseded, 504 not committed in time;
  // `subject` names what was written in the error text.
  std::optional<http::Response> op_failure(const OpResult& op, const std::string& subject);

  // routing.cpp: the worker registry and routed calls (sticky sessions).
  using Clock = std::chrono::steady_clock;
  http::Response handle_heartbeat(const http::Request& request);
  http::Response handle_call(const http::Request& request);
  bool worker_live_locked(const std::string& name, std::int64_t now_ms) const;  // requires routing_mu_
  // {registered, live} as the leader of `leading` knows them; {0, 0} when
  // this member does not lead (leading == 0) or has not heard a worker yet.
  std::pair<std::size_t, std::size_t> worker_counts(raft::Term leading);
  // The registry belongs to one leadership: a member that leads a new term
  // starts it empty, so heartbeats it saw in an earlier term (possibly long
  // ago) never make a worker look dead or alive. Requires routing_mu_.
  void use_registry_of_term_locked(raft::Term term);
  std::size_t pinned_sessions_locked() const;            // requires mu_
  struct WorkerSeen {
    std::string url;
    std::int64_t last_seen_ms = 0;  // on this member's clock (clock_)
    bool dead = false;  // failed a call; cleared by its next heartbeat
  };
  // Known to this member since it last became leader. Never held with mu_.
  std::mutex routing_mu_;
  std::map<std::string, WorkerSeen> workers_;  // guarded by routing_mu_
  raft::Term registry_term_ = 0;               // the term workers_ was filled in; guarded by routing_mu_

  // Constant after construction.
  const Config config_;

  // The member's clock and its disk: thread-safe themselves.
  util::SkewedClock clock_;
  store::SyncFailpoint disk_;

  net::WakeFd probe_wake_;  // ends a probe of peer_stream_closed when stopping

  std::mutex mu_;
  std::uint64_t leader_gone_reports_ = 0;  // leaders found gone by their closed port; guarded by mu_
  std::condition_variable applied_cv_;
  std::condition_variable ready_cv_;  // the node may have a Ready
  std::condition_variable heard_cv_;  // Raft messages were stepped (a leader may be known now)
  std::unique_ptr<raft::Node> node_;               // guarded by mu_
  std::unique_ptr<store::FileStorage> storage_;    // the ready thread only, once started
  store::KvStateMachine kv_;                       // guarded by mu_
  std::uint64_t applied_index_ = 0;                // guarded by mu_
  // The commit index this member has written to its storage (with the
  // entries up to it): the one it reports. The node's own may be ahead while
  // a Ready is being written, and a crash then would make the reported
  // commit index go back across the restart. Guarded by mu_.
  std::uint64_t persisted_commit_ = 0;
  std::uint64_t reported_commit_locked() const;  // requires mu_
  // Proposals a client waits on, by log index. Only these keep results, so
  // the map stays as small as the number of requests in flight.
  struct Pending {
    std::uint64_t term = 0;
    settings::Replication ack = settings::Replication::sync;
    bool acknowledged = false;  // early, by ack_policy.hpp (never under sync)
    bool committed_at_ack = false;  // the commit index had reached it then
    bool applied = false;
    bool same_term = false;  // the entry applied at this index was ours
    std::string result;
  };
  std::map<std::uint64_t, std::shared_ptr<Pending>> pending_;  // guarded by mu_
  // The last log index this member has fsynced (what the ready thread last
  // wrote). Guarded by mu_.
  std::uint64_t persisted_last_ = 0;
  // Under semi-sync or async: marks the pending writes ack_policy.hpp lets
  // go before commit and wakes their waiters. Requires mu_.
  void acknowledge_early_locked();
  // The current role's instant: on the member's clock (as the node keeps
  // it) and on the true clock. Guarded by mu_.
  std::int64_t role_since_ms_seen_ = 0;
  std::int64_t role_since_true_ns_ = 0;
  // How often the leader's appends arrive, on the true clock: the last
  // intervals (a ring of kContactWindow), for a follower's status. Guarded by mu_.
  static constexpr std::size_t kContactWindow = 32;
  std::optional<raft::NodeId> contact_leader_;
  std::int64_t contact_last_true_ns_ = 0;
  std::uint64_t contact_batches_ = 0;
  std::vector<double> contact_intervals_ms_;
  std::size_t contact_next_ = 0;
  // A disk switch the ready thread is to carry out, and its answer.
  struct DiskSwitch {
    store::DiskMode mode = store::DiskMode::off;
    std::int64_t delay_ms = 0;
    bool done = false;
    store::Error error;
  };
  std::shared_ptr<DiskSwitch> disk_switch_;  // guarded by mu_
  std::condition_variable disk_switched_cv_;

  std::map<std::uint32_t, std::unique_ptr<RaftLink>> peers_;  // constant after start
  std::unique_ptr<RaftListener> raft_listener_;                // constant after start
  // One pool thread per open connection (server.hpp), for clients, workers
  // and the runner's probes; Raft traffic has its own port and threads, so
  // a full pool delays HTTP requests but never the commits they wait on.
  // What a drill can open at once stays below it: up to 64 workload clients
  // (one kept-alive connection each to this member), 16 nodes
  // heartbeating (every coordinator), and the runner's status sampler and
  // read-back.
  static constexpr std::size_t kHttpThreads = 128;
  http::Server server_{kHttpThreads};
  std::atomic<bool> stopping_{false};
  std::thread ticker_;
  std::thread ready_thread_;
  // Made by install_routes(); declared last so that it (and its sweeper
  // thread) goes first. shared_ptr: its type is complete only in mcp_*.cpp.
  std::shared_ptr<McpRouter> mcp_;
};

// Runs a coordinator until SIGINT or SIGTERM. Returns the process exit code
// (0 after a clean stop, 3 when it cannot start).
int run_coordinator(const std::string& config_file);

}  // namespace faultline::coordinator
