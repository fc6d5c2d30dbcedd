// Random valid plans for the plan properties (plan_property_test.cpp): every
// topology kind, fault kind, probe kind and optional section, each value
// written as the validator writes it back, so that a plan survives a
// to_json/parse round trip unchanged.
#include "tests/plan/plan_generators.hpp"

#include "chaos/faults/spec.hpp"
#include "chaos/faults/selector.hpp"
#include "drills/plan/probes.hpp"
#include "drills/plan/processes.hpp"
#include "drills/plan/topology.hpp"

namespace faultline::plan {
namespace {

using nlohmann::json;

// The ids a topology has for faults to name (voters, workers, others).
struct Ids {
  std::vector<std::string> voters, workers, others;
  bool roles = true;  // the members report roles: leader/follower name someone
  std::string topology_kind = "embedded";
};

std::string random_selector(const std::vector<std::string>& voters, const std::vector<std::string>& workers,
                            const std::vector<std::string>& others = {}, bool roles = true) {
  std::vector<std::string> all = faults::role_selectors();
  if (!roles) all = {"minority", "majority", "all"};
  all.insert(all.end(), voters.begin(), voters.end());
  all.insert(all.end(), others.begin(), others.end());
  if (!workers.empty()) {
    all.push_back("worker");
    all.push_back("workers");
    all.insert(all.end(), workers.begin(), workers.end());
  }
  return all[*rc::gen::inRange<std::size_t>(0, all.size())];
}

// A valid value of `p` as the validator writes it back (numbers as parsed).
json random_param(const faults::ParamSpec& p, const std::vector<std::string>& voters,
                  const std::vector<std::string>& workers, const std::vector<std::string>& others, bool roles) {
  using faults::ParamType;
  switch (p.type) {
    case ParamType::integer:
      return *rc::gen::inRange<std::int64_t>(static_cast<std::int64_t>(p.min),
                                             static_cast<std::int64_t>(std::min(p.max, 1e9)) + 1);
    case ParamType::number:
      return p.min + (std::min(p.max, 1e6) - p.min) * (*rc::gen::inRange(0, 1001) / 1000.0);
    case ParamType::boolean:
      return *rc::gen::arbitrary<bool>();
    case ParamType::choice:
      return p.choices[*rc::gen::inRange<std::size_t>(0, p.choices.size())];
    case ParamType::selector:
      return random_selector(voters, workers, others, roles);
    case ParamType::text:
      return *rc::gen::element<std::string>("a", "/health", "raft_term");
    case ParamType::text_list:
      return json::array({"true"});
    case ParamType::object:
      return json{{"role", "leader"}};
    case ParamType::any:
      return *rc::gen::element<json>(json("ok"), json(3), json(true));
    case ParamType::groups: {
      // Every member in one of two groups, each group non-empty.
      const std::size_t split = *rc::gen::inRange<std::size_t>(1, std::max<std::size_t>(2, voters.size()));
      json groups = json::array({json::array(), json::array()});
      for (std::size_t i = 0; i < voters.size(); ++i) groups[i < split ? 0 : 1].push_back(voters[i]);
      if (groups[1].empty()) groups[1].push_back(voters.front() == "c1" && voters.size() == 1 ? "c1" : voters.back());
      return groups;
    }
  }
  return nullptr;
}

FaultSpec random_fault(const Ids& ids, std::int64_t duration_ms) {
  const std::vector<std::string>& voters = ids.voters;
  const std::vector<std::string>& workers = ids.workers;
  // Only kinds the topology's members can take (a clock fault on etcd, a
  // disk fault on anything but the reference cluster are refused).
  std::vector<const faults::KindSpec*> kinds;
  for (const faults::KindSpec& k : faults::catalogue()) {
    if (!faults::topology_refusal(k, ids.topology_kind)) kinds.push_back(&k);
  }
  const faults::KindSpec& kind = *kinds[*rc::gen::inRange<std::size_t>(0, kinds.size())];
  FaultSpec f;
  f.kind = kind.name;
  // A voters-only kind (disk, power_loss) is never aimed at workers.
  f.target = random_selector(voters, kind.voters_only ? std::vector<std::string>{} : workers, ids.others, ids.roles);
  f.at_ms = *rc::gen::inRange<std::int64_t>(0, duration_ms);
  if (*rc::gen::arbitrary<bool>()) f.heal_after_ms = *rc::gen::inRange<std::int64_t>(0, 100'000);
  // Parameters that others depend on first (as the validator reads them).
  for (const bool dependent : {false, true}) {
    for (const faults::ParamSpec& p : kind.params) {
      if (p.when_param.empty() == dependent) continue;
      if (!p.when_param.empty()) {
        const auto it = f.params.find(p.when_param);
        if (it == f.params.end() ||
            std::find(p.when_values.begin(), p.when_values.end(), it->get<std::string>()) == p.when_values.end()) {
          continue;
        }
      }
      if (p.type == faults::ParamType::groups && voters.size() < 2) {
        continue;  // no two groups of distinct members exist
      }
      if (p.required || !p.fallback || *rc::gen::arbitrary<bool>()) {
        f.params[p.name] = random_param(p, voters, workers, ids.others, ids.roles);
      } else if (!ids.roles && p.type == faults::ParamType::selector) {
        f.params[p.name] = random_selector(voters, workers, ids.others, ids.roles);  // the default may name a role
      } else {
        f.params[p.name] = *p.fallback;
      }
    }
  }
  return f;
}

ProbeSpec random_probe(const std::string& name, const Ids& ids) {
  const auto& kinds = probe_kinds();
  const ProbeKind& kind = kinds[*rc::gen::inRange<std::size_t>(0, kinds.size())];
  ProbeSpec probe;
  probe.name = name;
  probe.kind = kind.name;
  probe.when = *rc::gen::element<std::vector<std::string>>(std::vector<std::string>{"continuous"},
                                                          std::vector<std::string>{"before", "after"},
                                                          std::vector<std::string>{});
  probe.tolerance_ms = *rc::gen::inRange<std::int64_t>(0, 10'000);
  for (const bool dependent : {false, true}) {
    for (const faults::ParamSpec& p : kind.params) {
      if (p.when_param.empty() == dependent) continue;
      if (!p.when_param.empty()) {
        const auto it = probe.params.find(p.when_param);
        if (it == probe.params.end() ||
            std::find(p.when_values.begin(), p.when_values.end(), it->get<std::string>()) == p.when_values.end()) {
          continue;
        }
      }
      if (p.required || !p.fallback || *rc::gen::arbitrary<bool>()) {
        if (!p.required && !p.fallback && *rc::gen::arbitrary<bool>()) continue;  // an optional one left out
        probe.params[p.name] = random_param(p, ids.voters, ids.workers, {}, ids.roles);
      } else if (!ids.roles && p.type == faults::ParamType::selector) {
        probe.params[p.name] = random_selector(ids.voters, ids.workers, {}, ids.roles);
      } else {
        probe.params[p.name] = *p.fallback;
      }
    }
  }
  return probe;
}

// A redis-sentinel topology as its reader leaves it: every option written
// out, the embedded fields at their defaults, `coordinators` the servers.
Topology random_redis_topology() {
  Topology t;
  t.kind = "redis-sentinel";
  const int replicas = *rc::gen::inRange(1, 9);
  const int sentinels = *rc::gen::inRange(1, 10);
  t.coordinators = replicas + 1;
  t.options = {{"replicas", replicas},
               {"sentinels", sentinels},
               {"down_after_ms", *rc::gen::inRange<std::int64_t>(100, 600'001)},
               {"failover_timeout_ms", *rc::gen::inRange<std::int64_t>(500, 3'600'001)},
               {"quorum", *rc::gen::inRange(1, sentinels + 1)},
               {"min_replicas_to_write", *rc::gen::inRange(0, replicas + 1)},
               {"min_replicas_max_lag_s", *rc::gen::inRange(1, 3601)},
               {"wait_replicas", *rc::gen::inRange(0, replicas + 1)},
               {"wait_timeout_ms", *rc::gen::inRange<std::int64_t>(1, 100'000)}};
  return t;
}

std::string random_word(std::size_t max) {
  const std::string letters = "abcdefghijklmnopqrstuvwxyz";
  std::string w(1, letters[*rc::gen::inRange<std::size_t>(0, letters.size())]);
  const std::size_t n = *rc::gen::inRange<std::size_t>(0, max);
  for (std::size_t i = 0; i < n; ++i) w += letters[*rc::gen::inRange<std::size_t>(0, letters.size())];
  return w;
}

// A template of literal text, braces that are no placeholder, and
// placeholders drawn from `allowed` and the ports.
std::string random_template(const std::vector<std::string>& allowed, const std::vector<std::string>& ports,
                            bool path) {
  std::string t = path ? "/" : "";
  const int parts = *rc::gen::inRange(0, 5);
  for (int i = 0; i < parts; ++i) {
    switch (*rc::gen::inRange(0, 4)) {
      case 0:
        t += "{" + allowed[*rc::gen::inRange<std::size_t>(0, allowed.size())] + "}";
        break;
      case 1:
        t += "{port:" + ports[*rc::gen::inRange<std::size_t>(0, ports.size())] + "}";
        break;
      case 2:
        t += *rc::gen::element<std::string>("{\"a\": 1}", "{}", "{Upper}", "{x", "=", "/v3/kv");
        break;
      default:
        t += random_word(6);
        break;
    }
  }
  return t;
}

json random_request(const std::vector<std::string>& allowed, const std::vector<std::string>& ports) {
  json r{{"path", random_template(allowed, ports, true)}};
  if (*rc::gen::arbitrary<bool>()) r["method"] = *rc::gen::element<std::string>("GET", "POST", "PUT");
  switch (*rc::gen::inRange(0, 3)) {
    case 0:
      r["body"] = random_template(allowed, ports, false);
      break;
    case 1:
      r["body"] = json{{"key", random_template(allowed, ports, false)}, {"n", 1}, {"list", json::array({"{" + allowed.front() + "}"})}};
      break;
    default:
      break;  // no body
  }
  return r;
}

std::string random_json_path() {
  std::string p = "$";
  const int steps = *rc::gen::inRange(0, 4);
  for (int i = 0; i < steps; ++i) {
    switch (*rc::gen::inRange(0, 3)) {
      case 0:
        p += "." + random_word(5);
        break;
      case 1:
        p += "[" + std::to_string(*rc::gen::inRange(0, 20)) + "]";
        break;
      default:
        p += "[\"a key.with ]\"]";
        break;
    }
  }
  return p;
}

// A processes topology as a user writes it (optional fields present or
// not), read through the topology reader: what it fills in is what the
// writer must give back.
Topology random_processes_topology() {
  std::vector<std::string> ports;
  const int n = *rc::gen::inRange(1, 4);
  for (int i = 0; i < n; ++i) ports.push_back(random_word(4) + std::to_string(i));
  json t{{"kind", "processes"}, {"ports", ports}, {"health", random_template(member_placeholders(), ports, true)}};
  const std::int64_t min = *rc::gen::inRange<std::int64_t>(2, 2000);
  if (*rc::gen::arbitrary<bool>()) t["members"] = *rc::gen::inRange(1, 10);
  if (*rc::gen::arbitrary<bool>()) {
    t["election_timeout_ms"] = json::array({min, min + *rc::gen::inRange<std::int64_t>(0, 2000)});
    t["heartbeat_ms"] = *rc::gen::inRange<std::int64_t>(1, min);
  }
  if (*rc::gen::arbitrary<bool>()) t["id_prefix"] = random_word(7);
  if (*rc::gen::arbitrary<bool>()) t["api_port"] = ports.back();
  json command = json::array({"/usr/bin/" + random_word(6)});
  const int args = *rc::gen::inRange(0, 5);
  for (int i = 0; i < args; ++i) command.push_back(random_template(command_placeholders(), ports, false));
  t["command"] = command;
  if (*rc::gen::arbitrary<bool>()) t["env"] = json{{"X_" + random_word(3), random_template(command_placeholders(), ports, false)}};
  if (*rc::gen::arbitrary<bool>()) t["peer"] = random_template(member_placeholders(), ports, false);
  if (*rc::gen::arbitrary<bool>()) t["peer_separator"] = *rc::gen::element<std::string>(",", " ", ";");
  if (*rc::gen::arbitrary<bool>()) t["probe"] = "/" + random_word(5);
  if (*rc::gen::arbitrary<bool>()) t["package"] = random_word(8);
  json read = random_request(read_placeholders(), ports);
  read["value"] = random_json_path();
  if (*rc::gen::arbitrary<bool>()) read["encoding"] = *rc::gen::element<std::string>("text", "base64");
  t["requests"] = json{{"write", random_request(write_placeholders(), ports)}, {"read", read}};
  if (*rc::gen::arbitrary<bool>()) {
    json status = random_request(member_placeholders(), ports);
    status["term"] = random_json_path();
    status["leader"] = random_json_path();
    for (const char* key : {"self", "role", "commit_index", "applied_index"}) {
      if (*rc::gen::arbitrary<bool>()) status[key] = random_json_path();
    }
    if (*rc::gen::arbitrary<bool>()) status["term_of"] = *rc::gen::element<std::string>("current", "last_applied");
    t["requests"]["status"] = status;
  }
  if (*rc::gen::arbitrary<bool>()) {
    json rules = json::array({json{{"status", *rc::gen::inRange(100, 600)}}, json{{"contains", random_word(10)}}});
    t["not_done"] = rules;
  }
  Issues issues;
  bool ok = false;
  const Topology out = read_topology(&t, {std::string("topology")}, issues, ok);
  for (const Issue& i : issues) RC_LOG() << format_path(i.path) << ": " << i.message << "\n";
  RC_ASSERT(ok);
  return out;
}

}  // namespace

rc::Gen<Plan> valid_plan() {
  return rc::gen::exec([] {
    Plan p;
    const std::string first = "abcdefghijklmnopqrstuvwxyz0123456789";
    const std::string rest = first + "-_.";
    const auto tail = *rc::gen::container<std::vector<std::size_t>>(
        *rc::gen::inRange<std::size_t>(0, 20), rc::gen::inRange<std::size_t>(0, rest.size()));
    p.name = first[*rc::gen::inRange<std::size_t>(0, first.size())];
    for (const std::size_t i : tail) p.name += rest[i];
    p.description = *rc::gen::container<std::string>(rc::gen::inRange<char>(1, 127));
    if (*rc::gen::arbitrary<bool>()) p.seed = *rc::gen::arbitrary<std::uint64_t>();

    Topology& t = p.topology;
    const std::string kind = *rc::gen::element<std::string>("embedded", "redis-sentinel", "etcd", "processes");
    if (kind == "redis-sentinel") {
      t = random_redis_topology();
    } else if (kind == "etcd") {
      t.kind = kind;
      t.coordinators = *rc::gen::element(3, 5);
      t.heartbeat_ms = *rc::gen::inRange<std::int64_t>(1, 1000);
      t.election_timeout_min_ms = t.heartbeat_ms * 5 + *rc::gen::inRange<std::int64_t>(0, 5000);
      t.election_timeout_max_ms = 2 * t.election_timeout_min_ms;
      t.options = json{{"pre_vote", *rc::gen::arbitrary<bool>()}};
    } else if (kind == "processes") {
      t = random_processes_topology();
    } else {
      t.coordinators = *rc::gen::inRange(1, 10);
      t.election_timeout_min_ms = *rc::gen::inRange<std::int64_t>(2, 2000);
      t.election_timeout_max_ms = t.election_timeout_min_ms + *rc::gen::inRange<std::int64_t>(0, 2000);
      t.heartbeat_ms = *rc::gen::inRange<std::int64_t>(1, t.election_timeout_min_ms);
      t.stale_reads = *rc::gen::arbitrary<bool>();
      t.workers = *rc::gen::inRange(0, 17);
      t.worker_timeout_ms = *rc::gen::inRange<std::int64_t>(10, 60'001);
    }

    Workload& w = p.workload;
    w.clients = *rc::gen::inRange(1, 65);
    w.rate_per_s = *rc::gen::inRange(1, 100000) / 8.0;
    w.max_ops = *rc::gen::inRange<std::int64_t>(1, 10'000'001);
    w.duration_ms = *rc::gen::inRange<std::int64_t>(1, 3'600'001);
    w.keys = *rc::gen::inRange<std::int64_t>(0, 1'000'000);
    w.op_timeout_ms = *rc::gen::inRange<std::int64_t>(1, 100'000);
    w.read_ratio = *rc::gen::inRange(0, 1001) / 1000.0;
    if (t.workers > 0) w.sessions = *rc::gen::inRange<std::int64_t>(0, 100'001);
    w.call_ratio = *rc::gen::inRange(0, 1001) / 1000.0;

    p.steady_state.stability_window_ms = *rc::gen::inRange<std::int64_t>(1, 100'000);
    p.steady_state.max_latency_ms = *rc::gen::inRange<std::int64_t>(1, 100'000);

    const MemberIds topology_ids = member_ids(t);
    const Ids ids{topology_ids.voters, topology_ids.workers, topology_ids.others, topology_ids.roles, t.kind};
    const int faults = *rc::gen::inRange(0, 5);
    for (int i = 0; i < faults; ++i) p.faults.push_back(random_fault(ids, w.duration_ms));
    if (*rc::gen::arbitrary<bool>()) p.objectives.rto_ms = *rc::gen::inRange(0, 100000) / 4.0;
    if (*rc::gen::arbitrary<bool>()) {
      p.objectives.rpo_writes = *rc::gen::inRange<std::int64_t>(0, 1000);
    }
    p.objectives.linearizable = *rc::gen::arbitrary<bool>();
    if (ids.roles && *rc::gen::arbitrary<bool>()) {
      p.objectives.leader_election_ms = *rc::gen::inRange(0, 100000) / 4.0;
    }
    if (ids.roles && *rc::gen::arbitrary<bool>()) {
      p.objectives.max_elections = *rc::gen::inRange<std::int64_t>(0, 1000);
    }
    if (*rc::gen::arbitrary<bool>()) p.objectives.rto_from_heal_ms = *rc::gen::inRange(0, 100000) / 4.0;
    if (*rc::gen::arbitrary<bool>()) p.objectives.failover_ms = *rc::gen::inRange(0, 100000) / 4.0;
    if (*rc::gen::arbitrary<bool>()) p.objectives.calls_lost = *rc::gen::inRange<std::int64_t>(0, 1000);
    if (*rc::gen::arbitrary<bool>()) {
      p.objectives.sessions_moved_without_cause = *rc::gen::inRange<std::int64_t>(0, 1000);
    }
    // Some numeric objectives written as percentiles instead: the plain
    // limit is then absent, and at least one statistic is set.
    for (const NumericObjectiveName& n : numeric_objective_names()) {
      if (*rc::gen::inRange(0, 4) != 0) continue;
      if (!ids.roles && (std::string(n.name) == "leader_election_ms" || std::string(n.name) == "max_elections")) continue;
      Percentiles limits;
      auto limit = [&] {
        return n.integer ? static_cast<double>(*rc::gen::inRange<std::int64_t>(0, 1000))
                         : *rc::gen::inRange(0, 100000) / 4.0;
      };
      if (*rc::gen::arbitrary<bool>()) limits.p50 = limit();
      if (*rc::gen::arbitrary<bool>()) limits.p90 = limit();
      if (*rc::gen::arbitrary<bool>()) limits.p99 = limit();
      if (*rc::gen::arbitrary<bool>() || (!limits.p50 && !limits.p90 && !limits.p99)) limits.max = limit();
      p.objectives.percentiles[n.name] = limits;
      const std::string name = n.name;
      Objectives& o = p.objectives;
      if (name == "rto_ms") o.rto_ms.reset();
      if (name == "rpo_writes") o.rpo_writes.reset();
      if (name == "leader_election_ms") o.leader_election_ms.reset();
      if (name == "max_elections") o.max_elections.reset();
      if (name == "rto_from_heal_ms") o.rto_from_heal_ms.reset();
      if (name == "failover_ms") o.failover_ms.reset();
      if (name == "calls_lost") o.calls_lost.reset();
      if (name == "sessions_moved_without_cause") o.sessions_moved_without_cause.reset();
    }
    if (*rc::gen::arbitrary<bool>()) p.objectives.min_success_rate = *rc::gen::inRange(0, 1001) / 1000.0;
    if (*rc::gen::arbitrary<bool>()) p.objectives.max_p99_ms = *rc::gen::inRange(0, 100000) / 4.0;
    if (*rc::gen::arbitrary<bool>()) p.objectives.rpo_ms = *rc::gen::inRange(0, 100000) / 4.0;
    p.steady_state.sample_ms = *rc::gen::inRange<std::int64_t>(10, 60'001);
    const int probes = *rc::gen::inRange(0, 4);
    for (int i = 0; i < probes; ++i) p.steady_state.probes.push_back(random_probe("p" + std::to_string(i), ids));
    if (!p.steady_state.probes.empty() && *rc::gen::arbitrary<bool>()) {
      p.halts.push_back({p.steady_state.probes.front().name, *rc::gen::inRange<std::int64_t>(0, 100'000)});
    }
    if (*rc::gen::arbitrary<bool>()) p.rollbacks.push_back({"heal_all", "all", {}, 10'000});
    if (*rc::gen::arbitrary<bool>()) p.rollbacks.push_back({"restart", random_selector(ids.voters, ids.workers, {}, ids.roles), {}, 10'000});
    if (*rc::gen::arbitrary<bool>()) p.rollbacks.push_back({"command", "all", {"true", "x"}, *rc::gen::inRange<std::int64_t>(1, 600'001)});
    if (*rc::gen::arbitrary<bool>()) p.expect_fail = {"election_safety"};
    if (*rc::gen::arbitrary<bool>()) p.objectives.min_lost_writes = *rc::gen::inRange<std::int64_t>(1, 1000);
    return p;
  });
}

}  // namespace faultline::plan
