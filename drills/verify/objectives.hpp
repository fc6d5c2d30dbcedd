// Compares what was measured with what the plan declared, into check results
// and one verdict. Objectives the plan leaves out are not checked; the
// built-in election checks (`election_safety`, `term_monotonic`,
// `commit_monotonic`, `stable_leadership`) always are.
//
// Thread-safety: pure functions of their arguments.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "drills/verify/elections.hpp"
#include "drills/verify/failover.hpp"
#include "drills/verify/history.hpp"
#include "drills/verify/hypothesis.hpp"
#include "drills/verify/linearizable.hpp"
#include "drills/verify/quorum.hpp"
#include "drills/verify/rolling.hpp"
#include "drills/verify/rpo.hpp"
#include "drills/verify/rto.hpp"
#include "drills/verify/workload.hpp"

namespace faultline::verify {

// The exit code of a run whose steady state did not hold before any fault
// (docs/exit-codes.md).
inline constexpr int kNotHealthyBeforeExitCode = 4;

struct CheckResult {
  std::string objective;            // "rto_ms", "rpo_writes", "election_safety"
  std::optional<double> measured;   // none: could not be measured (and so fails)
  double limit = 0.0;               // pass when measured <= limit (>= for a floor)
  bool pass = false;
  std::string unit;                 // "ms", "writes", "terms"
  std::string detail;               // for a failure: by how much it missed
  // False when the target reports nothing this check could judge (declared
  // processes without a status request): a built-in check then neither
  // passes nor fails the run and says "not available"; a declared objective
  // that cannot be measured fails, as any unmeasured objective does.
  bool available = true;
  // The plan expects this check to fail (`expect.fail`): the run is right
  // when it does.
  bool expected_to_fail = false;
  // What the verdict counts: pass, or a failure that was expected.
  bool as_expected() const { return expected_to_fail ? !pass : pass; }
};

// A built-in check left out of a verdict because the target does not
// promise it (History::not_promised), with what it would have measured.
struct WaivedCheck {
  std::string objective;
  std::string why;
  std::optional<double> measured;
  std::string unit;
};

// True for the objectives that are floors (min_lost_writes: pass when the
// measured value is at least the limit); every other one is a ceiling.
bool is_floor(const CheckResult& check);

struct Verdict {
  bool pass = false;
  int exit_code = 1;                 // 0 pass, 1 fail
  // In the order rto_ms, rto_from_heal_ms, rpo_writes, min_lost_writes, linearizable,
  // leader_election_ms, max_elections, failover_ms, calls_lost,
  // sessions_moved_without_cause, election_safety, term_monotonic,
  // commit_monotonic, stable_leadership.
  std::vector<CheckResult> checks;
  std::vector<std::string> failed;   // objectives of the failed checks
  RtoResult rto;
  RpoResult rpo;
  ElectionStats elections;
  WorkloadStats workload;
  FailoverStats failover;  // has_calls false when the journal has no routed calls
  QuorumStats quorum;      // applicable when a fault cut a voter off from a majority
  HypothesisResult hypothesis;  // the declared probes (declared false: none)
  std::vector<WaivedCheck> not_promised;  // built-in checks left out, in the target's order
  std::vector<RollingStep> rolling;  // each step of every rolling restart
  std::optional<LinearizabilityResult> linearizability;  // when the plan asked for it
};

// The objectives that take a number, in check order: the limit the plan
// gives (PlanFacts), and the check of a verdict's measure against a limit.
// A percentile objective ("rto_ms": {"p50": 500}) uses the same check, one
// per statistic, named "rto_ms.p50" (PercentileLimit::name()).
struct NumericObjective {
  const char* name;
  const char* unit;
  std::optional<double> PlanFacts::*limit;
  CheckResult (*check)(const Verdict& verdict, double limit);
};
const std::vector<NumericObjective>& numeric_objectives();
const NumericObjective* find_numeric_objective(const std::string& name);

// The built-in check as not available: `why` says what the target lacks.
CheckResult not_available(const std::string& objective, const std::string& unit, const std::string& why);

// Runs every measurement and check. `linearizability` is the checker's result
// for the same journal; when the plan declares `linearizable` and it is
// absent, that check fails as not checked.
//
// Percentile objectives are checked against the run's single value, except
// in a trial of a suite of several (PlanFacts::trials > 1), where they are
// judged over the suite (trials.hpp) and left out here.
Verdict evaluate(const History& history,
                 const std::optional<LinearizabilityResult>& linearizability = std::nullopt);
// The same, running the linearizability checker on `journal_file` when the
// plan declares the objective.
Verdict evaluate_journal(const History& history, const std::filesystem::path& journal_file);

// The individual checks, for callers that measure themselves.
CheckResult check_rto(const RtoResult& rto, double limit_ms);
CheckResult check_rto_from_heal(const RtoResult& rto, double limit_ms);
CheckResult check_rpo(const RpoResult& rpo, double limit_writes);
// Passes when at least `floor` acknowledged writes were lost; the detail
// lists the first lost ones with their times.
CheckResult check_min_lost_writes(const RpoResult& rpo, double floor);
// Failover (failover_checks.cpp). failover_ms measures the slowest recovery
// of a pinned session (moved or on its own worker); it is not measured (and
// fails) when no session was pinned to a faulted worker or one never
// recovered.
CheckResult check_failover(const FailoverStats& failover, double limit_ms);
CheckResult check_calls_lost(const FailoverStats& failover, double limit_calls);
CheckResult check_sessions_moved(const FailoverStats& failover, double limit_moves);
CheckResult check_election_safety(const ElectionStats& elections);
CheckResult check_term_monotonic(const ElectionStats& elections);
CheckResult check_commit_monotonic(const ElectionStats& elections);
CheckResult check_stable_leadership(const ElectionStats& elections);
CheckResult check_leader_election(const ElectionStats& elections, double limit_ms);
CheckResult check_max_elections(const ElectionStats& elections, double limit);
// Built in whenever a fault cut a voter off from a majority (quorum_checks.cpp).
CheckResult check_isolated_acks(const QuorumStats& quorum);
// steady_checks.cpp
CheckResult check_steady_before(const HypothesisResult& hypothesis);
CheckResult check_steady_after(const HypothesisResult& hypothesis);
// With halt conditions declared: fails when one fired (History::halt).
CheckResult check_halt(const History& history);
CheckResult check_min_success_rate(const History& history, double limit);
CheckResult check_max_p99(const History& history, double limit_ms);
CheckResult check_rpo_ms(const RpoResult& rpo, double limit_ms);
CheckResult check_isolated_step_down(const QuorumStats& quorum);
// measured 0 ok, 1 violation; unknown (a budget ran out) and an unreadable
// history are not measured and fail, with the reason in the detail.
CheckResult check_linearizable(const std::optional<LinearizabilityResult>& result);

// Sets pass (measured <= limit, or >= for a floor) and a detail saying by how much it missed;
// a check with no measured value fails with `unmeasured_detail`.
void decide(CheckResult& check, const std::string& label, const std::string& unmeasured_detail);

// A number for people: one decimal, without a trailing ".0" ("1834.2", "1").
std::string format_number(double value);
// A journal time (ns since the run began) for people: "1834.2 ms".
std::string format_ms(std::int64_t t_ns);

// The journal's `check` and `verdict` event fields (docs/journal.md).
Json to_json(const CheckResult& check);
Json verdict_json(const Verdict& verdict);

}  // namespace faultline::verify
