// `--set PATH=VALUE` overrides, applied to the parsed document before it is
// validated, so an overridden value is checked like any other.
//
// PATH is dotted keys with `[i]` indexes: `objectives.rto_ms`,
// `faults[0].at_ms`, `topology.election_timeout_ms[1]`. Keys are
// [A-Za-z0-9_-]+. Missing objects along the path are created; an index may
// name an existing element or the one just past the end (which appends).
// VALUE is taken as JSON when it parses as JSON (`1500`, `true`, `[300,600]`,
// `"c1"`), otherwise as a plain string (`leader`).
//
// Thread-safety: pure functions over the document passed in.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "drills/plan/json_path.hpp"

namespace faultline::plan {

struct OverrideResult {
  bool ok = false;
  std::string error;  // when !ok: what is wrong with the override string
  JsonPath path;      // when ok: where the value was written
};

// Writes the value into `doc`. On error `doc` is left unchanged.
OverrideResult apply_override(nlohmann::json& doc, std::string_view assignment);

}  // namespace faultline::plan
