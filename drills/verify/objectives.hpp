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
#include "drills/verify/linearizable.hpp"
#include "drills/verify/rolling.hpp"
#include "drills/verify/rpo.hpp"
#include "drills/verify/rto.hpp"
#include "drills/verify/workload.hpp"

namespace faultline::verify {

struct CheckResult {
  std::string objective;            // "rto_ms", "rpo_writes", "election_safety"
  std::optional<double> measured;   // none: could not be measured (and so fails)
  double limit = 0.0;               // pass when measured <= limit (>= for a floor)
  bool pass = false;
  std::string unit;                 // "ms", "writes", "terms"
  std::string detail;               // for a failure: by how much it missed
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
  std::vector<RollingStep> rolling;  // each step of every rolling restart
  std::optional<LinearizabilityResult> linearizability;  // when the plan asked for it
};

// Runs every measurement and check. `linearizability` is the checker's result
// for the same journal; when the plan declares `linearizable` and it is
// absent, that check fails as not checked.
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
