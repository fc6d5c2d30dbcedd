// The plan's JSON Schema: the catalogues (fault kinds, probe kinds, topology
// kinds) turned into `$defs`, one per kind, chosen by the object's `kind`
// with if/then (editors then complete the fields of the kind written), and
// the fixed sections as validate.cpp and steady_state.cpp read them.
#include "drills/plan/schema.hpp"

#include <limits>

#include "chaos/faults/spec.hpp"
#include "drills/plan/model.hpp"
#include "drills/plan/probes.hpp"
#include "drills/plan/schema_build.hpp"
#include "drills/plan/topology.hpp"
#include "drills/plan/validate.hpp"

namespace faultline::plan {
namespace {

using nlohmann::json;
using namespace schema;

json def_ref(const std::string& name) { return json{{"$ref", "#/$defs/" + name}}; }

json required_list(const std::vector<std::string>& names) { return json(names); }

// An object whose `field` names one of `kinds`; the fields of the kind
// named are those of `$defs/<prefix><kind>`.
json dispatch(const std::string& field, const std::vector<std::string>& kinds, const std::string& prefix,
              const std::string& doc) {
  json s{{"type", "object"}, {"required", required_list({field})}, {"description", doc}};
  s["properties"] = json::object();
  s["properties"][field] = json{{"enum", kinds}};
  json rules = json::array();
  for (const std::string& kind : kinds) {
    json condition{{"required", required_list({field})}};
    condition["properties"] = json::object();
    condition["properties"][field] = json{{"const", kind}};
    rules.push_back(json{{"if", condition}, {"then", def_ref(prefix + kind)}});
  }
  s["allOf"] = rules;
  return s;
}

json topology_defs(json& defs) {
  std::vector<std::string> names;
  for (const TopologyKind& k : topology_kinds()) {
    names.push_back(k.name);
    json body = k.schema ? k.schema() : json{{"properties", json::object()}, {"required", json::array()}};
    json properties{{"kind", json{{"const", k.name}}}};
    for (const std::string& field : k.fields) {
      properties[field] = body["properties"].contains(field) ? body["properties"][field] : json::object();
    }
    std::vector<std::string> required{"kind"};
    for (const auto& r : body["required"]) required.push_back(r.get<std::string>());
    defs["topology." + k.name] = closed_object(properties, required, "topology kind " + k.name);
  }
  return dispatch("kind", names, "topology.", "what to bring up: the system under test, by kind");
}

json fault_defs(json& defs) {
  for (const faults::KindSpec& k : faults::catalogue()) {
    json s = closed_object(json::object(), {}, k.summary + " (effect " + std::string(faults::effect_name(k.effect)) +
                                                   "; healed by " + k.heal + ")");
    json& properties = s["properties"];
    properties["kind"] = json{{"const", k.name}};
    properties["target"] = k.default_target.empty() ? selector("what the fault acts on")
                                                    : selector("what the fault acts on", k.default_target);
    properties["at_ms"] = integer(0, std::nullopt, std::nullopt,
                                  "when to inject, from the workload's start; before workload.duration_ms");
    properties["heal_after_ms"] =
        integer(0, std::nullopt, std::nullopt,
                k.healed_at_end ? "heal this long after the injection (absent: when the workload ends)"
                                : "heal this long after the injection (absent: it stays)");
    s["required"] = required_list({"kind", "at_ms"});
    if (k.default_target.empty()) s["required"].push_back("target");
    s["allOf"] = json::array();
    for (const std::string& alias : k.heal_aliases) {
      properties[alias] = integer(0, std::nullopt, std::nullopt, "another name of heal_after_ms for " + k.name);
      s["allOf"].push_back(json{{"not", json{{"required", required_list({"heal_after_ms", alias})}}}});
    }
    add_params(k.params, s);
    if (s["allOf"].empty()) s.erase("allOf");
    defs["fault." + k.name] = std::move(s);
  }
  return dispatch("kind", faults::kind_names(), "fault.",
                  "one fault of the timeline: the fields every kind has and the kind's parameters");
}

json probe_defs(json& defs) {
  for (const ProbeKind& k : probe_kinds()) {
    json s = closed_object(json::object(), {}, k.summary + (k.sampled ? " (sampled)" : " (from the journal)"));
    json& properties = s["properties"];
    properties["name"] = text("unique among the probes; halts name it", std::nullopt, "");
    properties["kind"] = json{{"const", k.name}};
    properties["when"] = array_of(choice({"before", "continuous", "after"}, std::nullopt, ""),
                                  "before: must hold before any fault; continuous: the hypothesis RTO waits for; "
                                  "after: must hold once recovered; empty: used by halts only");
    properties["when"]["default"] = json::array({"continuous"});
    properties["tolerance_ms"] = integer(0, 3'600'000, 0, "a failure shorter than this still holds");
    s["required"] = required_list({"name", "kind"});
    s["allOf"] = json::array();
    add_params(k.params, s);
    if (s["allOf"].empty()) s.erase("allOf");
    defs["probe." + k.name] = std::move(s);
  }
  return dispatch("kind", probe_kind_names(), "probe.", "one declared steady-state probe");
}

json workload_schema() {
  const json properties{
      {"clients", integer(1, 64, 4, "concurrent clients")},
      {"rate_per_s", number(0, true, std::nullopt, 200, "target operations per second, across all clients")},
      {"max_ops", integer(1, 10'000'000, 4000, "the workload stops after this many operations")},
      {"duration_ms", integer(1, 3'600'000, std::nullopt, "how long the workload runs")},
      {"keys", integer(0, std::nullopt, 0, "distinct keys; 0: every write to a fresh key")},
      {"op_timeout_ms", integer(1, std::nullopt, 1000, "client-side timeout of one operation")},
      {"read_ratio", number(0, false, 1, 0, "fraction of key-value operations that are reads")},
      {"sessions", integer(0, 100'000, 0, "routed-call sessions s1..sN (needs topology workers)")},
      {"call_ratio", number(0, false, 1, 1, "with sessions: the fraction of operations that are routed calls")},
      {"calls", choice({"routed", "mcp"}, "routed",
                       "routed: POST /api/calls; mcp: MCP tool calls over Streamable HTTP through the coordinators")}};
  return closed_object(properties, {"duration_ms"}, "the load driven against the cluster");
}

json steady_state_schema() {
  const json properties{
      {"stability_window_ms", integer(1, std::nullopt, 1000, "how long the hypothesis must hold to count as recovered")},
      {"max_latency_ms", integer(1, std::nullopt, std::nullopt,
                                 "the default hypothesis: writes acknowledged within this (default: op_timeout_ms)")},
      {"sample_ms", integer(10, 60'000, 50, "how often sampled probes are asked")},
      {"probes", array_of(def_ref("probe"), "the declared hypothesis; without probes, the default one")}};
  return closed_object(properties, {}, "what healthy means, for measuring recovery");
}

json objectives_schema() {
  json percentiles{{"type", "object"}, {"additionalProperties", false}, {"minProperties", 1}};
  json properties = json::object();
  for (const NumericObjectiveName& n : numeric_objective_names()) {
    const json limit = n.integer ? integer(0, std::nullopt, std::nullopt, "") : number(0, false, std::nullopt, std::nullopt, "");
    json stats = percentiles;
    stats["properties"] = json::object();
    for (const char* stat : {"p50", "p90", "p99", "max"}) stats["properties"][stat] = limit;
    stats["description"] = "limits on statistics over the trials of --trials N";
    properties[n.name] = json{{"anyOf", json::array({limit, stats})}};
  }
  properties["rto_ms"]["description"] = "largest acceptable recovery time";
  properties["rpo_writes"]["description"] = "largest acceptable number of acknowledged writes lost";
  properties["leader_election_ms"]["description"] = "largest time from a leader's loss to a new leader a majority knows";
  properties["max_elections"]["description"] = "largest number of terms that had a leader";
  properties["rto_from_heal_ms"]["description"] = "largest recovery time counted from the first fault's heal";
  properties["failover_ms"]["description"] = "largest time for a session pinned to a faulted worker to succeed again";
  properties["calls_lost"]["description"] = "largest number of routed calls whose result is not ok";
  properties["sessions_moved_without_cause"]["description"] = "largest number of session moves no fault explains";
  properties["linearizable"] = boolean(false, "true: the key-value history must be linearizable");
  properties["min_success_rate"] = number(0, false, 1, std::nullopt, "lowest share of operations that succeeded");
  properties["max_p99_ms"] = number(0, false, std::nullopt, std::nullopt, "largest p99 latency of acknowledged writes");
  properties["rpo_ms"] = number(0, false, std::nullopt, std::nullopt,
                                "largest time from the oldest lost acknowledged write to the fault instant");
  properties["min_lost_writes"] = integer(1, std::nullopt, std::nullopt,
                                          "fewest acknowledged writes the run must lose (a drill that demonstrates a loss)");
  return closed_object(properties, {}, "the limits the run is judged against");
}

json halt_schema() {
  return closed_object({{"probe", text("a probe of steady_state.probes")},
                        {"for_ms", integer(0, 3'600'000, 0, "how long it must fail before the drill stops")}},
                       {"probe"}, "stop the drill, heal every fault and exit 1 when this probe fails for for_ms");
}

json rollback_schema(json& defs) {
  defs["rollback.heal_all"] = closed_object({{"action", json{{"const", "heal_all"}}}}, {"action"}, "heal every fault");
  defs["rollback.restart"] = closed_object(
      {{"action", json{{"const", "restart"}}}, {"target", selector("which members are started again", "all")}},
      {"action"}, "start members that are down again");
  defs["rollback.command"] = closed_object(
      {{"action", json{{"const", "command"}}},
       {"argv", array_of(json{{"type", "string"}, {"minLength", 1}}, "the command line (no shell)", 1)},
       {"timeout_ms", integer(1, 600'000, 10'000, "how long it may run")}},
      {"action", "argv"}, "run a command");
  json s = dispatch("action", {"heal_all", "restart", "command"}, "rollback.",
                    "an action that always runs at the end of a run, whatever happened");
  return s;
}

json expect_schema() {
  std::vector<std::string> names = builtin_checks();
  for (const NumericObjectiveName& n : numeric_objective_names()) names.push_back(n.name);
  for (const char* name : {"linearizable", "min_success_rate", "max_p99_ms", "rpo_ms", "min_lost_writes"}) names.push_back(name);
  const json fail = array_of(choice(names, std::nullopt, ""), "the checks that must fail (declared objectives or "
                                                               "built-in checks)", 1);
  json object = closed_object({{"fail", fail}}, {"fail"}, "a demonstration: the run passes when, and only when, "
                                                          "these checks fail");
  return json{{"anyOf", json::array({object, json{{"type", "null"}, {"description", "no expectation"}}})}};
}

}  // namespace

json plan_schema() {
  json defs = json::object();
  defs["topology"] = topology_defs(defs);
  defs["workload"] = workload_schema();
  defs["steady_state"] = steady_state_schema();
  defs["probe"] = probe_defs(defs);
  defs["fault"] = fault_defs(defs);
  defs["objectives"] = objectives_schema();
  defs["halt"] = halt_schema();
  defs["rollback"] = rollback_schema(defs);

  const json properties{
      {"$schema", text("where editors find this schema (ignored by faultline)")},
      {"name", text("the drill's name, for reports and run folders", std::nullopt, "^[a-z0-9][a-z0-9._-]*$")},
      {"description", text("what the drill does and what it should show", "")},
      {"seed", integer(0, std::nullopt, std::nullopt, "seed of every random choice (absent: picked and recorded)")},
      {"topology", def_ref("topology")},
      {"workload", def_ref("workload")},
      {"steady_state", def_ref("steady_state")},
      {"faults", array_of(def_ref("fault"), "the faults to inject, in any order")},
      {"objectives", def_ref("objectives")},
      {"halt", array_of(def_ref("halt"), "conditions that stop the drill early")},
      {"rollbacks", array_of(def_ref("rollback"), "actions that always run at the end")},
      {"expect", expect_schema()}};
  json s = closed_object(properties, {"name", "topology", "workload"},
                         "A Faultline drill plan (docs/plan.md). Generated by `faultline plan schema` from the "
                         "fault, probe and topology catalogues: do not edit by hand.");
  s["properties"]["seed"]["maximum"] = std::numeric_limits<std::uint64_t>::max();
  json out{{"$schema", "https://json-schema.org/draft/2020-12/schema"}, {"title", "Faultline drill plan"}};
  for (auto& [key, value] : s.items()) out[key] = value;
  out["$defs"] = std::move(defs);
  return out;
}

std::string plan_schema_text() { return plan_schema().dump(2) + "\n"; }

}  // namespace faultline::plan
