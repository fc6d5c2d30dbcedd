// Suite files and the list of plans one `faultline run` (or `validate`) is
// given. A suite file names plans to run one after another, each with its
// own overrides:
//
//   { "suite": "ci", "description": "...",
//     "plans": [ { "plan": "../library/leader-kill.json", "set": { "objectives.rto_ms": 1500 } },
//                "../library/stale-reads.json" ] }
//
// `plan` paths are relative to the suite file's folder (absolute ones are
// kept); an entry may be the path alone. `set` maps `--set` paths to JSON
// values, applied before the command line's own --set. A file is a suite
// when its top level is an object with a `suite` member; anything else is
// read as a plan. A suite lists plans, not other suites.
//
// Errors follow the plan format's convention (plan.hpp): no exceptions for
// bad input; every problem of the suite file and of every plan it names is
// collected, each with file, line and JSON path. An error caused by a
// suite's `set` points at that `set` entry in the suite file.
//
// Thread-safety: pure functions except for reading the files named.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "drills/plan/model.hpp"

namespace faultline::plan {

// One plan to run, validated, with its overrides applied.
struct PlanToRun {
  Plan plan;
  std::string text;                    // the plan file as read (for the plan hash)
  std::filesystem::path file;          // as it is named in messages and the journal
  std::vector<std::string> overrides;  // the suite's `set`, then the command line's --set
  std::string suite;                   // the suite it came from; empty when named on the command line
};

struct RunList {
  std::vector<PlanToRun> plans;   // every plan, in order, exactly when `errors` is empty
  std::vector<PlanError> errors;  // file by file, in the order named
  // The suite's name when the command line named exactly one suite file
  // (and nothing else); empty otherwise.
  std::string suite_name;
  std::string suite_description;
  std::size_t suite_files = 0;    // how many suite files were named
};

// Loads every file of the command line: plans and suite files, in order.
// `overrides` (--set) apply to every plan, after a suite's own `set`.
RunList load_run_list(const std::vector<std::filesystem::path>& files, const std::vector<std::string>& overrides);

// True when a parsed file is a suite file rather than a plan.
bool is_suite_document(const nlohmann::json& doc);

}  // namespace faultline::plan
