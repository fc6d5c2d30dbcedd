// A JSON path as a list of steps (object keys and array indexes), and its
// printed form `$.faults[0].at_ms`. Shared by the validator (which names where
// a problem is), the locator (which finds that place's line in the raw text)
// and --set overrides (which write a value at a path).
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

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

// Reads what format_path writes: `$`, then `.key`, `[3]` or `["any key"]`
// steps (`$.kvs[0].value`, `$.header.member_id`). nullopt with `error`
// saying where the text stops making sense.
std::optional<JsonPath> parse_json_path(std::string_view text, std::string& error);

// The value at `path` inside `doc`, or nullptr when a step is missing (a key
// not in an object, an index past an array's end, a step into a scalar).
const nlohmann::json* find_at(const nlohmann::json& doc, const JsonPath& path);

}  // namespace faultline::plan
