// One drill, start to end: the run folder and journal made, the network and
// the target set up, the members started, the workload and the observer run
// while the fault timeline fires, the faults are healed, the cluster
// recovers and is read back, and the journal is checked into a verdict and
// reports.
//
// Every way out stops what the run started, in order: faults are healed
// (the registry), the workload and observer stopped, the members stopped
// (the supervisor), the network torn down (its namespaces and proxies).
// The run stops early, at once, when SIGINT or SIGTERM arrives (every wait
// ends within one poll: chaos/process/wait.hpp) or when a journal write
// fails; an interrupted or aborted run still writes the reports of what it
// recorded, marked as such. One whose journal failed writes none: the journal
// ends at its last whole line, and the disk under it is full or failing.
//
// Must be used from the process's main thread: members are spawned from it
// (their parent-death signal is tied to the spawning thread).
#pragma once

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>

#include "chaos/network/network.hpp"
#include "drills/plan/model.hpp"
#include "drills/runner/console.hpp"
#include "drills/runner/runner.hpp"
#include "drills/verify/history.hpp"
#include "drills/verify/objectives.hpp"

namespace faultline::runner {

struct DrillSpec {
  const plan::Plan* plan = nullptr;
  std::string plan_text;  // as read, for the plan hash
  std::filesystem::path plan_file;
  std::uint64_t seed = 0;
  std::filesystem::path dir;  // the run folder; must not exist or be empty
  std::string binary;
  network::NetworkOptions::Backend backend = network::NetworkOptions::Backend::automatic;
  int trial = 1;   // its place in a suite of `trials`
  int trials = 1;
};

struct DrillResult {
  int exit_code = 3;
  std::string error;           // exit 3: why, as printed after "error: "
  bool interrupted = false;    // SIGINT or SIGTERM
  bool journal_failed = false;
  std::optional<verify::History> history;  // when the journal was checked
  std::optional<verify::Verdict> verdict;
  bool reports_written = false;
  double seconds = 0;
};

class DrillRun {
 public:
  DrillRun(const DrillSpec& spec, Console& console) : spec_(spec), console_(console) {}
  // Prints the run's progress and errors through the console, not its
  // summary (the caller's, which knows whether it runs one drill or a suite).
  DrillResult run();

 private:
  const DrillSpec& spec_;
  Console& console_;
};

int print_plan_errors(const std::vector<plan::PlanError>& errors, std::ostream& err);

// Pieces of `faultline run` that a suite of plans reuses (runner.cpp).
std::optional<network::NetworkOptions::Backend> backend_named(const std::string& name);
// The UTC time as in run folder names: "20261125-195040".
std::string utc_stamp();
// The end of one run on the console: the summary and the files, the verdict
// line alone (--quiet), or one JSON object (--json). Returns its exit code.
int print_run(const DrillResult& result, const std::filesystem::path& dir, Console& console);

}  // namespace faultline::runner
