// Loading drill plans: the entry point of this library.
//
// Error convention: no function here throws for bad input. A plan that cannot
// be read, parsed or validated comes back as a LoadResult without a plan and
// with every problem found, each naming the file, the line (when known) and
// the JSON path, e.g.
//   drills/library/leader-kill.json:14: $.faults[0].at_ms: must be before the
//   end of the workload (workload.duration_ms = 8000), got 9000
// The format and every rule are documented in docs/plan.md.
//
// Thread-safety: pure functions; safe to call concurrently.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "drills/plan/model.hpp"

namespace faultline::plan {

struct LoadResult {
  std::optional<Plan> plan;       // set exactly when `errors` is empty
  std::vector<PlanError> errors;  // ordered by line; file-level errors first
  std::string text;               // the raw plan text as read (for hashing)
};

// Reads `file` (at most 4 MiB) and parses it. `overrides` are `PATH=VALUE`
// strings (overrides.hpp) applied before validation; errors about a value an
// override set say so and carry no line.
LoadResult load_plan(const std::filesystem::path& file,
                     const std::vector<std::string>& overrides = {});

// Same for text already in memory; `file_label` names it in errors.
LoadResult parse_plan(std::string_view text, std::string file_label,
                      const std::vector<std::string>& overrides = {});

// The text of a plan (or suite) file, at most 4 MiB; nullopt with `error`
// ("No such file or directory", "is a directory", "larger than ...").
std::optional<std::string> read_plan_file(const std::filesystem::path& file, std::string& error);

// The journal's `plan_hash` of a plan: FNV-1a 64 of its raw text as read
// (LoadResult::text, before any --set override), as 16 lowercase hex digits.
std::string plan_hash(std::string_view text);

// The plan as JSON with every default written out; an absent seed,
// restart_after_ms or objective is left out. parse_plan(to_json(p).dump())
// gives back p.
nlohmann::json to_json(const Plan& plan);

}  // namespace faultline::plan
