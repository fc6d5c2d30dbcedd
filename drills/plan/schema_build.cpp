#include "drills/plan/schema_build.hpp"

#include <algorithm>
#include <cmath>

#include "chaos/faults/selector.hpp"

namespace faultline::plan::schema {
namespace {

// Whole numbers as integers (`600`, not `600.0`), so the file reads as the docs do.
json whole_or_number(double v) {
  if (std::trunc(v) == v && std::fabs(v) < 9e15) return static_cast<std::int64_t>(v);
  return v;
}

void describe(json& s, std::string doc) {
  if (!doc.empty()) s["description"] = std::move(doc);
}

}  // namespace

json integer(std::int64_t min, std::optional<std::int64_t> max, std::optional<std::int64_t> fallback,
             std::string doc) {
  json s{{"type", "integer"}, {"minimum", min}};
  if (max) s["maximum"] = *max;
  if (fallback) s["default"] = *fallback;
  describe(s, std::move(doc));
  return s;
}

json number(double min, bool exclusive, std::optional<double> max, std::optional<double> fallback,
            std::string doc) {
  json s{{"type", "number"}};
  s[exclusive ? "exclusiveMinimum" : "minimum"] = whole_or_number(min);
  if (max) s["maximum"] = whole_or_number(*max);
  if (fallback) s["default"] = whole_or_number(*fallback);
  describe(s, std::move(doc));
  return s;
}

json boolean(bool fallback, std::string doc) {
  json s{{"type", "boolean"}, {"default", fallback}};
  describe(s, std::move(doc));
  return s;
}

json text(std::string doc, std::optional<std::string> fallback, std::string pattern) {
  json s{{"type", "string"}};
  if (!pattern.empty()) s["pattern"] = std::move(pattern);
  if (fallback) s["default"] = *fallback;
  describe(s, std::move(doc));
  return s;
}

json choice(const std::vector<std::string>& values, std::optional<std::string> fallback, std::string doc) {
  json s{{"enum", values}};
  if (fallback) s["default"] = *fallback;
  describe(s, std::move(doc));
  return s;
}

json array_of(json items, std::string doc, std::size_t min_items, std::optional<std::size_t> max_items) {
  json s{{"type", "array"}, {"items", std::move(items)}};
  if (min_items > 0) s["minItems"] = min_items;
  if (max_items) s["maxItems"] = *max_items;
  describe(s, std::move(doc));
  return s;
}

json closed_object(json properties, const std::vector<std::string>& required, std::string doc) {
  json s{{"type", "object"}, {"properties", std::move(properties)}, {"additionalProperties", false}};
  if (!required.empty()) s["required"] = required;
  describe(s, std::move(doc));
  return s;
}

json selector(std::string doc, std::optional<std::string> fallback) {
  std::vector<std::string> examples = faults::role_selectors();
  examples.insert(examples.end(), {"worker", "workers", "c1", "w1"});
  json s{{"type", "string"}, {"minLength", 1}, {"examples", examples}};
  if (fallback) s["default"] = *fallback;
  describe(s, std::move(doc) + " (a target selector: leader, follower, followers, minority, majority, all, a member "
                               "id, worker, workers, a worker id)");
  return s;
}

void add_raft_timing(json& properties) {
  const json positive{{"type", "integer"}, {"minimum", 1}};
  properties["election_timeout_ms"] = {
      {"type", "array"},
      {"prefixItems", json::array({positive, positive})},
      {"items", false},
      {"minItems", 2},
      {"maxItems", 2},
      {"default", json::array({300, 600})},
      {"description", "[min, max]: the range the Raft election timeout is drawn from (min <= max)"}};
  properties["heartbeat_ms"] =
      integer(1, std::nullopt, 50, "leader heartbeat interval; less than the election timeout's min");
}

json param(const faults::ParamSpec& p) {
  using faults::ParamType;
  json s;
  switch (p.type) {
    case ParamType::integer:
      s = {{"type", "integer"}, {"minimum", whole_or_number(p.min)}, {"maximum", whole_or_number(p.max)}};
      break;
    case ParamType::number:
      s = {{"type", "number"}, {"minimum", whole_or_number(p.min)}, {"maximum", whole_or_number(p.max)}};
      break;
    case ParamType::boolean:
      s = {{"type", "boolean"}};
      break;
    case ParamType::choice:
      s = {{"enum", p.choices}};
      break;
    case ParamType::selector:
      s = selector(p.doc);
      s.erase("description");
      break;
    case ParamType::groups:
      s = array_of(array_of(json{{"type", "string"}}, "", 1), "", 2);
      break;
    case ParamType::text:
      s = {{"type", "string"}};
      break;
    case ParamType::text_list:
      s = array_of(json{{"type", "string"}, {"minLength", 1}}, "", 1);
      break;
    case ParamType::object:
      s = {{"type", "object"}};
      break;
    case ParamType::any:
      s = json::object();
      break;
  }
  if (p.fallback) s["default"] = *p.fallback;
  std::string doc = p.doc;
  if (!p.when_param.empty()) {
    std::string values;
    for (const auto& v : p.when_values) values += (values.empty() ? "" : ", ") + v;
    doc += " (only with " + p.when_param + " " + values + ")";
  }
  describe(s, doc);
  return s;
}

void add_params(const std::vector<faults::ParamSpec>& params, json& into) {
  json& properties = into["properties"];
  for (const faults::ParamSpec& p : params) {
    properties[p.name] = param(p);
    if (p.required && p.when_param.empty()) into["required"].push_back(p.name);
  }
  for (const faults::ParamSpec& p : params) {
    if (p.when_param.empty()) continue;
    // Whether the parameter applies: the other is written with one of the
    // values, or left out while its default is one of them.
    const faults::ParamSpec* other = nullptr;
    for (const faults::ParamSpec& q : params) {
      if (q.name == p.when_param) other = &q;
    }
    auto required = [](const std::string& name) { return json{{"required", json::array({name})}}; };
    json written = required(p.when_param);
    written["properties"] = json::object();
    written["properties"][p.when_param] = json{{"enum", p.when_values}};
    json applies = written;
    const bool default_applies =
        other != nullptr && other->fallback && other->fallback->is_string() &&
        std::find(p.when_values.begin(), p.when_values.end(), other->fallback->get<std::string>()) !=
            p.when_values.end();
    if (default_applies) {
      json absent = json::object();
      absent["not"] = required(p.when_param);
      applies = json::object();
      applies["anyOf"] = json::array({written, absent});
    }
    json rule = json::object();
    rule["if"] = applies;
    if (p.required) rule["then"] = required(p.name);
    rule["else"] = json::object();
    rule["else"]["not"] = required(p.name);
    into["allOf"].push_back(std::move(rule));
  }
}

}  // namespace faultline::plan::schema
