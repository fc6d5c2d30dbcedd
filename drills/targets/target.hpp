// Target: one kind of system under test, as the runner sees it. The runner,
// the faults and the checkers know only this interface, so the same plan
// drills the embedded reference cluster, etcd, Redis with Sentinel, or any
// declared set of processes.
//
// A target owns its members' processes (through the ProcessControl it is
// given), their configs and data folders under the run folder, and the
// client protocol of the system. Where each member lives — its address, the
// network namespace its processes enter, the ports it listens on, what a
// peer dials to reach it — comes from the run's Placement (the network).
//
// Thread-safety: prepare, start_all, restart and stop_all spawn processes
// and must be called from the runner's main thread (see
// chaos/process/supervisor.hpp). status() and the clients it makes may be
// used from any thread, each client by one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "chaos/faults/fault.hpp"
#include "chaos/network/placement.hpp"

namespace faultline::targets {

using Deadline = std::chrono::steady_clock::time_point;
using Json = nlohmann::json;

using network::Endpoint;
using network::Placement;

struct MemberInfo {
  std::string id;       // c1.. (voters), w1.. (workers), s1.. (others)
  bool voter = true;    // takes part in elections and reports a role
  // Neither a voter nor a worker: a member faults name by id only, with no
  // role of its own in the key-value path (Redis sentinels).
  bool other = false;
  std::string program;  // what runs: "faultline coordinator", "etcd", ...
  std::string host;
  std::map<std::string, int> ports;  // by name: "api", "raft", ...
  std::string url;                   // base URL of its HTTP API, when it has one
  std::filesystem::path dir;         // its folder in the run folder
  std::filesystem::path log_file;
  bool is_worker() const { return !voter && !other; }
};

// One member's own report of itself.
struct MemberStatus {
  bool up = false;
  std::string role;  // leader, follower, candidate; empty when down
  std::uint64_t term = 0;
  std::optional<std::string> leader;
  std::uint64_t commit_index = 0;
  std::uint64_t applied_index = 0;
  std::int64_t role_since_mono_ns = 0;  // 0: the member does not say
};

// How one client operation ended.
struct OpAttempt {
  std::string result = "fail";  // ok | fail (certainly not applied) | unknown (maybe applied)
  std::string member;           // who gave the last answer
  std::string error;
  Json value;                   // a get's value (null: absent)
  // Routed calls only: the worker that served it, and the router's own word.
  std::string worker;
  Json moved_from;
  Json cause;
  bool reinitialized = false;  // MCP: the session was unknown and opened again first
};

// One client of the system: a thread's own connection state. Every kind
// follows the same rule: try the member believed to lead; an answer that
// certainly did nothing (refused, not the leader) is retried on the named
// leader or the next member until the deadline; an answer that may have
// taken effect ends the operation as unknown, and the next operation starts
// on the next member.
class KvClient {
 public:
  virtual ~KvClient() = default;
  virtual OpAttempt put(const std::string& key, const std::string& value, Deadline deadline) = 0;
  // `anywhere`: start on a member chosen by the caller (index into the
  // members), not the believed leader (the stale-reads demonstration).
  virtual OpAttempt get(const std::string& key, Deadline deadline,
                        std::optional<std::size_t> anywhere = std::nullopt) = 0;
  // A routed call of a sticky session; only targets with workers have them.
  virtual OpAttempt call(const std::string& session, const std::string& call_id, Deadline deadline) = 0;
};

// A built-in check (docs/metrics.md) that the system does not promise to
// pass, and why: the verdict leaves it out and says so, instead of failing a
// drill on a promise nobody made (Redis' asynchronous replication makes none
// of Raft's quorum promises).
struct NotPromised {
  std::string check;
  std::string why;
};

// An answer of a member's admin endpoint.
struct AdminReply {
  long status = 0;  // 0: no answer
  std::string body;
  std::string error;  // why there is no answer
};

struct ReadBackValue {
  std::string key;
  bool found = false;
  Json value;
  std::string member;
};

// What the members' own status reports hold. The runner journals it (the
// `target` event), so that the checkers can tell "no election went wrong"
// from "no member said anything about elections".
struct StatusReports {
  bool roles = true;         // role, term and leader
  bool commit_index = true;  // the commit index
};

class Target {
 public:
  virtual ~Target() = default;
  virtual std::string kind() const = 0;
  virtual StatusReports reports() const { return {}; }

