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

}  // namespace faultline::plan
