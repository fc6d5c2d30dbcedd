// One drill, start to end: the plan is loaded and validated, the run folder
// and journal made, the network and the target set up, the members started,
// the workload and the observer run while the fault timeline fires, the
// faults are healed, the cluster recovers and is read back, and the journal
// is checked into a verdict and reports.
//
// Every way out stops what the run started, in order: faults are healed
// (the registry), the workload and observer stopped, the members stopped
// (the supervisor), the network torn down (its namespaces and proxies).
//
// Must be used from the process's main thread: members are spawned from it
// (their parent-death signal is tied to the spawning thread).
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include "drills/runner/runner.hpp"

namespace faultline::runner {

class DrillRun {
 public:
  DrillRun(const RunOptions& options, std::ostream& out, std::ostream& err)
      : options_(options), out_(out), err_(err) {}
  int run();

 private:
  const RunOptions& options_;
  std::ostream& out_;
  std::ostream& err_;
};

int print_plan_errors(const std::vector<plan::PlanError>& errors, std::ostream& err);

}  // namespace faultline::runner
