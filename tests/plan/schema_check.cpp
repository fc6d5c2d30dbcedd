#include "tests/plan/schema_check.hpp"

#include <cmath>
#include <map>
#include <regex>
#include <set>
#include <stdexcept>

namespace faultline::plan::testing {
namespace {

using nlohmann::json;

const std::set<std::string>& known_keywords() {
  static const std::set<std::string> known{
      "type",     "enum",     "const",     "properties", "required",         "additionalProperties",
      "items",    "prefixItems", "minItems", "maxItems",  "minProperties",    "minimum",
      "maximum",  "exclusiveMinimum", "minLength", "pattern", "allOf", "anyOf",
      "oneOf",    "not",      "if",        "then",       "else",             "$ref",
      "$schema",  "title",    "description", "default",   "examples",         "$defs"};
  return known;
}

bool has_type(const json& doc, const std::string& type) {
  if (type == "null") return doc.is_null();
  if (type == "boolean") return doc.is_boolean();
  if (type == "object") return doc.is_object();
  if (type == "array") return doc.is_array();
  if (type == "string") return doc.is_string();
  if (type == "number") return doc.is_number();
  if (type == "integer") {
    if (doc.is_number_integer() || doc.is_number_unsigned()) return true;
    return doc.is_number_float() && std::trunc(doc.get<double>()) == doc.get<double>();
  }
  throw std::invalid_argument("unknown type " + type);
}

std::size_t code_points(const std::string& s) {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

std::string at(const std::string& where, const std::string& key) { return where + "/" + key; }

// Patterns compiled once: the corpus checks thousands of documents.
const std::regex& compiled(const std::string& pattern) {
  thread_local std::map<std::string, std::regex> cache;
  auto it = cache.find(pattern);
  if (it == cache.end()) it = cache.emplace(pattern, std::regex(pattern, std::regex::ECMAScript)).first;
  return it->second;
}

}  // namespace

std::vector<std::string> SchemaCheck::errors(const json& doc) const {
  std::vector<std::string> out;
  check(root_, doc, "", out, 0);
  return out;
}

const json& SchemaCheck::resolve(const std::string& ref) const {
  const std::string prefix = "#/$defs/";
  if (ref.rfind(prefix, 0) != 0) throw std::invalid_argument("unsupported $ref " + ref);
  const std::string name = ref.substr(prefix.size());
  if (!root_.contains("$defs") || !root_["$defs"].contains(name)) throw std::invalid_argument("dangling $ref " + ref);
  return root_["$defs"][name];
}

void SchemaCheck::check(const json& s, const json& doc, const std::string& where, std::vector<std::string>& out,
                        int depth) const {
  if (depth > 64) throw std::invalid_argument("schema nests too deep at " + where);
  if (s.is_boolean()) {
    if (!s.get<bool>()) out.push_back(where + ": no value is allowed here");
    return;
  }
  if (!s.is_object()) throw std::invalid_argument("a schema is an object or a boolean, at " + where);
  for (const auto& [key, unused] : s.items()) {
    (void)unused;
    if (known_keywords().count(key) == 0) throw std::invalid_argument("unsupported keyword " + key);
  }
  const std::string here = where.empty() ? "$" : where;
  if (s.contains("$ref")) check(resolve(s["$ref"].get<std::string>()), doc, where, out, depth + 1);
  if (s.contains("type")) {
    const json& type = s["type"];
    bool ok = false;
    if (type.is_string()) {
      ok = has_type(doc, type.get<std::string>());
    } else {
      for (const auto& t : type) ok = ok || has_type(doc, t.get<std::string>());
    }
    if (!ok) {
      out.push_back(here + ": expected type " + type.dump() + ", found " + doc.dump());
      return;  // the other keywords of a wrong type say nothing more
    }
  }
  if (s.contains("enum")) {
    bool found = false;
    for (const auto& v : s["enum"]) found = found || v == doc;
    if (!found) out.push_back(here + ": " + doc.dump() + " is not one of " + s["enum"].dump());
  }
  if (s.contains("const") && !(s["const"] == doc)) out.push_back(here + ": expected " + s["const"].dump());
  if (doc.is_object()) {
    const json empty = json::object();
    const json& properties = s.contains("properties") ? s["properties"] : empty;
    for (const auto& [key, value] : doc.items()) {
      if (properties.contains(key)) {
        check(properties[key], value, at(where, key), out, depth + 1);
      } else if (s.contains("additionalProperties")) {
        const json& extra = s["additionalProperties"];
        if (extra.is_boolean() && !extra.get<bool>()) {
          out.push_back(at(where, key) + ": unknown property");
        } else {
          check(extra, value, at(where, key), out, depth + 1);
        }
      }
    }
    if (s.contains("required")) {
      for (const auto& r : s["required"]) {
        if (!doc.contains(r.get<std::string>())) out.push_back(here + ": missing " + r.get<std::string>());
      }
    }
    if (s.contains("minProperties") && doc.size() < s["minProperties"].get<std::size_t>()) {
      out.push_back(here + ": too few properties");
    }
  }
  if (doc.is_array()) {
    std::size_t first = 0;
    if (s.contains("prefixItems")) {
      const json& prefix = s["prefixItems"];
      for (std::size_t i = 0; i < prefix.size() && i < doc.size(); ++i) {
        check(prefix[i], doc[i], at(where, std::to_string(i)), out, depth + 1);
      }
      first = prefix.size();
    }
    if (s.contains("items")) {
      for (std::size_t i = first; i < doc.size(); ++i) check(s["items"], doc[i], at(where, std::to_string(i)), out, depth + 1);
    }
    if (s.contains("minItems") && doc.size() < s["minItems"].get<std::size_t>()) out.push_back(here + ": too few items");
    if (s.contains("maxItems") && doc.size() > s["maxItems"].get<std::size_t>()) out.push_back(here + ": too many items");
  }
  if (doc.is_number()) {
    const double v = doc.get<double>();
    if (s.contains("minimum") && v < s["minimum"].get<double>()) out.push_back(here + ": below the minimum");
    if (s.contains("maximum") && v > s["maximum"].get<double>()) out.push_back(here + ": above the maximum");
    if (s.contains("exclusiveMinimum") && v <= s["exclusiveMinimum"].get<double>()) {
      out.push_back(here + ": not above the exclusive minimum");
    }
  }
  if (doc.is_string()) {
    const std::string& text = doc.get_ref<const std::string&>();
    if (s.contains("minLength") && code_points(text) < s["minLength"].get<std::size_t>()) {
      out.push_back(here + ": too short");
    }
    if (s.contains("pattern") && !std::regex_search(text, compiled(s["pattern"].get<std::string>()))) {
      out.push_back(here + ": does not match " + s["pattern"].get<std::string>());
    }
  }
  if (s.contains("allOf")) {
    for (const auto& sub : s["allOf"]) check(sub, doc, where, out, depth + 1);
  }
  auto passes = [&](const json& sub) {
    std::vector<std::string> inner;
    check(sub, doc, where, inner, depth + 1);
    return inner.empty();
  };
  if (s.contains("anyOf")) {
    bool any = false;
    for (const auto& sub : s["anyOf"]) any = any || passes(sub);
    if (!any) out.push_back(here + ": matches none of anyOf");
  }
  if (s.contains("oneOf")) {
    int matched = 0;
    for (const auto& sub : s["oneOf"]) matched += passes(sub) ? 1 : 0;
    if (matched != 1) out.push_back(here + ": matches " + std::to_string(matched) + " of oneOf, not one");
  }
  if (s.contains("not") && passes(s["not"])) out.push_back(here + ": matches what `not` refuses");
  if (s.contains("if")) {
    if (passes(s["if"])) {
      if (s.contains("then")) check(s["then"], doc, where, out, depth + 1);
    } else if (s.contains("else")) {
      check(s["else"], doc, where, out, depth + 1);
    }
  }
}

}  // namespace faultline::plan::testing
