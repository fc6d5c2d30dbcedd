// `faultline run PLAN...` with several plans, or with suite files
// (drills/plan/suite.hpp): every plan of the command line, in order, each
// run as `faultline run PLAN` runs one, in its own run folder
// <suite folder>/<NN>-<plan name>, then the suite's summary (one line per
// plan: verdict, RTO, lost writes, time) and its reports in the suite
// folder (reports/plan_suite.hpp). `faultline validate PLAN...` checks the
// same list without running anything.
//
// Every plan is loaded and validated first: one invalid plan (or suite
// file) and nothing runs (exit 2, every error listed). The suite folder is
// --out, or runs/<suite>-<UTC time> (<suite> the suite file's name, or
// "suite" for plans named one by one); it must be empty or absent.
// --set and --seed apply to every plan (after a suite's own `set`); --trials
// takes one plan only. An interrupt (SIGINT, SIGTERM) or a journal that
// cannot be written stops the suite after the plan it stopped; the plans
// left are reported as not run. The exit code is the worst of the plans'
// (reports/plan_suite.hpp; docs/exit-codes.md).
//
// Must be called from the process's main thread (members are spawned from
// it, as runner::run_drill).
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "drills/runner/runner.hpp"

namespace faultline::suite {

// `options.plan_file` is ignored: `files` are the plans and suite files.
int run_suite(const runner::RunOptions& options, const std::vector<std::filesystem::path>& files,
              std::ostream& out, std::ostream& err);

// True when the command line names something other than one plain plan
// file: several files, or a suite file. `faultline run` then runs a suite.
bool is_suite_run(const std::vector<std::filesystem::path>& files);

// `faultline validate PLAN...`: one line per valid plan, 0; every error
// and 2 otherwise.
int validate_all(const std::vector<std::filesystem::path>& files, const std::vector<std::string>& overrides,
                 std::ostream& out, std::ostream& err);

}  // namespace faultline::suite
