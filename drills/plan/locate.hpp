// Finds where a JSON path sits in a plan's raw text, so that errors can name a
// line. nlohmann::json keeps no source positions, hence this small scanner of
// its own.
//
// Contract: `locate_line` returns the 1-based line where the path's object key
// starts (for a member of an object) or where its value starts (for an array
// element, or the root). When the path does not exist in the text (a missing
// field, a value set by --set) it falls back to the deepest ancestor that does;
// 0 when not even the root can be found. It never throws and works on any text,
// well-formed or not, in one forward pass bounded by the text's length.
//
// Duplicate keys: the last occurrence wins, as in nlohmann::json.
//
// Thread-safety: a pure function.
#pragma once

#include <string_view>

#include "drills/plan/json_path.hpp"

namespace faultline::plan {

int locate_line(std::string_view text, const JsonPath& path);

}  // namespace faultline::plan
