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
      {"sample_ms", plan.steady_state.sample_ms},
  };
  if (!plan.steady_state.probes.empty()) {
    json probes = json::array();
    for (const ProbeSpec& p : plan.steady_state.probes) {
      json probe = {{"name", p.name}, {"kind", p.kind}, {"when", p.when}, {"tolerance_ms", p.tolerance_ms}};
      for (const auto& [k, v] : p.params.items()) probe[k] = v;
      probes.push_back(std::move(probe));
    }
    out["steady_state"]["probes"] = std::move(probes);
  }

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
  if (o.min_success_rate) objectives["min_success_rate"] = *o.min_success_rate;
  if (o.max_p99_ms) objectives["max_p99_ms"] = *o.max_p99_ms;
  if (o.rpo_ms) objectives["rpo_ms"] = *o.rpo_ms;
  for (const NumericObjectiveName& n : numeric_objective_names()) {
    const auto it = o.percentiles.find(n.name);
    if (it == o.percentiles.end()) continue;
    json limits = json::object();
    auto put = [&](const char* stat, const std::optional<double>& limit) {
      if (!limit) return;
      if (n.integer) {
        limits[stat] = static_cast<std::int64_t>(*limit);
      } else {
        limits[stat] = *limit;
      }
    };
    put("p50", it->second.p50);
    put("p90", it->second.p90);
    put("p99", it->second.p99);
    put("max", it->second.max);
    objectives[n.name] = std::move(limits);
  }
  if (o.min_lost_writes) objectives["min_lost_writes"] = *o.min_lost_writes;
  out["objectives"] = std::move(objectives);
  if (!plan.halts.empty()) {
    json halts = json::array();
    for (const HaltSpec& h : plan.halts) halts.push_back({{"probe", h.probe}, {"for_ms", h.for_ms}});
    out["halt"] = std::move(halts);
  }
  if (!plan.rollbacks.empty()) {
    json rollbacks = json::array();
    for (const RollbackSpec& r : plan.rollbacks) {
      json action = {{"action", r.action}};
      if (r.action == "restart") action["target"] = r.target;
      if (r.action == "command") {
        action["argv"] = r.argv;
        action["timeout_ms"] = r.timeout_ms;
      }
      rollbacks.push_back(std::move(action));
    }
    out["rollbacks"] = std::move(rollbacks);
  }
  if (!plan.expect_fail.empty()) out["expect"] = {{"fail", plan.expect_fail}};
  return out;
}

}  // namespace faultline::plan
