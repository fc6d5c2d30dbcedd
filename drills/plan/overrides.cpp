#include "drills/plan/overrides.hpp"

#include <optional>

namespace faultline::plan {
namespace {

using nlohmann::json;

// Bounds a path's length so a hostile override cannot build a huge document.
constexpr std::size_t kMaxSteps = 32;
constexpr std::size_t kMaxIndex = 1'000'000;

bool key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

// Parses `a.b[0].c`; nullopt with `error` set when malformed.
std::optional<JsonPath> parse_path(std::string_view text, std::string& error) {
  JsonPath path;
  std::size_t i = 0;
  while (i < text.size()) {
    if (path.size() >= kMaxSteps) {
      error = "path has more than " + std::to_string(kMaxSteps) + " steps";
      return std::nullopt;
    }
    if (text[i] == '[') {
      const std::size_t close = text.find(']', i);
      const std::string_view digits =
          close == std::string_view::npos ? std::string_view{} : text.substr(i + 1, close - i - 1);
      if (digits.empty() || digits.size() > 7 ||
          digits.find_first_not_of("0123456789") != std::string_view::npos) {
        error = "expected an index such as [0] at position " + std::to_string(i + 1);
        return std::nullopt;
      }
      path.emplace_back(static_cast<std::size_t>(std::stoul(std::string(digits))));
      i = close + 1;
      continue;
    }
    if (text[i] == '.') {
      if (path.empty() || i + 1 >= text.size()) {
        error = "misplaced '.' at position " + std::to_string(i + 1);
        return std::nullopt;
      }
      ++i;
    } else if (!path.empty()) {
      error = "expected '.' or '[' at position " + std::to_string(i + 1);
      return std::nullopt;
    }
    std::size_t end = i;
    while (end < text.size() && key_char(text[end])) ++end;
    if (end == i) {
      error = "expected a field name at position " + std::to_string(i + 1);
      return std::nullopt;
    }
    path.emplace_back(std::string(text.substr(i, end - i)));
    i = end;
  }
  if (path.empty()) {
    error = "empty path";
    return std::nullopt;
  }
  return path;
}

}  // namespace

OverrideResult apply_override(json& doc, std::string_view assignment) {
  OverrideResult result;
  const std::size_t eq = assignment.find('=');
  if (eq == std::string_view::npos) {
    result.error = "expected PATH=VALUE";
    return result;
  }
  const std::optional<JsonPath> path = parse_path(assignment.substr(0, eq), result.error);
  if (!path) return result;

  const std::string raw(assignment.substr(eq + 1));
  json value = json::parse(raw, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) value = raw;

  // Check the whole path before writing anything, so a failed override leaves
  // the document as it was.
  json copy = doc;
  json* node = &copy;
  for (std::size_t s = 0; s < path->size(); ++s) {
    const PathStep& step = (*path)[s];
    const std::string where =
        format_path(JsonPath(path->begin(), path->begin() + static_cast<std::ptrdiff_t>(s)));
    if (const auto* key = std::get_if<std::string>(&step)) {
      if (node->is_null()) *node = json::object();
      if (!node->is_object()) {
        result.error = where + " is not an object, cannot set field \"" + *key + "\"";
        return result;
      }
      node = &(*node)[*key];
    } else {
      const std::size_t index = std::get<std::size_t>(step);
      if (node->is_null()) *node = json::array();
      if (!node->is_array()) {
        result.error = where + " is not an array, cannot set index [" + std::to_string(index) + "]";
        return result;
      }
      if (index > node->size() || index > kMaxIndex) {
        result.error = where + " has " + std::to_string(node->size()) + " elements, cannot set [" +
                       std::to_string(index) + "]";
        return result;
      }
      if (index == node->size()) node->push_back(nullptr);
      node = &(*node)[index];
    }
  }
  *node = std::move(value);
  doc = std::move(copy);
  result.ok = true;
  result.path = *path;
  return result;
}

}  // namespace faultline::plan
