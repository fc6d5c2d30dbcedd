// A plan run several times (`faultline run PLAN --trials N`): every measure
// of every trial, its distribution over the trials, and the percentile
// objectives judged over them.
//
// Statistics use the nearest-rank method: the p-th percentile of n values
// is the ceil(p/100 * n)-th smallest (p50 of 20 trials is the 10th, p90 the
// 18th, p99 and max the 20th), always a value some trial measured. A trial
// in which a measure could not be taken (the cluster never recovered) ranks
// above every measured value: a statistic that falls on it is "not
// measured", and a percentile objective on it fails.
//
// Thread-safety: pure functions of their arguments.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "drills/verify/objectives.hpp"

namespace faultline::verify {

// One number a run measures, whether or not an objective limits it.
struct Measure {
  std::string name;  // an objective's name where one limits it ("rto_ms"), else "rto_detect_ms", ...
  std::string unit;
  std::optional<double> value;
};

// Every measure of a checked run, always the same names in the same order:
// the numeric objectives' measures, then the RTO parts and the RPO window.
std::vector<Measure> measures(const Verdict& verdict);

struct Distribution {
  std::string name;
  std::string unit;
  std::size_t trials = 0;    // values counted, measured or not
  std::size_t measured = 0;  // of those, the measured ones
  std::optional<double> min, p50, p90, p99, max;
  // The statistic named p50, p90, p99, max or min.
  std::optional<double> stat(const std::string& name) const;
};

// The nearest-rank `percentile` (0 < p <= 100) of `values`, unmeasured last.
std::optional<double> nearest_rank(std::vector<std::optional<double>> values, double p);
Distribution distribution(const std::string& name, const std::string& unit,
                          const std::vector<std::optional<double>>& values);

// One trial as the suite sees it.
struct TrialRecord {
  int index = 0;            // 1-based
  std::string seed;
  std::string dir;          // its run folder
  int exit_code = 3;        // its own: 0 pass, 1 fail, 3 not carried out
  std::string error;        // why it was not carried out (exit 3)
  bool interrupted = false;
  double seconds = 0;       // run time
  std::vector<Measure> measures;      // empty when it has no verdict
  std::vector<CheckResult> checks;    // its own checks (plain objectives, built-in checks)
  bool has_verdict() const { return !measures.empty(); }
};

struct SuiteVerdict {
  bool pass = false;
  // 0 every trial passed and every percentile objective held; 1 a trial
  // failed a check or a percentile objective was missed; 3 a trial could not
  // be carried out (or the suite was interrupted).
  int exit_code = 3;
  std::vector<Distribution> distributions;  // one per measure, in measures() order
  std::vector<CheckResult> checks;          // the percentile objectives, "rto_ms.p50"
  std::vector<std::string> failed;          // their names when missed, and "trial-03" for failed trials
  std::size_t trials_passed = 0;
  std::size_t trials_failed = 0;
  std::size_t trials_not_run = 0;  // exit 3: no verdict
};

// Judges `trials` (those with a verdict) against the plan's percentile
// objectives. `interrupted`: the suite stopped before its last trial.
SuiteVerdict judge_trials(const PlanFacts& plan, const std::vector<TrialRecord>& trials, bool interrupted);

struct Suite {
  PlanFacts plan;            // of the first trial (the plan's own seed in `seed`)
  std::string base_seed;     // the seed the trials' seeds are derived from
  int planned = 0;           // N of --trials N
  std::vector<TrialRecord> trials;
  bool interrupted = false;  // stopped by SIGINT/SIGTERM before the end
  std::string stop_reason;   // why the suite stopped early, when it did
  SuiteVerdict verdict;
  double seconds = 0;
};

// The seed of trial `index` (1-based): SplitMix64 of base + index
// (docs/running-drills.md#trials).
std::uint64_t trial_seed(std::uint64_t base, int index);

}  // namespace faultline::verify
