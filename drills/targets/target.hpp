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
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "chaos/network/placement.hpp"

namespace faultline::targets {

using Deadline = std::chrono::steady_clock::time_point;
using Json = nlohmann::json;

using network::Endpoint;
using network::Placement;

struct MemberInfo {
  std::string id;       // c1.. (voters), w1.. (workers)
  bool voter = true;    // takes part in elections and reports a role
  std::string program;  // what runs: "faultline coordinator", "etcd", ...
  std::string host;
  std::map<std::string, int> ports;  // by name: "api", "raft", ...
  std::string url;                   // base URL of its HTTP API, when it has one
  std::filesystem::path dir;         // its folder in the run folder
  std::filesystem::path log_file;
  bool is_worker() const { return !voter; }
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

struct ReadBackValue {
  std::string key;
  bool found = false;
  Json value;
  std::string member;
};

class Target {
 public:
  virtual ~Target() = default;
  virtual std::string kind() const = 0;

  // The members' ids and whether each votes, before anything is placed.
  virtual std::vector<std::pair<std::string, bool>> member_ids() const = 0;
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
  std::optional<std::string> wait_for_leader(Deadline deadline);
  // After the leader: what else must hold before the workload starts
  // (workers registered). Default: nothing.
  virtual bool wait_ready(Deadline deadline, std::string& error);
  // Every voter up and applied up to the leader's commit index.
  virtual bool wait_converged(Deadline deadline);

  // A client for one workload thread, whose traffic leaves from
  // `source_address` (empty: any).
  virtual std::unique_ptr<KvClient> make_client(std::size_t index, const std::string& source_address) = 0;
  // Reads `keys` back from the surviving cluster through its safest path
  // (a linearizable read on the leader). Sets `error` when it could not
  // read them all by the deadline; returns what it read.
  virtual std::vector<ReadBackValue> read_back(const std::vector<std::string>& keys,
                                               Deadline deadline, std::string& error) = 0;

 private:
  std::string observer_address_;
};

}  // namespace faultline::targets
