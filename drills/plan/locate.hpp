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
#include <vector>

#include "drills/plan/json_path.hpp"

namespace faultline::plan {

int locate_line(std::string_view text, const JsonPath& path);

// A key written twice in one object: nlohmann::json keeps the last one and
// drops the first without a word, so a plan that says `"rto_ms"` twice
// would be judged against whichever came last. `line` is the later key's,
// `first_line` the earlier one's.
struct DuplicateKey {
  JsonPath path;
  int line = 0;
  int first_line = 0;
};

// Every duplicate key of a document, in text order. Meant for text that
// parsed as JSON; on other text it stops where the text stops making sense.
// Iterative (an explicit stack), so deep nesting is harmless.
std::vector<DuplicateKey> duplicate_keys(std::string_view text);

}  // namespace faultline::plan
