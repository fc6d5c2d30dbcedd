// Checks of the plan's top level and of its topology, workload, steady-state
// and objectives sections. Faults are in faults.cpp.
#include "drills/plan/validate.hpp"

#include "drills/plan/suggest.hpp"

namespace faultline::plan {
namespace {

using nlohmann::json;

constexpr std::int64_t kAny = std::numeric_limits<std::int64_t>::max();
constexpr IntRule kPositive{1, kAny};
constexpr IntRule kNonNegative{0, kAny};

bool valid_name(const std::string& name) {
  auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (name.empty() || !lower_or_digit(name[0])) return false;
  for (const char c : name) {
    if (!lower_or_digit(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

// Fields valid on their own, which later checks may rely on.
struct Known {
  std::optional<int> coordinators;
  std::optional<int> workers;
  std::optional<std::int64_t> duration_ms;
  std::optional<std::int64_t> op_timeout_ms;
};

// Returns the minimum when it is valid, for the heartbeat check.
std::optional<std::int64_t> read_election_timeout(ObjectReader& r, Topology& t, Issues& issues) {
  const json* range = r.member("election_timeout_ms");
  if (range == nullptr) return t.election_timeout_min_ms;
  const JsonPath path = r.path_of("election_timeout_ms");
  if (!range->is_array() || range->size() != 2) {
    issues.push_back(
        {path, "expected an array of two integers [min, max], found " +
                   (range->is_array() ? "an array of " + std::to_string(range->size()) + " elements"
                                      : describe(*range))});
    return std::nullopt;
  }
  const auto lo = read_integer((*range)[0], child(path, std::size_t{0}), kPositive, issues);
  const auto hi = read_integer((*range)[1], child(path, std::size_t{1}), kPositive, issues);
  if (!lo || !hi) return lo;
  if (*lo > *hi) {
    issues.push_back({path, "minimum " + std::to_string(*lo) + " must not exceed maximum " +
                                std::to_string(*hi)});
    return lo;
  }
  t.election_timeout_min_ms = *lo;
  t.election_timeout_max_ms = *hi;
  return lo;
}

Topology read_topology(const json* value, const JsonPath& path, Issues& issues, Known& known) {
  Topology t;
  if (value == nullptr) return t;
  ObjectReader r(*value, path, issues,
                 {"kind", "coordinators", "election_timeout_ms", "heartbeat_ms", "stale_reads",
                  "workers", "worker_timeout_ms"});
  if (!r.is_object()) return t;

  const Field<std::string> kind = r.string("kind", std::nullopt, Need::required);
  if (kind.value) {
    t.kind = *kind.value;
    if (*kind.value != "embedded") {
      std::string message = "unknown topology kind " + show_text(*kind.value);
      if (auto near = closest_match(*kind.value, {"embedded"})) {
        message += "; did you mean " + show_text(*near) + "?";
      }
      issues.push_back({r.path_of("kind"), message + "; allowed: embedded"});
    }
  }

  const Field<std::int64_t> coordinators = r.integer("coordinators", IntRule{1, 9}, 3);
  if (coordinators.value) {
    t.coordinators = static_cast<int>(*coordinators.value);
    known.coordinators = t.coordinators;
  }

  const std::optional<std::int64_t> election_min = read_election_timeout(r, t, issues);

  const Field<std::int64_t> heartbeat = r.integer("heartbeat_ms", kPositive, 50);
  if (heartbeat.value) {
    t.heartbeat_ms = *heartbeat.value;
    if (election_min && *heartbeat.value >= *election_min) {
      issues.push_back(
          {r.path_of("heartbeat_ms"), "must be less than the election timeout minimum (" +
                                          std::to_string(*election_min) + " ms), got " +
                                          std::to_string(*heartbeat.value)});
    }
  }
  if (auto v = r.boolean("stale_reads", false).value) t.stale_reads = *v;
  const Field<std::int64_t> workers = r.integer("workers", IntRule{0, 16}, 0);
  if (workers.value) {
    t.workers = static_cast<int>(*workers.value);
    known.workers = t.workers;
  }
  if (auto v = r.integer("worker_timeout_ms", IntRule{10, 60'000}, 500).value) {
    t.worker_timeout_ms = *v;
  }
  return t;
}

Workload read_workload(const json* value, const JsonPath& path, Issues& issues, Known& known) {
  Workload w;
  if (value == nullptr) return w;
  ObjectReader r(
      *value, path, issues,
      {"clients", "rate_per_s", "max_ops", "duration_ms", "keys", "op_timeout_ms", "read_ratio",
       "sessions", "call_ratio"});
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
    if (*sessions.value > 0 && known.workers && *known.workers == 0) {
      issues.push_back({r.path_of("sessions"),
                        "routed calls need worker nodes: set topology.workers (1..16) or "
                        "sessions to 0"});
    }
  }
  if (auto v = r.number("call_ratio", NumberRule{0, false, 1}, 1).value) w.call_ratio = *v;
  return w;
}

SteadyState read_steady_state(const json* value, const JsonPath& path, Issues& issues,
                              const Known& known) {
  SteadyState s;
  s.max_latency_ms = known.op_timeout_ms.value_or(s.max_latency_ms);
  if (value == nullptr) return s;
  ObjectReader r(*value, path, issues, {"stability_window_ms", "max_latency_ms"});
  if (!r.is_object()) return s;
  if (auto v = r.integer("stability_window_ms", kPositive, 1000).value) {
    s.stability_window_ms = *v;
  }
  if (auto v = r.integer("max_latency_ms", kPositive, s.max_latency_ms).value) {
    s.max_latency_ms = *v;
  }
  return s;
}

Objectives read_objectives(const json* value, const JsonPath& path, Issues& issues) {
  Objectives o;
  if (value == nullptr) return o;
  ObjectReader r(*value, path, issues,
                 {"rto_ms", "rpo_writes", "linearizable", "leader_election_ms", "max_elections",
                  "rto_from_heal_ms", "failover_ms", "calls_lost", "sessions_moved_without_cause"});
  if (!r.is_object()) return o;
  o.rto_ms = r.number("rto_ms", NumberRule{0}, std::nullopt).value;
  o.rpo_writes = r.integer("rpo_writes", kNonNegative, std::nullopt).value;
  if (auto v = r.boolean("linearizable", false).value) o.linearizable = *v;
  o.leader_election_ms = r.number("leader_election_ms", NumberRule{0}, std::nullopt).value;
  o.max_elections = r.integer("max_elections", kNonNegative, std::nullopt).value;
  o.rto_from_heal_ms = r.number("rto_from_heal_ms", NumberRule{0}, std::nullopt).value;
  o.failover_ms = r.number("failover_ms", NumberRule{0}, std::nullopt).value;
  o.calls_lost = r.integer("calls_lost", kNonNegative, std::nullopt).value;
  o.sessions_moved_without_cause =
      r.integer("sessions_moved_without_cause", kNonNegative, std::nullopt).value;
  return o;
}

}  // namespace

Validation validate(const json& doc) {
  Validation out;
  Issues& issues = out.issues;
  ObjectReader root(doc, {}, issues,
                    {"name", "description", "seed", "topology", "workload", "steady_state",
                     "faults", "objectives"});
  if (!root.is_object()) return out;

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
  plan.topology = read_topology(root.member("topology", Need::required), root.path_of("topology"),
                                issues, known);
  plan.workload = read_workload(root.member("workload", Need::required), root.path_of("workload"),
                                issues, known);
  plan.steady_state =
      read_steady_state(root.member("steady_state"), root.path_of("steady_state"), issues, known);
  FaultContext context;
  context.topology_known = known.coordinators && known.workers;
  for (int i = 0; i < known.coordinators.value_or(0); ++i) context.voters.push_back(member_id(i));
  for (int i = 0; i < known.workers.value_or(0); ++i) context.workers.push_back("w" + std::to_string(i + 1));
  context.duration_ms = known.duration_ms;
  plan.faults = read_faults(root.member("faults"), root.path_of("faults"), context, issues);
  plan.objectives = read_objectives(root.member("objectives"), root.path_of("objectives"), issues);

  if (issues.empty()) out.plan = std::move(plan);
  return out;
}

}  // namespace faultline::plan