  // The members' ids and whether each votes, before anything is placed.
  virtual std::vector<std::pair<std::string, bool>> member_ids() const = 0;
  // Built-in checks this system does not promise to pass. Default: none.
  virtual std::vector<NotPromised> not_promised() const { return {}; }
  // Asks the placement for addresses and ports and writes every member's
  // config. Nothing is started.
  virtual bool prepare(Placement& placement, std::string& error) = 0;
  // Starts every member and waits until each answers its health check.
  virtual bool start_all(Deadline deadline, std::string& error) = 0;
  // Starts one stopped member again (same config and data) and waits for it.
  virtual bool restart(const std::string& id, Deadline deadline, std::string& error) = 0;
  // Stops every member: SIGTERM, then SIGKILL after a grace period.
  virtual void stop_all() = 0;

  virtual const std::vector<MemberInfo>& members() const = 0;
  const MemberInfo* member(const std::string& id) const;
  std::vector<const MemberInfo*> voters() const;
  std::vector<const MemberInfo*> workers() const;
  std::vector<const MemberInfo*> others() const;

  // A member's own report, asked from the observer's address. Safe from any
  // thread; `timeout_ms` bounds it.
  virtual MemberStatus status(const MemberInfo& member, long timeout_ms) = 0;
  // Every voter's report, asked concurrently (one slow or frozen member
  // costs one timeout, not one per member), in members() order.
  std::vector<MemberStatus> status_all(long timeout_ms);
  // The source address of the observer's requests (status, health, read-back).
  void set_observer_address(std::string address) { observer_address_ = std::move(address); }
  const std::string& observer_address() const { return observer_address_; }
  // The member that a majority of the voters name as leader of the highest
  // term, once one exists; nullopt at the deadline.
  //
  // Every wait here and in the kinds (start_all, restart, wait_ready,
  // wait_converged, read_back) ends early, as if its deadline had passed,
  // once the run is asked to stop (process::stop_requested(),
  // chaos/process/wait.hpp): Ctrl-C never waits for a deadline.
  std::optional<std::string> wait_for_leader(Deadline deadline);
  // After the leader: what else must hold before the workload starts
  // (workers registered). Default: nothing.
  virtual bool wait_ready(Deadline deadline, std::string& error);
  // Every voter up and applied up to the leader's commit index.
  virtual bool wait_converged(Deadline deadline);

  // What the system reports about itself as it runs (Redis Sentinel's
  // +sdown, +odown, +switch-master), for the journal's `target.event`. The
  // target calls `sink` from threads of its own, from start_events() until
  // stop_events() returns. Default: the system reports nothing.
  using EventSink = std::function<void(Json event)>;
  virtual void start_events(EventSink sink) { (void)sink; }
  virtual void stop_events() {}

  // A client for one workload thread, whose traffic leaves from
  // `source_address` (empty: any).
  virtual std::unique_ptr<KvClient> make_client(std::size_t index, const std::string& source_address) = 0;
  // Reads `keys` back from the surviving cluster through its safest path
  // (a linearizable read on the leader). Sets `error` when it could not
  // read them all by the deadline; returns what it read.
  virtual std::vector<ReadBackValue> read_back(const std::vector<std::string>& keys,
                                               Deadline deadline, std::string& error) = 0;

  // What the process, clock and disk faults need of a member
  // (chaos/faults/fault.hpp's FaultEnvironment). Each has a default for
  // target kinds that lack it: the fault that needs it then stops the run
  // with that message, which names the target kind.

  // A request to the member's admin endpoint (its failpoints), from the
  // observer's address. Default: "target kind K has no admin endpoint".
  virtual AdminReply admin(const MemberInfo& member, const std::string& method,
                           const std::string& path, const std::string& body, long timeout_ms);
  // How the member's clock can be shifted. Default: not at all.
  virtual faults::ClockAccess clock_access(const MemberInfo& member) const;
  // Environment variables the member's processes were started with beyond
  // the runner's own (libfaketime's); a probe in its environment gets them.
  // Default: none.
  virtual std::vector<std::pair<std::string, std::string>> member_env(const MemberInfo& member) const;
  // Healthy and caught up. Default: a voter is up, names a leader, and has
  // applied what that leader had committed just before; a worker always is.
  virtual bool caught_up(const MemberInfo& member, std::string& why);
  // After the member's process was killed: drops what its storage did not
  // really sync (a power loss of a lying disk). Default: not supported.
  virtual bool drop_unsynced(const MemberInfo& member, Json& report, std::string& error);

 private:
  std::string observer_address_;
};

}  // namespace faultline::targets
