// A typed view of a run journal: the facts the checkers and the reports need,
// pulled out of the raw events once, so that the checkers never look at JSON.
//
// history_from() never throws: an event with a missing or mistyped field is
// skipped and described in History::warnings, because a journal of a run that
// went wrong is exactly the one a user most wants checked.
//
// Thread-safety: a History is a value; const access from many threads is safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "drills/journal/journal.hpp"

namespace faultline::verify {

using Json = journal::Json;

enum class OpResult { ok, fail, unknown };
const char* to_string(OpResult result);

// One client operation: an op.invoke and its op.complete, matched by `op`.
struct Op {
  std::string id;  // the `op` field as text (numbers are printed)
  std::string client;
  std::string f;  // "put" or "get"
  std::string key;
  Json value;  // put: the value written; get: the value read (null if absent)
  std::int64_t invoke_ns = 0;
  // An op that never completed is `unknown` and completes at the end of the
  // run: it may still have been applied at any instant until then.
  std::int64_t complete_ns = 0;
  bool completed = false;  // false: no op.complete was journaled
  OpResult result = OpResult::unknown;
  std::string member;  // who answered, empty if nobody
  std::string error;
  bool is_put() const { return f == "put"; }
  double latency_ms() const { return static_cast<double>(complete_ns - invoke_ns) / 1e6; }
};

struct MemberSample {
  std::int64_t t_ns = 0;
  std::string member;
  bool up = false;
  std::optional<std::string> role;  // leader | follower | candidate; none when down
  std::optional<std::int64_t> term;
  std::optional<std::string> leader;
  std::optional<std::int64_t> commit_index;
  std::optional<std::int64_t> role_since_ns;
  // When the member entered the role it reports: role_since_ns, else t_ns.
  std::int64_t role_instant_ns() const { return role_since_ns.value_or(t_ns); }
};

struct Fault {
  std::int64_t index = 0;
  std::string kind;
  // What it did to its targets (down, frozen, isolated, degraded): the
  // checkers key on this, not on kind names. Journals written before the
  // field existed: kill is down, pause is frozen.
  std::string effect;
  std::string selector;
  std::vector<std::string> targets;
  std::string applied;
  std::string confirmed;
  std::optional<std::int64_t> term;  // the target's last known term
  std::int64_t inject_ns = 0;           // when the effect was confirmed (t_f)
  // When the signal was sent (`signal_t_ns`), else inject_ns: the effect may
  // begin here, before it is confirmed, so causal judgements (failover) start
  // from it.
  std::int64_t start_ns = 0;
  std::optional<std::int64_t> heal_ns;  // none: never healed in the run
  // The directed links an isolating fault made unusable (a partition's
  // `detail.blocked`; a reset, blackhole or timeout's `detail.links`), as
  // (from, to). Empty for faults on processes.
  std::vector<std::pair<std::string, std::string>> cut;
  // The fault took power from its targets (detail.power_loss): what they
  // had not really synced is gone.
  bool power_loss = false;
};

// Something the system under test reported about itself (`target.event`,
// e.g. a Redis sentinel's `+sdown`). `part` names the RTO part it marks
// (docs/metrics.md): "detect", "agree", "promote", or empty.
struct TargetEvent {
  std::int64_t t_ns = 0;
  std::string source;  // who reported it ("s2")
  std::string event;   // "+sdown"
  std::string member;  // the member it is about, empty when none
  std::string part;
};

// A built-in check the target does not promise to pass (the `target`
// event's `not_promised`): the verdict leaves it out and says why.
struct NotPromised {
  std::string check;
  std::string why;
};

// A `fault.step`: what a fault that acts over time (a crash loop, a rolling
// restart) did at one of its steps. The fields beyond these stay in `fields`.
struct FaultStep {
  std::int64_t t_ns = 0;
  std::int64_t fault = 0;
  std::string kind;    // the fault's kind
  std::string action;  // "kill", "restart", "restarted", "done", ...
  std::string member;  // empty when the step names several (`fields.members`)
  Json fields;         // the whole event
};

struct Readback {
  std::int64_t t_ns = 0;
  std::string key;
  bool found = false;
  Json value;
  std::string member;
};

struct Phase {
  std::string name;
  std::int64_t t_ns = 0;
};

// A member.start: the beginning of one process life of a member.
struct MemberStart {
  std::int64_t t_ns = 0;
  std::string member;
  bool restart = false;
};

struct MemberExit {
  std::int64_t t_ns = 0;
  std::string member;
  bool expected = false;
  std::string how;  // "signal 9", "exit code 1"
};

// A routed call: a call.invoke and its call.complete, matched by `call`. The
// coordinator routes each session to a pinned worker; `worker` is the worker
// that served the call.
struct Call {
  std::string id;  // the `call` field as text
  std::string client;
  std::string session;
  std::int64_t invoke_ns = 0;
  // A call that never completed is `unknown` and completes at the end of the run.
  std::int64_t complete_ns = 0;
  bool completed = false;
  OpResult result = OpResult::unknown;
  std::string worker;  // who served it, empty if none
  std::string error;
  // The router's own word on an ok call: the worker the session was moved
  // from while serving it (empty: not moved), and whether the client had to
  // open a new session first (MCP: its session was unknown, 404).
  std::string moved_from;
  bool reinitialized = false;
};

// A worker.start: the beginning of one process life of a worker.
struct WorkerStart {
  std::int64_t t_ns = 0;
  std::string worker;
  std::optional<std::int64_t> pid;
  std::string url;
  bool restart = false;
};

struct WorkerExit {
  std::int64_t t_ns = 0;
  std::string worker;
  std::optional<std::int64_t> pid;
  bool expected = false;
  std::string how;  // "signal 9", "exit code 1"
};

// A steady-state probe as the plan declared it (docs/plan.md).
struct ProbeFacts {
  std::string name;
  std::string kind;
  std::vector<std::string> when;
  double tolerance_ms = 0;
  Json params = Json::object();
  bool is(const std::string& w) const;  // `when` holds w
};

// One sample of a sampled probe, from a `probe` event.
struct ProbeSample {
  std::int64_t t_ns = 0;
  std::string name;
  bool pass = false;
  Json value;
  std::string detail;
};
// A halt condition that fired (the `halt` event): the run stopped its
// workload and healed every fault.
struct HaltFacts {
  std::int64_t t_ns = 0;
  std::string probe;
  double for_ms = 0;
  std::string reason;
};

// The steady state did not hold before any fault (the `unhealthy` event):
// the run stopped without injecting one.
struct UnhealthyFacts {
  std::int64_t t_ns = 0;
  std::string probe;
  std::string reason;
};

// One of the plan's rollbacks, run at the end (the `rollback` event).
struct RollbackFacts {
  std::int64_t t_ns = 0;
  std::string action;  // heal_all | restart | command
  std::string target;  // restart
  std::vector<std::string> argv;  // command
  bool ok = false;
  std::string detail;
  double duration_ms = 0;
};

// An objective written as percentiles ("rto_ms": {"p50": 500, "max": 1500}):
// one limit on one statistic of the measure over the trials of a suite.
struct PercentileLimit {
  std::string objective;  // "rto_ms"
  std::string stat;       // p50, p90, p99 or max
  double limit = 0;
  // "rto_ms.p50": the check's name, which is also its path under objectives.
  std::string name() const { return objective + "." + stat; }
};

// The statistics a percentile objective may name, in the order they are shown.
inline const char* const kPercentileStats[] = {"p50", "p90", "p99", "max"};

inline constexpr double kDefaultStabilityWindowMs = 1000.0;
inline constexpr double kDefaultMaxLatencyMs = 1000.0;

// What the plan declared, from the `run` event. Absent objectives are not
// checked; absent steady-state settings take the documented defaults.
struct PlanFacts {
  std::string name;
  std::string file;
  std::string hash;
  std::string seed;  // printed as text: seeds may exceed what a double holds
  std::string version;
  std::string host;
  std::string started_at;
  std::optional<double> rto_ms;
  std::optional<double> rpo_writes;
  bool linearizable = false;
  std::optional<double> leader_election_ms;
  std::optional<double> max_elections;
  std::optional<double> rto_from_heal_ms;
  std::optional<double> failover_ms;
  std::optional<double> calls_lost;
  std::optional<double> sessions_moved_without_cause;
  std::optional<double> min_success_rate;
  std::optional<double> max_p99_ms;
  std::optional<double> rpo_ms;
  // Objectives given as percentiles, by objective name, then in
  // kPercentileStats order.
  std::vector<PercentileLimit> percentiles;
  // The run's place in a suite of trials (`run` event field `trial`): trial
  // `trial` of `trials`. A lone run is trial 1 of 1.
  int trial = 1;
  int trials = 1;
  std::optional<double> min_lost_writes;
  double stability_window_ms = kDefaultStabilityWindowMs;
  double max_latency_ms = kDefaultMaxLatencyMs;
  double sample_ms = 50;
  std::vector<ProbeFacts> probes;
  std::size_t halts = 0;  // the halt conditions declared
  // expect.fail: the run passes when, and only when, these checks fail.
  std::vector<std::string> expect_fail;
};

// Milliseconds from one journal time (ns) to another.
inline double ms_between(std::int64_t from_ns, std::int64_t to_ns) {
  return static_cast<double>(to_ns - from_ns) / 1e6;
}

// Why a run ended before its verdict (the `aborted` event).
struct RunStop {
  // "interrupted" (SIGINT, SIGTERM), "error" (the run could not go on), or
  // "incomplete" (set by readers: the journal ends without a `done` phase).
  std::string cause;
  std::string reason;  // "interrupted by Interrupt", "no leader was elected within 15 s"
  std::int64_t t_ns = 0;
};

// What the target's members report about themselves (the `target` event;
// journals without one: everything, as the embedded cluster does).
struct TargetFacts {
  std::string kind;
  bool roles = true;         // role, term and leader: the election checks can run
  bool commit_index = true;  // the commit index: commit_monotonic can run
};

struct History {
  bool has_run_event = false;
  PlanFacts plan;
  TargetFacts target;
  std::int64_t end_ns = 0;           // t_ns of the last event
  std::vector<Op> ops;               // by invoke time
  std::vector<MemberSample> samples; // by t_ns
  std::vector<ProbeSample> probe_samples;  // by t_ns
  std::vector<Fault> faults;         // by inject time
  std::vector<FaultStep> steps;      // by t_ns
  std::vector<Readback> readbacks;   // by t_ns
  std::vector<Phase> phases;         // by t_ns
  std::vector<MemberExit> exits;     // by t_ns
  std::vector<MemberStart> starts;   // by t_ns
  std::vector<std::string> members;  // every member id seen, sorted
  std::vector<Call> calls;                  // by invoke time
  std::vector<WorkerStart> worker_starts;   // by t_ns
  std::vector<WorkerExit> worker_exits;     // by t_ns
  // Every worker id seen in worker.start, worker.exit or a call's `worker`,
  // sorted. Fault targets are workers when they are listed here.
  std::vector<std::string> workers;
  std::vector<NotPromised> not_promised;    // from the `target` event
  std::vector<TargetEvent> target_events;   // by t_ns
  std::vector<std::string> notes;    // `note` events' text
  std::optional<RunStop> stopped;    // the run ended early: what it recorded is partial
  std::optional<HaltFacts> halt;     // a halt condition fired
  std::optional<UnhealthyFacts> unhealthy;  // not healthy before any fault: stopped without one
  std::vector<RollbackFacts> rollbacks;     // by t_ns
  std::vector<std::string> warnings; // events that could not be used, and why

  // The fault instant t_f: the first fault.inject, if any.
  std::optional<std::int64_t> fault_ns() const;
  const Fault* first_fault() const { return faults.empty() ? nullptr : &faults.front(); }
  bool is_worker(const std::string& id) const;
};

// Builds the view from events in any order (they are sorted by t_ns first,
// keeping file order among equal timestamps).
History history_from(const std::vector<Json>& events);

// Text of a JSON value for people: strings unquoted, the rest dumped.
std::string value_text(const Json& value);

}  // namespace faultline::verify
