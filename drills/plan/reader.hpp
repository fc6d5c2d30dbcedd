// Typed, checked reads of plan fields. Every check that fails records an
// Issue (the JSON path and what was wrong) and reading goes on, so that one
// pass reports every problem in a plan, not just the first.
//
// Thread-safety: an ObjectReader appends to the Issues it was given; use one
// per thread.
#pragma once

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "drills/plan/json_path.hpp"

namespace faultline::plan {

struct Issue {
  JsonPath path;
  std::string message;
};
using Issues = std::vector<Issue>;

// The outcome of reading one field: `ok` is false when an issue was recorded;
// `value` holds what was read, or the default when the field was absent, or
// nothing (absent without a default, or not ok).
template <class T>
struct Field {
  std::optional<T> value;
  bool ok = true;
};

enum class Need { optional, required };

// Inclusive integer bounds.
struct IntRule {
  std::int64_t min = std::numeric_limits<std::int64_t>::min();
  std::int64_t max = std::numeric_limits<std::int64_t>::max();
};

// Number bounds; `min_exclusive` makes the lower bound strict (> min).
struct NumberRule {
  double min = -std::numeric_limits<double>::max();
  bool min_exclusive = false;
  double max = std::numeric_limits<double>::max();
};

// "string \"abc\"", "integer 5", "number 1.5", "array", "null"... for
// "expected X, found Y" messages. Never dumps containers, whatever their size.
std::string describe(const nlohmann::json& value);

// `"text"`, JSON-escaped, shortened past 40 bytes: a user's string inside a message.
std::string show_text(std::string_view text);

// Checks of a single value (an object member or an array element) at `path`.
std::optional<std::int64_t> read_integer(const nlohmann::json& value, const JsonPath& path,
                                         IntRule rule, Issues& issues);
std::optional<double> read_number(const nlohmann::json& value, const JsonPath& path,
                                  NumberRule rule, Issues& issues);
std::optional<std::string> read_string(const nlohmann::json& value, const JsonPath& path,
                                       Issues& issues);
std::optional<bool> read_boolean(const nlohmann::json& value, const JsonPath& path, Issues& issues);

class ObjectReader {
 public:
  // `value` must outlive the reader. Records an issue when it is not an object
  // (every read then comes back not ok), and one for each member whose name is
  // not in `known_fields`, with a did-you-mean when one is close.
  ObjectReader(const nlohmann::json& value, JsonPath path, Issues& issues,
               std::vector<std::string> known_fields);

  bool is_object() const { return is_object_; }
  const JsonPath& path() const { return path_; }
  JsonPath path_of(std::string_view key) const { return child(path_, std::string(key)); }

  // The member, or nullptr when absent (recording "missing required field"
  // when it is required) or when this is not an object.
  const nlohmann::json* member(std::string_view key, Need need = Need::optional);

  Field<std::int64_t> integer(std::string_view key, IntRule rule,
                              std::optional<std::int64_t> fallback, Need need = Need::optional);
  Field<std::uint64_t> unsigned_integer(std::string_view key);
  Field<double> number(std::string_view key, NumberRule rule, std::optional<double> fallback,
                       Need need = Need::optional);
  Field<std::string> string(std::string_view key, std::optional<std::string> fallback,
                            Need need = Need::optional);
  Field<bool> boolean(std::string_view key, std::optional<bool> fallback,
                      Need need = Need::optional);

 private:
  template <class T, class ReadFn>
  Field<T> read(std::string_view key, std::optional<T> fallback, Need need, ReadFn read_fn);

  const nlohmann::json& value_;
  JsonPath path_;
  Issues& issues_;
  bool is_object_;
};

}  // namespace faultline::plan
