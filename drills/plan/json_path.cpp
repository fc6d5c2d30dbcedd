#include "drills/plan/json_path.hpp"

#include <nlohmann/json.hpp>

namespace faultline::plan {
namespace {

bool is_identifier(const std::string& key) {
  if (key.empty()) return false;
  for (std::size_t i = 0; i < key.size(); ++i) {
    const char c = key[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (!alpha && !(digit && i > 0)) return false;
  }
  return true;
}

}  // namespace

std::string format_path(const JsonPath& path) {
  std::string out = "$";
  for (const PathStep& step : path) {
    if (const auto* key = std::get_if<std::string>(&step)) {
      if (is_identifier(*key)) {
        out += "." + *key;
      } else {
        // Keys come from user input and may hold invalid UTF-8; replace it
        // rather than let dump() throw.
        out += "[" +
               nlohmann::json(*key).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
               "]";
      }
    } else {
      out += "[" + std::to_string(std::get<std::size_t>(step)) + "]";
    }
  }
  return out;
}

JsonPath child(const JsonPath& parent, PathStep step) {
  JsonPath out = parent;
  out.push_back(std::move(step));
  return out;
}

bool starts_with(const JsonPath& path, const JsonPath& prefix) {
  if (prefix.size() > path.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (path[i] != prefix[i]) return false;
  }
  return true;
}

std::optional<JsonPath> parse_json_path(std::string_view text, std::string& error) {
  auto fail = [&](std::size_t at, const std::string& what) -> std::optional<JsonPath> {
    error = "bad JSON path " + nlohmann::json(std::string(text)).dump(-1, ' ', false,
                                                                       nlohmann::json::error_handler_t::replace) +
            " at character " + std::to_string(at + 1) + ": " + what +
            " (write it as $.key, $.list[0] or $[\"any key\"])";
    return std::nullopt;
  };
  if (text.empty() || text[0] != '$') return fail(0, "a path starts with $");
  JsonPath path;
  std::size_t i = 1;
  while (i < text.size()) {
    if (text[i] == '.') {
      std::size_t end = i + 1;
      while (end < text.size() && text[end] != '.' && text[end] != '[') ++end;
      const std::string key(text.substr(i + 1, end - i - 1));
      if (!is_identifier(key)) return fail(i + 1, "expected a key of letters, digits and _ after '.'");
      path.emplace_back(key);
      i = end;
    } else if (text[i] == '[') {
      const std::size_t close = text.find(']', i);
      if (close == std::string_view::npos) return fail(i, "unclosed '['");
      const std::string_view inside = text.substr(i + 1, close - i - 1);
      if (!inside.empty() && inside.front() == '"') {
        // A JSON string may itself hold ']': find the closing quote first.
        std::size_t quote = i + 2;
        while (quote < text.size() && text[quote] != '"') quote += text[quote] == '\\' ? std::size_t{2} : std::size_t{1};
        if (quote >= text.size() || quote + 1 >= text.size() || text[quote + 1] != ']') {
          return fail(i, "expected [\"key\"]");
        }
        const nlohmann::json key = nlohmann::json::parse(text.substr(i + 1, quote - i), nullptr, false);
        if (!key.is_string()) return fail(i + 1, "the key is not a valid JSON string");
        path.emplace_back(key.get<std::string>());
        i = quote + 2;
        continue;
      }
      if (inside.empty() || inside.size() > 9 ||
          inside.find_first_not_of("0123456789") != std::string_view::npos) {
        return fail(i + 1, "expected an index of digits or a quoted key inside [ ]");
      }
      path.emplace_back(static_cast<std::size_t>(std::stoul(std::string(inside))));
      i = close + 1;
    } else {
      return fail(i, "expected '.' or '['");
    }
  }
  return path;
}

const nlohmann::json* find_at(const nlohmann::json& doc, const JsonPath& path) {
  const nlohmann::json* at = &doc;
  for (const PathStep& step : path) {
    if (const auto* key = std::get_if<std::string>(&step)) {
      if (!at->is_object()) return nullptr;
      const auto it = at->find(*key);
      if (it == at->end()) return nullptr;
      at = &*it;
    } else {
      const std::size_t index = std::get<std::size_t>(step);
      if (!at->is_array() || index >= at->size()) return nullptr;
      at = &(*at)[index];
    }
  }
  return at;
}

}  // namespace faultline::plan
