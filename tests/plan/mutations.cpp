#include "tests/plan/mutations.hpp"

#include <limits>

namespace faultline::plan::testing {
namespace {

using nlohmann::json;
using Pointer = json::json_pointer;

std::string show(const Pointer& p) { return p.empty() ? "/" : p.to_string(); }

// Bad sections: each (place, value) makes any plan invalid; `schema` says
// whether a schema can see it (some rules are about the rest of the plan).
struct Bad {
  const char* at;
  json value;
  bool schema;
  bool append = false;  // push onto the array at `at` rather than replace it
};

const std::vector<Bad>& bad_sections() {
  static const std::vector<Bad> bad = {
      {"/steady_state/probes", json::parse(R"([{"name": "p", "kind": "nope"}])"), true},
      {"/steady_state/probes", json::parse(R"([{"kind": "http"}])"), true},
      {"/steady_state/probes", json::parse(R"([{"name": "p", "kind": "success_rate"}])"), true},
      {"/steady_state/probes",
       json::parse(R"([{"name": "p", "kind": "success_rate", "min": 0.9}, {"name": "p", "kind": "latency", "max_ms": 5}])"),
       false},
      {"/steady_state/probes", json::parse(R"([{"name": "p", "kind": "success_rate", "min": 0.9, "when": "continuous"}])"), true},
      {"/steady_state/probes", json::parse(R"([{"name": "p", "kind": "success_rate", "min": 0.9, "when": ["sometimes"]}])"), true},
      {"/steady_state/probes", json::parse(R"([{"name": "p", "kind": "success_rate", "min": 1.5}])"), true},
      {"/steady_state/probes", json::parse(R"([{"name": "p", "kind": "success_rate", "min": 0.9, "tolerance_ms": -5}])"), true},
      {"/steady_state/probes", json::parse(R"([{"name": "p", "kind": "raft", "check": "max_term"}])"), true},
      {"/steady_state/probes", json::parse(R"([{"name": "p", "kind": "raft", "check": "one_leader", "value": 3}])"), true},
      {"/steady_state/probes", json::parse(R"([{"name": "p", "kind": "http", "status": 99}])"), true},
      {"/steady_state/probes", json::parse(R"([{"name": "p", "kind": "metric", "metric": "x", "op": "~", "value": 1}])"), true},
      {"/steady_state/probes", json::parse(R"([{"name": "p", "kind": "command", "argv": []}])"), true},
      {"/steady_state/probes", json::parse(R"([{"name": "p", "kind": "http", "member": "leadr"}])"), false},
      {"/steady_state/probes", json::parse(R"([{"name": "p", "kind": "latency", "max_ms": 5, "min": 0.9}])"), true},
      {"/steady_state/probes", json::object(), true},
      {"/steady_state/sample_ms", 5, true},
      {"/halt", json::parse(R"([{"probe": "ghost"}])"), false},
      {"/halt", json::parse(R"([{"for_ms": 5}])"), true},
      {"/halt", json::object(), true},
      {"/halt", json::parse(R"([{"probe": "p", "for_ms": -1}])"), true},
      {"/halt", json::parse(R"([{"probe": "p", "extra": 1}])"), true},
      {"/rollbacks", json::parse(R"([{"action": "explode"}])"), true},
      {"/rollbacks", json::parse(R"([{"action": "command"}])"), true},
      {"/rollbacks", json::parse(R"([{"action": "command", "argv": []}])"), true},
      {"/rollbacks", json::parse(R"([{"action": "command", "argv": ["true"], "timeout_ms": 0}])"), true},
      {"/rollbacks", json::parse(R"([{"action": "restart", "target": "leadr"}])"), false},
      {"/rollbacks", json::parse(R"([{"action": "heal_all", "target": "all"}])"), true},
      {"/rollbacks", json::object(), true},
      {"/expect", json::parse(R"({"fail": []})"), true},
      {"/expect", json::parse(R"({"fail": ["nope"]})"), true},
      {"/expect", json::parse(R"({"fail": "linearizable"})"), true},
      {"/expect", json::parse(R"({"oops": 1})"), true},
      {"/expect", json::array(), true},
      {"/objectives/rto_ms", json::object(), true},
      {"/objectives/rto_ms", json::parse(R"({"p42": 5})"), true},
      {"/objectives/min_success_rate", 2, true},
      {"/faults", json::parse(R"({"kind": "explode", "at_ms": 0})"), true, true},
      {"/faults", json::parse(R"({"kind": "kill", "target": "leader"})"), true, true},
      {"/faults", json::parse(R"({"kind": "kill", "target": "leader", "at_ms": 0, "heal_after_ms": 1, "restart_after_ms": 1})"),
       true, true},
      {"/faults", json::parse(R"({"kind": "pause", "target": "leader", "at_ms": 0, "restart_after_ms": 1})"), true, true},
      {"/faults", json::parse(R"({"kind": "partition", "shape": "halves", "from": "leader", "at_ms": 0})"), true, true},
      {"/faults", json::parse(R"({"kind": "partition", "shape": "groups", "at_ms": 0})"), true, true},
      {"/faults", json::parse(R"({"kind": "latency", "target": "leader", "at_ms": 0, "delay_ms": -1})"), true, true},
      {"/faults", json::parse(R"({"kind": "kill", "target": "c99", "at_ms": 0})"), false, true},
      {"/faults", json::parse(R"({"kind": "kill", "target": "leader", "at_ms": 99999999})"), false, true},
      {"/faults", json::parse(R"("kill")"), true, true},
      {"/topology/kind", "k8s", true},
      {"/name", "Bad Name", true},
      {"/seed", -1, true},
      {"/$schema", 5, true},
  };
  return bad;
}

}  // namespace

std::vector<Pointer> all_pointers(const json& doc) {
  std::vector<Pointer> out{Pointer()};
  for (std::size_t i = 0; i < out.size() && i < 10'000; ++i) {
    const json& node = doc.at(out[i]);
    if (node.is_object()) {
      for (const auto& [key, unused] : node.items()) out.push_back(out[i] / key);
    } else if (node.is_array()) {
      for (std::size_t k = 0; k < node.size(); ++k) out.push_back(out[i] / k);
    }
  }
  return out;
}

const std::vector<json>& odd_values() {
  static const std::vector<json> values = {nullptr,
                                           true,
                                           false,
                                           -1,
                                           0,
                                           1,
                                           2.5,
                                           -0.0,
                                           1e300,
                                           "",
                                           "x",
                                           "leader",
                                           "c9",
                                           "kill",
                                           "\xc3\xa9\\u0000{}",
                                           std::string(300, 'a'),
                                           json::array(),
                                           json::object(),
                                           json::array({1, 2}),
                                           json::array({600, 300}),
                                           std::numeric_limits<std::uint64_t>::max(),
                                           std::numeric_limits<std::int64_t>::min(),
                                           json::object({{"kind", "kill"}})};
  return values;
}

json other_type(const json& v) {
  switch (v.type()) {
    case json::value_t::object:
      return json::array({1});
    case json::value_t::array:
      return json::object({{"x", 1}});
    case json::value_t::string:
      return 7;
    case json::value_t::boolean:
      return "true";
    case json::value_t::null:
      return json::object({{"x", 1}});
    default:
      return "7";  // numbers
  }
}

bool free_form(const Pointer& at) {
  std::string text = at.to_string() + "/";
  for (const char* token : {"/body/", "/equals/", "/labels/"}) {
    if (text.find(token) != std::string::npos) return true;
  }
  return false;
}

std::vector<Mutant> plan_mutants(const std::string& label, const std::string& text) {
  std::vector<Mutant> out;
  const json doc = json::parse(text);
  const std::vector<Pointer> pointers = all_pointers(doc);
  auto add = [&](const std::string& cls, const std::string& what, std::string mutated, bool invalid, bool schema) {
    out.push_back({label + ": " + cls + " " + what, cls, std::move(mutated), invalid, schema});
  };
  for (const Pointer& p : pointers) {
    if (p.empty()) continue;
    json d = doc;
    json& parent = d[p.parent_pointer()];
    if (parent.is_array()) {
      parent.erase(std::stoul(p.back()));
    } else {
      parent.erase(p.back());
    }
    add("delete", show(p), d.dump(2), false, false);
  }
  for (const Pointer& p : pointers) {
    json d = doc;
    d[p] = other_type(doc.at(p));
    add("type", show(p), d.dump(2), !free_form(p), !free_form(p));
  }
  std::size_t n = 0;
  for (const Pointer& p : pointers) {
    if (doc.at(p).is_structured()) continue;
    for (int k = 0; k < 3; ++k) {
      json d = doc;
      d[p] = odd_values()[(n++) % odd_values().size()];
      add("odd", show(p) + " = " + d[p].dump().substr(0, 40), d.dump(2), false, false);
    }
  }
  for (const Pointer& p : pointers) {
    if (!doc.at(p).is_object() || free_form(p / "x")) continue;
    json d = doc;
    d[p]["zz_unknown_field"] = 1;
    add("unknown", show(p), d.dump(2), true, true);
  }
  const std::size_t last = text.rfind('}');
  for (std::size_t k = 0; k < 24 && last != std::string::npos; ++k) {
    const std::size_t cut = last * k / 24;
    add("truncate", "at byte " + std::to_string(cut), text.substr(0, cut), true, false);
  }
  for (const Pointer& p : pointers) {
    if (!doc.at(p).is_object() || doc.at(p).empty()) continue;
    const std::string key = doc.at(p).begin().key();
    json d = doc;
    d[p]["zz__duplicate__marker"] = doc.at(p).begin().value();
    std::string mutated = d.dump(2);
    const std::string marker = "\"zz__duplicate__marker\"";
    mutated.replace(mutated.find(marker), marker.size(), json(key).dump());
    add("duplicate", show(p / key), mutated, true, false);
  }
  for (const Bad& b : bad_sections()) {
    json d = doc;
    const Pointer at(b.at);
    if (b.append) {
      d[at].push_back(b.value);
    } else {
      d[at] = b.value;
    }
    add("section", std::string(b.at) + " = " + b.value.dump().substr(0, 60), d.dump(2), true, b.schema);
  }
  return out;
}

}  // namespace faultline::plan::testing
