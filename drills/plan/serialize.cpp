#include "drills/plan/plan.hpp"
#include "drills/plan/topology.hpp"

namespace faultline::plan {

using nlohmann::json;

json to_json(const Plan& plan) {
  json out = json::object();
  out["name"] = plan.name;
  out["description"] = plan.description;
  if (plan.seed) out["seed"] = *plan.seed;

  const TopologyKind* kind = find_topology_kind(plan.topology.kind);
  out["topology"] = kind ? kind->write(plan.topology) : json{{"kind", plan.topology.kind}};

  const Workload& w = plan.workload;
  out["workload"] = {
      {"clients", w.clients},
      {"rate_per_s", w.rate_per_s},
      {"max_ops", w.max_ops},
      {"duration_ms", w.duration_ms},
      {"keys", w.keys},
      {"op_timeout_ms", w.op_timeout_ms},
      {"read_ratio", w.read_ratio},
      {"sessions", w.sessions},
      {"call_ratio", w.call_ratio},
  };
  // Written only when not the default, so the plans (and hashes) of before
  // stay as they were.
  if (w.calls != "routed") out["workload"]["calls"] = w.calls;

  out["steady_state"] = {
      {"stability_window_ms", plan.steady_state.stability_window_ms},
      {"max_latency_ms", plan.steady_state.max_latency_ms},
  };

  json faults = json::array();
  for (const FaultSpec& f : plan.faults) {
    json fault = {{"kind", f.kind}, {"target", f.target}, {"at_ms", f.at_ms}};
    if (f.heal_after_ms) fault["heal_after_ms"] = *f.heal_after_ms;
    for (const auto& [name, value] : f.params.items()) fault[name] = value;
    faults.push_back(std::move(fault));
  }
  out["faults"] = std::move(faults);

  json objectives = json::object();
  if (plan.objectives.rto_ms) objectives["rto_ms"] = *plan.objectives.rto_ms;
  if (plan.objectives.rpo_writes) objectives["rpo_writes"] = *plan.objectives.rpo_writes;
  if (plan.objectives.linearizable) objectives["linearizable"] = true;
  if (plan.objectives.leader_election_ms) {
    objectives["leader_election_ms"] = *plan.objectives.leader_election_ms;
  }
  if (plan.objectives.max_elections) objectives["max_elections"] = *plan.objectives.max_elections;
  const Objectives& o = plan.objectives;
  if (o.rto_from_heal_ms) objectives["rto_from_heal_ms"] = *o.rto_from_heal_ms;
  if (o.failover_ms) objectives["failover_ms"] = *o.failover_ms;
  if (o.calls_lost) objectives["calls_lost"] = *o.calls_lost;
  if (o.sessions_moved_without_cause) {
    objectives["sessions_moved_without_cause"] = *o.sessions_moved_without_cause;
  }
  out["objectives"] = std::move(objectives);
  return out;
}

}  // namespace faultline::plan
