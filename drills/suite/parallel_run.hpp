// `faultline run --jobs N PLAN...`: the plans of a suite run N at a time,
// each in a child `faultline run PLAN --out <its run folder> --quiet`
// process of its own. A drill moves its main thread into its own network
// namespaces and owns process-wide signal handling, so plans run side by
// side only as separate processes; each still has its own namespaces,
// addresses, members and run folder, exactly as when run alone.
//
// The longest plans (by workload.duration_ms) start first, so that the last
// one to end is a short one. Each child's console output goes to
// <suite folder>/<NN>-<plan>.console.txt. When a child ends, its journal is
// judged again here (runner::check_journal: the verdict is a function of
// the journal) for the suite's summary and reports; the child has written
// its own reports already.
//
// Every child gets SIGTERM if this process dies (PR_SET_PDEATHSIG), and
// on an interrupt (SIGINT, SIGTERM) every running child is sent SIGTERM and
// waited for: a child stops its members and heals its faults as a drill
// does on Ctrl-C. Plans not started are reported as not run.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "drills/plan/suite.hpp"
#include "drills/runner/console.hpp"
#include "drills/runner/runner.hpp"
#include "reports/plan_suite.hpp"

namespace faultline::suite {

struct PlannedRun {
  const plan::PlanToRun* plan = nullptr;
  std::uint64_t seed = 0;
  reports::PlanOutcome outcome;  // index, name, file, overrides, dir: filled by the caller
};

struct ParallelResult {
  std::vector<int> codes;  // of the plans that ran, in the suite's order
  bool stopped_early = false;
  std::string stop_reason;
};

// Runs `runs` (in the suite's order), at most `jobs` at a time, and fills
// each outcome. Must be called from the process's main thread.
ParallelResult run_in_children(const runner::RunOptions& options, std::vector<PlannedRun>& runs, int jobs,
                               runner::Console& console);

}  // namespace faultline::suite
