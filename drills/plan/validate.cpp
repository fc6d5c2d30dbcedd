// Checks of the plan's top level and of its topology, workload, steady-state
// and objectives sections. Faults are in faults.cpp.
#include "drills/plan/validate.hpp"

#include "drills/plan/suggest.hpp"
#include "drills/plan/topology.hpp"

namespace faultline::plan {
namespace {

using nlohmann::json;

constexpr std::int64_t kAny = std::numeric_limits<std::int64_t>::max();
constexpr IntRule kPositive{1, kAny};
constexpr IntRule kNonNegative{0, kAny};

// Fields valid on their own, which later checks may rely on.
struct Known {
  std::optional<MemberIds> ids;  // when the topology is valid
  std::optional<std::int64_t> duration_ms;
  std::optional<std::int64_t> op_timeout_ms;
};

Workload read_workload(const json* value, const JsonPath& path, Issues& issues, Known& known) {
  Workload w;
  if (value == nullptr) return w;
  ObjectReader r(
      *value, path, issues,
      {"clients", "rate_per_s", "max_ops", "duration_ms", "keys", "op_timeout_ms", "read_ratio",
       "sessions", "call_ratio", "calls"});
  if (!r.is_object()) return w;

  if (auto v = r.integer("clients", IntRule{1, 64}, 4).value) w.clients = static_cast<int>(*v);
  if (auto v = r.number("rate_per_s", NumberRule{0, true}, 200).value) w.rate_per_s = *v;
  if (auto v = r.integer("max_ops", IntRule{1, 10'000'000}, 4000).value) w.max_ops = *v;
  const Field<std::int64_t> duration =
      r.integer("duration_ms", IntRule{1, 3'600'000}, std::nullopt, Need::required);
  if (duration.value) w.duration_ms = *duration.value;
  known.duration_ms = duration.value;
  if (auto v = r.integer("keys", kNonNegative, 0).value) w.keys = *v;
  const Field<std::int64_t> timeout = r.integer("op_timeout_ms", kPositive, 1000);
  if (timeout.value) w.op_timeout_ms = *timeout.value;
  known.op_timeout_ms = timeout.value;
  if (auto v = r.number("read_ratio", NumberRule{0, false, 1}, 0).value) w.read_ratio = *v;
  const Field<std::int64_t> sessions = r.integer("sessions", IntRule{0, 100'000}, 0);
  if (sessions.value) {
    w.sessions = *sessions.value;
    if (*sessions.value > 0 && known.ids && known.ids->workers.empty()) {
      issues.push_back({r.path_of("sessions"),
                        "routed calls need worker nodes: set topology.workers (1..16) or "
                        "sessions to 0"});
    }
  }
  if (auto v = r.number("call_ratio", NumberRule{0, false, 1}, 1).value) w.call_ratio = *v;
  if (auto v = r.string("calls", std::string("routed")).value) {
    if (*v == "routed" || *v == "mcp") {
      w.calls = *v;
    } else {
      issues.push_back({r.path_of("calls"), "expected \"routed\" (POST /api/calls) or \"mcp\" (MCP tool calls over "
                                            "sessions), found " + show_text(*v)});
    }
  }
  return w;
}

// `"rto_ms": {"p50": 500, "max": 1500}`: limits on statistics over trials.
// Returns false when the objective is not an object (a number, or absent),
// for the caller to read it as one limit.
bool read_percentiles(ObjectReader& r, const NumericObjectiveName& objective, Issues& issues, Objectives& o) {
  const json* value = r.member(objective.name);
  if (value == nullptr || !value->is_object()) return false;
  const JsonPath path = r.path_of(objective.name);
  ObjectReader p(*value, path, issues, {"p50", "p90", "p99", "max"});
  auto limit = [&](const char* stat) -> std::optional<double> {
    if (objective.integer) {
      const auto v = p.integer(stat, kNonNegative, std::nullopt).value;
      return v ? std::optional<double>(static_cast<double>(*v)) : std::nullopt;
    }
    return p.number(stat, NumberRule{0}, std::nullopt).value;
  };
  Percentiles limits;
  limits.p50 = limit("p50");
  limits.p90 = limit("p90");
  limits.p99 = limit("p99");
  limits.max = limit("max");
  if (value->empty()) {
    issues.push_back({path, "give a limit as a number, or percentiles as an object with at least one of "
                            "p50, p90, p99, max, e.g. {\"p50\": 500, \"max\": 1500}"});
  }
  o.percentiles[objective.name] = limits;
  return true;
}

Objectives read_objectives(const json* value, const JsonPath& path, Issues& issues) {
  Objectives o;
  if (value == nullptr) return o;
  ObjectReader r(*value, path, issues,
                 {"rto_ms", "rpo_writes", "linearizable", "leader_election_ms", "max_elections",
                  "rto_from_heal_ms", "failover_ms", "calls_lost", "sessions_moved_without_cause",
                  "min_success_rate", "max_p99_ms", "rpo_ms", "min_lost_writes"});
  if (!r.is_object()) return o;
  std::map<std::string, bool> as_percentiles;
  for (const NumericObjectiveName& n : numeric_objective_names()) {
    as_percentiles[n.name] = read_percentiles(r, n, issues, o);
  }
  auto number = [&](const char* key) {
    return as_percentiles[key] ? std::nullopt : r.number(key, NumberRule{0}, std::nullopt).value;
  };
  auto integer = [&](const char* key) {
    return as_percentiles[key] ? std::nullopt : r.integer(key, kNonNegative, std::nullopt).value;
  };
  o.rto_ms = number("rto_ms");
  o.rpo_writes = integer("rpo_writes");
  if (auto v = r.boolean("linearizable", false).value) o.linearizable = *v;
  o.leader_election_ms = number("leader_election_ms");
  o.max_elections = integer("max_elections");
  o.rto_from_heal_ms = number("rto_from_heal_ms");
  o.failover_ms = number("failover_ms");
  o.calls_lost = integer("calls_lost");
  o.sessions_moved_without_cause = integer("sessions_moved_without_cause");
  o.min_success_rate = r.number("min_success_rate", NumberRule{0, false, 1}, std::nullopt).value;
  o.max_p99_ms = r.number("max_p99_ms", NumberRule{0}, std::nullopt).value;
  o.rpo_ms = r.number("rpo_ms", NumberRule{0}, std::nullopt).value;
  o.min_lost_writes = r.integer("min_lost_writes", kPositive, std::nullopt).value;
  return o;
}

}  // namespace

bool valid_name(const std::string& name) {
  auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (name.empty() || !lower_or_digit(name[0])) return false;
  for (const char c : name) {
    if (!lower_or_digit(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

Validation validate(const json& doc) {
  Validation out;
  Issues& issues = out.issues;
  ObjectReader root(doc, {}, issues,
                    {"name", "description", "seed", "topology", "workload", "steady_state", "faults",
                     "objectives", "halt", "rollbacks", "expect", "$schema"});
  if (!root.is_object()) return out;
  // Where editors find the plan's JSON Schema (docs/plan.schema.json); it
  // says nothing about the drill.
  (void)root.string("$schema", std::nullopt);

  Plan plan;
  if (auto name = root.string("name", std::nullopt, Need::required).value) {
    plan.name = *name;
    if (!valid_name(*name)) {
      issues.push_back({root.path_of("name"),
                        "invalid name " + show_text(*name) +
                            ": use lower-case letters, digits, '-', '_' and '.', starting with a "
                            "letter or digit"});
    }
  }
  plan.description = root.string("description", "").value.value_or("");
  plan.seed = root.unsigned_integer("seed").value;

  Known known;
  bool topology_ok = false;
  plan.topology = read_topology(root.member("topology", Need::required), root.path_of("topology"), issues,
                                topology_ok);
  if (topology_ok) known.ids = member_ids(plan.topology);
  plan.workload = read_workload(root.member("workload", Need::required), root.path_of("workload"),
                                issues, known);
  FaultContext context;
  context.topology_known = known.ids.has_value();
  if (known.ids) {
    context.topology_kind = plan.topology.kind;
    context.voters = known.ids->voters;
    context.workers = known.ids->workers;
    context.others = known.ids->others;
    context.roles = known.ids->roles;
  }
  context.duration_ms = known.duration_ms;
  plan.steady_state = read_steady_state(root.member("steady_state"), root.path_of("steady_state"), context,
                                        known.op_timeout_ms, issues);
  plan.faults = read_faults(root.member("faults"), root.path_of("faults"), context, issues);
  plan.objectives = read_objectives(root.member("objectives"), root.path_of("objectives"), issues);
  plan.halts = read_halts(root.member("halt"), root.path_of("halt"), plan.steady_state, issues);
  plan.rollbacks = read_rollbacks(root.member("rollbacks"), root.path_of("rollbacks"), context, issues);
  plan.expect_fail = read_expect(root.member("expect"), root.path_of("expect"), plan, issues);
  if (known.ids && !known.ids->roles) {
    for (const char* key : {"leader_election_ms", "max_elections"}) {
      const bool declared = std::string(key) == "max_elections" ? plan.objectives.max_elections.has_value()
                                                                 : plan.objectives.leader_election_ms.has_value();
      if (declared) {
        issues.push_back({child(root.path_of("objectives"), std::string(key)),
                          "cannot be measured: the topology's members report no roles or terms (declare "
                          "topology.requests.status) or drop this objective"});
      }
    }
  }

  if (issues.empty()) out.plan = std::move(plan);
  return out;
}

}  // namespace faultline::plan
