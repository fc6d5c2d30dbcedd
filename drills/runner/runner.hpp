// Runs a drill plan end to end against the embedded reference cluster:
// validate, bring the members up, drive the workload, inject and heal the
// faults on their timeline, let the cluster recover, read back what was
// acknowledged, check the journal and write the reports.
//
// Exit codes (docs/exit-codes.md): 0 every objective met; 1 an objective
// missed; 2 invalid plan or usage, nothing started; 3 the run could not be
// carried out (a member would not start, no leader, interrupted, the
// journal could not be written). With --trials, the suite's code: 1 when a
// trial failed or a percentile objective was missed over the trials, 3 when
// a trial could not be carried out.
//
// Must be called from the process's main thread: members are spawned from it
// (their parent-death signal is tied to the spawning thread).
//
// The caller owns process-wide signal state: nothing here installs a signal
// handler. run_drill polls process::termination_requested() and, once it is
// set, stops every member, writes the reports of what was recorded (marked
// interrupted) and returns 3. A caller that wants
// SIGINT and SIGTERM to end a run that way calls
// process::install_termination_handlers() (chaos/process/termination.hpp)
// before run_drill, as cli/main.cpp does for `faultline run`; without it the
// signals keep their default action, the runner dies at once, and its
// members die with it through their parent-death signal.
#pragma once

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "drills/plan/model.hpp"

namespace faultline::runner {

// How `faultline run` talks while it runs (drills/runner/console.hpp). The
// composition root picks the mode: live on a terminal, plain otherwise,
// quiet or json when asked; colours on a terminal unless NO_COLOR is set.
struct ConsoleOptions {
  enum class Mode { plain, live, quiet, json };
  Mode mode = Mode::plain;
  bool color = false;
  int width = 80;  // the terminal's columns, for the live line
};

struct RunOptions {
  std::filesystem::path plan_file;
  std::vector<std::string> overrides;  // --set PATH=VALUE
  std::optional<std::filesystem::path> out_dir;  // default runs/<plan>-<time>
  std::string binary;                  // the faultline executable, for members
  std::optional<std::uint64_t> seed;   // overrides the plan's seed
  // --network: automatic (kernel when namespaces can be made), kernel,
  // proxy or loopback (chaos/network/network.hpp).
  std::string network = "auto";
  ConsoleOptions console;
  // --trials N: run the plan N times with seeds derived from its seed, each
  // in <out>/trial-NN, and judge the distribution (docs/running-drills.md).
  int trials = 1;
  // --jobs N: a suite's plans run N at a time, each in a child process
  // (drills/suite/parallel_run.hpp); 1 runs them one after another here.
  int jobs = 1;
};

int run_drill(const RunOptions& options, std::ostream& out, std::ostream& err);

// `faultline validate PLAN`: 0 when valid (prints a one-line summary), 2 with
// every error otherwise.
int validate_plan(const std::filesystem::path& plan_file,
                  const std::vector<std::string>& overrides, std::ostream& out, std::ostream& err);

// `faultline report JOURNAL`: re-checks a journal and re-renders its reports
// next to it. Returns the verdict's exit code, or 2 if it cannot be read.
int report_journal(const std::filesystem::path& journal_file, std::ostream& out,
                   std::ostream& err);

}  // namespace faultline::runner
