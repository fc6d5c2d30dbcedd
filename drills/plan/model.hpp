// The drill plan model: what a validated plan says, with every default filled
// in. Values of these types only come out of parse_plan/load_plan (plan.hpp),
// so a Plan in hand always satisfies the rules written in docs/plan.md:
// ranges hold, every fault's target exists in the topology, every fault fires
// before the workload ends.
//
// Thread-safety: plain values; no shared state.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace faultline::plan {

// The system under test. `kind` names a target (drills/targets); the fields
// below are those of the embedded cluster, which etcd and declared processes
// share where they mean the same (coordinators = members, election timeout,
// heartbeat). What only one kind has lives in `options`, validated by that
// kind's reader (drills/plan/topology_<kind>.cpp) with every default filled
// in: etcd's `pre_vote`; the declared processes' command, ports, requests
// (drills/plan/processes.hpp reads them back typed).
struct Topology {
  std::string kind = "embedded";
  int coordinators = 3;           // the voters: 1..9
  std::int64_t election_timeout_min_ms = 300;
  std::int64_t election_timeout_max_ms = 600;  // >= min
  std::int64_t heartbeat_ms = 50;              // < election_timeout_min_ms
  // Unsafe on purpose: every member answers reads from its own applied state,
  // without a barrier through the log, and the workload spreads reads over
  // all members. For showing that the linearizability check catches it.
  bool stale_reads = false;
  // Worker nodes (w1..wN) behind the coordinators, serving routed calls of
  // sticky sessions; 0..16.
  int workers = 0;
  // A worker is dead for the coordinators after this long without a
  // heartbeat, and a routed call to it fails after it.
  std::int64_t worker_timeout_ms = 500;
  nlohmann::json options = nlohmann::json::object();
  bool operator==(const Topology&) const = default;
};

// The ids faults may name: the voters (c1.. for the embedded cluster), the
// workers (w1..), and other members a kind has (Redis sentinels).
struct MemberIds {
  std::vector<std::string> voters;
  std::vector<std::string> workers;
  std::vector<std::string> others;
  // The voters report a role and a term (a `processes` topology without a
  // status request does not): the leader and follower selectors need it.
  bool roles = true;
};
MemberIds member_ids(const Topology& topology);

struct Workload {
  int clients = 4;               // 1..64
  double rate_per_s = 200;       // total across all clients, > 0
  std::int64_t max_ops = 4000;   // 1..10,000,000
  std::int64_t duration_ms = 0;  // 1..3,600,000; required in a plan
  std::int64_t keys = 0;         // 0: every write goes to a fresh key
  std::int64_t op_timeout_ms = 1000;
  double read_ratio = 0;  // [0, 1]
  // Routed calls: sessions s1..sN (0: none; needs topology.workers), each
  // owned by one client; call_ratio is the share of operations that are
  // routed calls rather than key-value operations.
  std::int64_t sessions = 0;
  double call_ratio = 1;  // [0, 1]
  // What a call is: "routed" (the legacy POST /api/calls) or "mcp" (an MCP
  // tools/call of the counter server over a Streamable HTTP session per
  // workload session, through the coordinators).
  std::string calls = "routed";
  bool operator==(const Workload&) const = default;
};

// One declared steady-state probe (drills/plan/probes.hpp has the kinds).
struct ProbeSpec {
  std::string name;
  std::string kind;
  std::vector<std::string> when{"continuous"};  // before | continuous | after; empty: halts only
  std::int64_t tolerance_ms = 0;  // a failure shorter than this still holds
  nlohmann::json params = nlohmann::json::object();
  bool operator==(const ProbeSpec&) const = default;
};

// What "healthy" means. Without probes the hypothesis is the default one:
// writes acknowledged within max_latency_ms, held for stability_window_ms.
// With probes, the continuous probes are the hypothesis (and the writes'
// latency is no longer part of it unless a probe says so).
struct SteadyState {
  std::int64_t stability_window_ms = 1000;
  std::int64_t max_latency_ms = 1000;  // defaults to the workload's op_timeout_ms
  std::int64_t sample_ms = 50;         // how often sampled probes are asked
  std::vector<ProbeSpec> probes;
  bool operator==(const SteadyState&) const = default;
};

// Stop the drill early, revert every fault and exit 1 when probe `probe`
// has failed for `for_ms` (Gremlin's halt conditions).
struct HaltSpec {
  std::string probe;
  std::int64_t for_ms = 0;
  bool operator==(const HaltSpec&) const = default;
};

// An action that always runs at the end of a run, whatever happened.
struct RollbackSpec {
  std::string action;  // heal_all | restart | command
  std::string target = "all";     // restart: a target selector
  std::vector<std::string> argv;  // command
  std::int64_t timeout_ms = 10'000;
  bool operator==(const RollbackSpec&) const = default;
};

