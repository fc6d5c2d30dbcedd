// A JSON path as a list of steps (object keys and array indexes), and its
// printed form `$.faults[0].at_ms`. Shared by the validator (which names where
// a problem is), the locator (which finds that place's line in the raw text)
// and --set overrides (which write a value at a path).
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <variant>
#include <vector>

namespace faultline::plan {

using PathStep = std::variant<std::string, std::size_t>;
using JsonPath = std::vector<PathStep>;

// `$` for the root; `.key` for keys that are identifiers ([A-Za-z_][A-Za-z0-9_]*),
// `["any key"]` (JSON-escaped) for other keys, `[3]` for indexes.
std::string format_path(const JsonPath& path);

// The path with one more step.
JsonPath child(const JsonPath& parent, PathStep step);

// True when `prefix` is `path` or one of its ancestors.
bool starts_with(const JsonPath& path, const JsonPath& prefix);

}  // namespace faultline::plan
