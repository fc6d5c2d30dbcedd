#include "drills/plan/reader.hpp"

#include <cmath>

#include "drills/plan/suggest.hpp"

namespace faultline::plan {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxShown = 40;

// Bounds are written in the docs as 0 and 1, not 0.0 and 1.0.
std::string show_number(double v) {
  if (std::trunc(v) == v && std::fabs(v) < 1e15)
    return std::to_string(static_cast<std::int64_t>(v));
  return json(v).dump();
}

std::string range_problem(std::int64_t v, IntRule rule) {
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  std::string what;
  if (rule.max != kMax) {
    what = "must be between " + std::to_string(rule.min) + " and " + std::to_string(rule.max);
  } else if (rule.min == 1) {
    what = "must be positive";
  } else if (rule.min == 0) {
    what = "must not be negative";
  } else {
    what = "must be at least " + std::to_string(rule.min);
  }
  return what + ", got " + std::to_string(v);
}

}  // namespace

std::string show_text(std::string_view text) {
  const bool cut = text.size() > kMaxShown;
  std::string shown = json(std::string(text.substr(0, kMaxShown)))
                          .dump(-1, ' ', false, json::error_handler_t::replace);
  if (cut) shown.insert(shown.size() - 1, "...");
  return shown;
}

std::string describe(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return value.get<bool>() ? "boolean true" : "boolean false";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "integer " + value.dump();
    case json::value_t::number_float:
      return "number " + value.dump();
    case json::value_t::array:
      return "array";
    case json::value_t::object:
      return "object";
    case json::value_t::string:
      return "string " + show_text(value.get_ref<const std::string&>());
    default:
      return "a binary value";
  }
}

std::optional<std::int64_t> read_integer(const json& value, const JsonPath& path, IntRule rule,
                                         Issues& issues) {
  std::optional<std::int64_t> v;
  if (value.is_number_unsigned()) {
    const auto u = value.get<std::uint64_t>();
    if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      v = static_cast<std::int64_t>(u);
    } else {
      issues.push_back({path, "integer " + value.dump() + " is out of range"});
      return std::nullopt;
    }
  } else if (value.is_number_integer()) {
    v = value.get<std::int64_t>();
  } else if (value.is_number_float()) {
    // 3000.0 or 3e3 is a fine way to write an integer; 1.5 is not.
    const double d = value.get<double>();
    if (std::isfinite(d) && std::trunc(d) == d && d >= -9.0e18 && d <= 9.0e18) {
      v = static_cast<std::int64_t>(d);
    }
  }
  if (!v) {
    issues.push_back({path, "expected an integer, found " + describe(value)});
    return std::nullopt;
  }
  if (*v < rule.min || *v > rule.max) {
    issues.push_back({path, range_problem(*v, rule)});
    return std::nullopt;
  }
  return v;
}

std::optional<double> read_number(const json& value, const JsonPath& path, NumberRule rule,
                                  Issues& issues) {
  if (!value.is_number()) {
    issues.push_back({path, "expected a number, found " + describe(value)});
    return std::nullopt;
  }
  const double v = value.get<double>();
  if (!std::isfinite(v)) {
    issues.push_back({path, "number is out of range"});
    return std::nullopt;
  }
  const bool below = rule.min_exclusive ? v <= rule.min : v < rule.min;
  if (below || v > rule.max) {
    std::string what;
    if (rule.max != std::numeric_limits<double>::max()) {
      what = "must be between " + show_number(rule.min) + " and " + show_number(rule.max);
    } else if (rule.min_exclusive) {
      what = "must be greater than " + show_number(rule.min);
    } else if (rule.min == 0) {
      what = "must not be negative";
    } else {
      what = "must be at least " + show_number(rule.min);
    }
    issues.push_back({path, what + ", got " + value.dump()});
    return std::nullopt;
  }
  return v;
}

std::optional<std::string> read_string(const json& value, const JsonPath& path, Issues& issues) {
  if (!value.is_string()) {
    issues.push_back({path, "expected a string, found " + describe(value)});
    return std::nullopt;
  }
  return value.get<std::string>();
}

std::optional<bool> read_boolean(const json& value, const JsonPath& path, Issues& issues) {
  if (!value.is_boolean()) {
    issues.push_back({path, "expected true or false, found " + describe(value)});
    return std::nullopt;
  }
  return value.get<bool>();
}

ObjectReader::ObjectReader(const json& value, JsonPath path, Issues& issues,
                           std::vector<std::string> known_fields)
    : value_(value), path_(std::move(path)), issues_(issues), is_object_(value.is_object()) {
  if (!is_object_) {
    issues_.push_back({path_, "expected an object, found " + describe(value)});
    return;
  }
  for (const auto& [key, unused] : value_.items()) {
    (void)unused;
    bool known = false;
    for (const std::string& k : known_fields) known = known || k == key;
    if (known) continue;
    std::string message = "unknown field " + show_text(key);
    if (auto near = closest_match(key, known_fields)) {
      message += "; did you mean " + show_text(*near) + "?";
    } else {
      message += "; known fields: " + join(known_fields);
    }
    issues_.push_back({child(path_, key), message});
  }
}

const json* ObjectReader::member(std::string_view key, Need need) {
  if (!is_object_) return nullptr;
  const auto it = value_.find(key);
  if (it == value_.end()) {
    if (need == Need::required) {
      issues_.push_back({path_of(key), "missing required field " + show_text(key)});
    }
    return nullptr;
  }
  return &*it;
}

template <class T, class ReadFn>
Field<T> ObjectReader::read(std::string_view key, std::optional<T> fallback, Need need,
                            ReadFn read_fn) {
  if (!is_object_) return {std::nullopt, false};
  const json* m = member(key, need);
  if (m == nullptr) return {fallback, need == Need::optional};
  std::optional<T> v = read_fn(*m, path_of(key));
  return {v, v.has_value()};
}

Field<std::int64_t> ObjectReader::integer(std::string_view key, IntRule rule,
                                          std::optional<std::int64_t> fallback, Need need) {
  return read<std::int64_t>(key, fallback, need, [&](const json& v, const JsonPath& p) {
    return read_integer(v, p, rule, issues_);
  });
}

Field<std::uint64_t> ObjectReader::unsigned_integer(std::string_view key) {
  return read<std::uint64_t>(
      key, std::nullopt, Need::optional,
      [&](const json& v, const JsonPath& p) -> std::optional<std::uint64_t> {
        if (v.is_number_unsigned()) return v.get<std::uint64_t>();
        if (v.is_number_integer()) {
          issues_.push_back({p, "must not be negative, got " + v.dump()});
        } else {
          issues_.push_back({p, "expected a non-negative integer, found " + describe(v)});
        }
        return std::nullopt;
      });
}

Field<double> ObjectReader::number(std::string_view key, NumberRule rule,
                                   std::optional<double> fallback, Need need) {
  return read<double>(key, fallback, need, [&](const json& v, const JsonPath& p) {
    return read_number(v, p, rule, issues_);
  });
}

Field<std::string> ObjectReader::string(std::string_view key, std::optional<std::string> fallback,
                                        Need need) {
  return read<std::string>(key, std::move(fallback), need, [&](const json& v, const JsonPath& p) {
    return read_string(v, p, issues_);
  });
}

Field<bool> ObjectReader::boolean(std::string_view key, std::optional<bool> fallback, Need need) {
  return read<bool>(key, fallback, need, [&](const json& v, const JsonPath& p) {
    return read_boolean(v, p, issues_);
  });
}

}  // namespace faultline::plan