// One entry of the plan's fault timeline. The kinds, their parameters and
// what each does are the fault catalogue's (chaos/faults/spec.hpp,
// docs/faults.md); a validated FaultSpec names a kind of it, and `params`
// holds that kind's parameters, checked and with every default filled in.
struct FaultSpec {
  std::string kind;
  // A target selector (chaos/faults/selector.hpp): "leader", "follower",
  // "followers", "minority", "majority", "all", a member id, "worker",
  // "workers", a worker id.
  std::string target;
  std::int64_t at_ms = 0;  // from the workload's start; < workload.duration_ms
  // When the fault is healed, from its injection. Absent: kinds healed at the
  // end are healed when the workload ends; others (kill) stay.
  std::optional<std::int64_t> heal_after_ms;
  nlohmann::json params = nlohmann::json::object();
  bool operator==(const FaultSpec&) const = default;
};

// Limits on statistics of one measure over the trials of `faultline run
// --trials N` (nearest rank; drills/verify/trials.hpp). With one run, each is
// checked against the run's single value.
struct Percentiles {
  std::optional<double> p50;
  std::optional<double> p90;
  std::optional<double> p99;
  std::optional<double> max;
  bool operator==(const Percentiles&) const = default;
};

struct Objectives {
  std::optional<double> rto_ms;
  std::optional<std::int64_t> rpo_writes;
  // true: the key-value history must be linearizable. false or absent: not checked.
  bool linearizable = false;
  // Largest time from the loss of a leader to a new leader known by a majority.
  std::optional<double> leader_election_ms;
  // Largest number of terms that had a leader.
  std::optional<std::int64_t> max_elections;
  // Largest recovery time counted from the heal of the fault instead of its injection.
  std::optional<double> rto_from_heal_ms;
  // Largest time for a session pinned to a faulted worker to succeed again.
  std::optional<double> failover_ms;
  // Largest number of routed calls whose result is not ok.
  std::optional<std::int64_t> calls_lost;
  // Largest number of session moves between workers with no fault or exit to explain them.
  std::optional<std::int64_t> sessions_moved_without_cause;
  // Lowest share of operations that succeeded over the whole workload.
  std::optional<double> min_success_rate;
  // Largest 99th percentile of acknowledged writes' latency over the workload.
  std::optional<double> max_p99_ms;
  // Largest time from the oldest lost acknowledgement to the fault instant.
  std::optional<double> rpo_ms;
  // The numeric objectives above written as percentiles instead of a number
  // ("rto_ms": {"p50": 500, "max": 1500}), by name; such an objective's own
  // field above is then absent.
  std::map<std::string, Percentiles> percentiles;
  // The fewest acknowledged writes the run must lose: a drill that declares
  // the loss it expects (a power loss of lying disks) fails when none is
  // measured, so a run that lost nothing cannot pass for one that proved
  // the loss. At least 1.
  std::optional<std::int64_t> min_lost_writes;
  bool operator==(const Objectives&) const = default;
};

struct Plan {
  std::string name;
  std::string description;
  // Absent: the runner picks a seed and records it in the journal.
  std::optional<std::uint64_t> seed;
  Topology topology;
  Workload workload;
  SteadyState steady_state;
  std::vector<FaultSpec> faults;
  Objectives objectives;
  std::vector<HaltSpec> halts;
  std::vector<RollbackSpec> rollbacks;
  // A demonstration: the run passes when, and only when, every one of these
  // objectives fails (and every other one is met).
  std::vector<std::string> expect_fail;
  bool operator==(const Plan&) const = default;
};

// One problem found in a plan. `line` is 1-based, 0 when unknown; `path` is a
// JSON path such as `$.faults[0].at_ms`, empty for file-level problems
// (unreadable file, malformed JSON, bad --set string).
struct PlanError {
  std::string file;
  int line = 0;
  std::string path;
  std::string message;
  // The error concerns the value that override number `override_index` (of
  // the list given to load_plan/parse_plan, 0-based) wrote, or that override
  // itself; -1 otherwise. A suite file uses it to point at its own `set`.
  int override_index = -1;
  // "FILE:LINE: PATH: MESSAGE"; ":LINE" is left out when line is 0 and
  // "PATH: " when path is empty.
  std::string to_string() const;
};

// The objectives that may be written as percentiles, and whether each
// counts something (its limits are integers).
struct NumericObjectiveName {
  const char* name;
  bool integer;
};
const std::vector<NumericObjectiveName>& numeric_objective_names();

// The id of the index-th member (0-based): 0 -> "c1".
std::string member_id(int index);

// What a plan brings up and does, in one phrase: "3 coordinators, 4 clients
// for 8000 ms, 1 fault" (`faultline validate` prints it).
std::string plan_summary(const Plan& plan);

}  // namespace faultline::plan
