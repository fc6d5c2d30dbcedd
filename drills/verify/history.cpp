#include "drills/verify/history.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace faultline::verify {
namespace {

std::optional<std::string> get_string(const Json& ev, const char* key) {
  auto it = ev.find(key);
  if (it == ev.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::optional<std::int64_t> get_int(const Json& ev, const char* key) {
  auto it = ev.find(key);
  if (it == ev.end()) return std::nullopt;
  if (it->is_number_integer()) return it->get<std::int64_t>();
  if (it->is_number_unsigned()) return static_cast<std::int64_t>(it->get<std::uint64_t>());
  if (it->is_number_float()) return static_cast<std::int64_t>(it->get<double>());
  return std::nullopt;
}

std::optional<double> get_double(const Json& ev, const char* key) {
  auto it = ev.find(key);
  if (it == ev.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

bool get_bool(const Json& ev, const char* key, bool fallback) {
  auto it = ev.find(key);
  if (it == ev.end() || !it->is_boolean()) return fallback;
  return it->get<bool>();
}

// Ids and seeds may be written as numbers or strings; both become text.
std::string get_text(const Json& ev, const char* key) {
  auto it = ev.find(key);
  if (it == ev.end() || it->is_null()) return {};
  return value_text(*it);
}

Json get_json(const Json& ev, const char* key) {
  auto it = ev.find(key);
  return it == ev.end() ? Json() : *it;
}

OpResult parse_result(const std::string& text) {
  if (text == "ok") return OpResult::ok;
  if (text == "fail") return OpResult::fail;
  return OpResult::unknown;
}

PlanFacts parse_run(const Json& ev) {
  PlanFacts p;
  p.name = get_text(ev, "plan_name");
  p.file = get_text(ev, "plan_file");
  p.hash = get_text(ev, "plan_hash");
  p.seed = get_text(ev, "seed");
  p.version = get_text(ev, "version");
  p.host = get_text(ev, "host");
  p.started_at = get_text(ev, "started_at");
  const Json plan = get_json(ev, "plan");
  if (!plan.is_object()) return p;
  const Json objectives = get_json(plan, "objectives");
  if (objectives.is_object()) {
    p.rto_ms = get_double(objectives, "rto_ms");
    p.rpo_writes = get_double(objectives, "rpo_writes");
    p.linearizable = get_bool(objectives, "linearizable", false);
    p.leader_election_ms = get_double(objectives, "leader_election_ms");
    p.max_elections = get_double(objectives, "max_elections");
    p.rto_from_heal_ms = get_double(objectives, "rto_from_heal_ms");
    p.failover_ms = get_double(objectives, "failover_ms");
    p.calls_lost = get_double(objectives, "calls_lost");
    p.sessions_moved_without_cause = get_double(objectives, "sessions_moved_without_cause");
    p.min_lost_writes = get_double(objectives, "min_lost_writes");
    p.min_success_rate = get_double(objectives, "min_success_rate");
    p.max_p99_ms = get_double(objectives, "max_p99_ms");
    p.rpo_ms = get_double(objectives, "rpo_ms");
    for (const auto& [name, value] : objectives.items()) {
      if (!value.is_object()) continue;
      for (const char* stat : kPercentileStats) {
        if (auto limit = get_double(value, stat)) p.percentiles.push_back({name, stat, *limit});
      }
    }
  }
  const Json expect = get_json(plan, "expect");
  if (expect.is_object() && expect.contains("fail") && expect["fail"].is_array()) {
    for (const Json& name : expect["fail"]) {
      if (name.is_string()) p.expect_fail.push_back(name.get<std::string>());
    }
  }
  const Json trial = get_json(ev, "trial");
  if (trial.is_object()) {
    p.trial = static_cast<int>(get_int(trial, "index").value_or(1));
    p.trials = static_cast<int>(get_int(trial, "of").value_or(1));
  }
  const Json halts = get_json(plan, "halt");
  if (halts.is_array()) p.halts = halts.size();
  const Json steady = get_json(plan, "steady_state");
  if (steady.is_object()) {
    p.stability_window_ms = get_double(steady, "stability_window_ms").value_or(kDefaultStabilityWindowMs);
    p.max_latency_ms = get_double(steady, "max_latency_ms").value_or(kDefaultMaxLatencyMs);
    p.sample_ms = get_double(steady, "sample_ms").value_or(50);
    const Json probes = get_json(steady, "probes");
    if (probes.is_array()) {
      for (const Json& probe : probes) {
        if (!probe.is_object()) continue;
        ProbeFacts f;
        f.name = get_text(probe, "name");
        f.kind = get_text(probe, "kind");
        const Json when = get_json(probe, "when");
        if (when.is_array()) {
          for (const Json& w : when) {
            if (w.is_string()) f.when.push_back(w.get<std::string>());
          }
        }
        f.tolerance_ms = get_double(probe, "tolerance_ms").value_or(0);
        f.params = probe;
        p.probes.push_back(std::move(f));
      }
    }
  }
  return p;
}

MemberSample parse_sample(const Json& ev, std::int64_t t_ns) {
  MemberSample s;
  s.t_ns = t_ns;
  s.member = get_text(ev, "member");
  s.up = get_bool(ev, "up", false);
  s.role = get_string(ev, "role");
  s.term = get_int(ev, "term");
  s.leader = get_string(ev, "leader");
  s.commit_index = get_int(ev, "commit_index");
  s.role_since_ns = get_int(ev, "role_since_ns");
  return s;
}

std::vector<std::string> get_targets(const Json& ev) {
  std::vector<std::string> out;
  const Json targets = get_json(ev, "targets");
  if (targets.is_array()) {
    for (const Json& t : targets) out.push_back(value_text(t));
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> get_cut(const Json& ev, const std::string& effect) {
  std::vector<std::pair<std::string, std::string>> out;
  const Json detail = get_json(ev, "detail");
  if (!detail.is_object()) return out;
  const Json* links = nullptr;
  if (detail.contains("blocked")) {
    links = &detail["blocked"];
  } else if (effect == "isolated" && detail.contains("links")) {
    links = &detail["links"];
  }
  if (links == nullptr || !links->is_array()) return out;
  for (const Json& l : *links) {
    if (l.is_array() && l.size() == 2 && l[0].is_string() && l[1].is_string()) {
      out.emplace_back(l[0].get<std::string>(), l[1].get<std::string>());
    }
  }
  return out;
}

std::string exit_how(const Json& ev) {
  if (auto sig = get_int(ev, "signal")) return "signal " + std::to_string(*sig);
  if (auto code = get_int(ev, "code")) return "exit code " + std::to_string(*code);
  return "unknown";
}

// Invocations (`op` and `call`) are paired by id: an invoke opens one, its
// complete closes it, and what is still open at the end is unknown.
using OpenIds = std::map<std::string, std::size_t>;  // id -> index of its record

// The new record for `<what>.invoke` of `id`, or null (after a warning) when
// the id is missing or already open.
template <class T>
T* open_invocation(std::vector<T>& all, OpenIds& open, const std::string& id, const std::string& what,
                   std::int64_t t, std::vector<std::string>& warnings) {
  if (id.empty() || open.count(id) != 0) {
    warnings.push_back(what + ".invoke at t_ns " + std::to_string(t) + ": missing or repeated " + what + " id '" +
                       id + "'; skipped");
    return nullptr;
  }
  open.emplace(id, all.size());
  T& record = all.emplace_back();
  record.id = id;
  record.invoke_ns = t;
  return &record;
}

// The open record `<what>.complete` of `id` closes, or null (after a warning).
template <class T>
T* complete_invocation(std::vector<T>& all, const OpenIds& open, const std::string& id, const std::string& what,
                       std::int64_t t, std::vector<std::string>& warnings) {
  const auto it = open.find(id);
  if (it == open.end() || all[it->second].completed) {
    warnings.push_back(what + ".complete at t_ns " + std::to_string(t) + ": no open " + what + ".invoke for " +
                       what + " '" + id + "'; skipped");
    return nullptr;
  }
  T& record = all[it->second];
  record.completed = true;
  record.complete_ns = t;
  return &record;
}

template <class T>
void end_unfinished(std::vector<T>& all, std::int64_t end_ns) {
  for (T& record : all) {
    if (!record.completed) {
      record.complete_ns = end_ns;
      record.result = OpResult::unknown;
    }
  }
}

}  // namespace

const char* to_string(OpResult result) {
  switch (result) {
    case OpResult::ok: return "ok";
    case OpResult::fail: return "fail";
    case OpResult::unknown: return "unknown";
  }
  return "unknown";
}

bool ProbeFacts::is(const std::string& w) const { return std::find(when.begin(), when.end(), w) != when.end(); }

std::string value_text(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

bool History::is_worker(const std::string& id) const {
  return std::binary_search(workers.begin(), workers.end(), id);
}

std::optional<std::int64_t> History::fault_ns() const {
  if (faults.empty()) return std::nullopt;
  return faults.front().inject_ns;
}

History history_from(const std::vector<Json>& events) {
  History h;
  std::vector<std::pair<std::int64_t, const Json*>> ordered;
  ordered.reserve(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    const Json& ev = events[i];
    auto t = ev.is_object() ? get_int(ev, "t_ns") : std::nullopt;
    if (!t || !ev.contains("kind")) {
      h.warnings.push_back("event " + std::to_string(i + 1) + ": no t_ns or kind; skipped");
      continue;
    }
    ordered.emplace_back(*t, &ev);
  }
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });

  OpenIds open_ops;
  OpenIds open_calls;
  std::set<std::string> members;
  std::set<std::string> workers;
  for (const auto& [t, evp] : ordered) {
    const Json& ev = *evp;
    const std::string kind = get_text(ev, "kind");
    h.end_ns = std::max(h.end_ns, t);
    if (kind == "run") {
      h.has_run_event = true;
      h.plan = parse_run(ev);
    } else if (kind == "target") {
      h.target = {get_text(ev, "target"), get_bool(ev, "roles", true), get_bool(ev, "commit_index", true)};
      const Json waived = get_json(ev, "not_promised");
      if (waived.is_array()) {
        for (const Json& w : waived) {
          if (w.is_object()) h.not_promised.push_back({get_text(w, "check"), get_text(w, "why")});
        }
      }
    } else if (kind == "phase") {
      h.phases.push_back({get_text(ev, "phase"), t});
    } else if (kind == "member") {
      h.samples.push_back(parse_sample(ev, t));
      members.insert(h.samples.back().member);
    } else if (kind == "member.start") {
      // Members that do not vote (Redis sentinels) are not counted among
      // the members whose majority the election checks need.
      h.starts.push_back({t, get_text(ev, "member"), get_bool(ev, "restart", false)});
      if (get_bool(ev, "voter", true)) members.insert(h.starts.back().member);
    } else if (kind == "member.exit") {
      h.exits.push_back({t, get_text(ev, "member"), get_bool(ev, "expected", false), exit_how(ev)});
      if (get_bool(ev, "voter", true)) members.insert(h.exits.back().member);
    } else if (kind == "target.event") {
      h.target_events.push_back(
          {t, get_text(ev, "source"), get_text(ev, "event"), get_text(ev, "member"), get_text(ev, "part")});
    } else if (kind == "fault.inject") {
      Fault f;
      f.index = get_int(ev, "fault").value_or(static_cast<std::int64_t>(h.faults.size()));
      f.kind = get_text(ev, "fault_kind");
      f.effect = get_text(ev, "effect");
      if (f.effect.empty()) f.effect = f.kind == "kill" ? "down" : f.kind == "pause" ? "frozen" : "";
      f.selector = get_text(ev, "selector");
      f.targets = get_targets(ev);
      f.cut = get_cut(ev, f.effect);
      f.applied = get_text(ev, "applied");
      f.confirmed = get_text(ev, "confirmed");
      f.term = get_int(ev, "term");
      // The fault instant: when the effect was in force (effect_t_ns, for
      // faults confirmed by a slower measurement afterwards), else when it
      // was confirmed (the event's time).
      f.inject_ns = std::min(t, get_int(ev, "effect_t_ns").value_or(t));
      f.start_ns = std::min(f.inject_ns, get_int(ev, "signal_t_ns").value_or(t));
      f.power_loss = get_bool(get_json(ev, "detail"), "power_loss", false);
      h.faults.push_back(std::move(f));
    } else if (kind == "fault.step") {
      h.steps.push_back({t, get_int(ev, "fault").value_or(0), get_text(ev, "fault_kind"), get_text(ev, "action"),
                         get_text(ev, "member"), ev});
    } else if (kind == "fault.heal") {
      const auto index = get_int(ev, "fault");
      // A heal belongs to the latest unhealed injection of the same fault.
      for (auto it = h.faults.rbegin(); it != h.faults.rend(); ++it) {
        if (!it->heal_ns && (!index || it->index == *index)) {
          it->heal_ns = t;
          break;
        }
      }
    } else if (kind == "op.invoke") {
      Op* op = open_invocation(h.ops, open_ops, get_text(ev, "op"), "op", t, h.warnings);
      if (op == nullptr) continue;
      op->client = get_text(ev, "client");
      op->f = get_text(ev, "f");
      op->key = get_text(ev, "key");
      op->value = get_json(ev, "value");
    } else if (kind == "op.complete") {
      Op* op = complete_invocation(h.ops, open_ops, get_text(ev, "op"), "op", t, h.warnings);
      if (op == nullptr) continue;
      op->result = parse_result(get_text(ev, "result"));
      op->member = get_text(ev, "member");
      op->error = get_text(ev, "error");
      // A get's value is what it read, known only at completion.
      if (op->f == "get") op->value = get_json(ev, "value");
    } else if (kind == "worker.start") {
      h.worker_starts.push_back({t, get_text(ev, "worker"), get_int(ev, "pid"), get_text(ev, "url"),
                                 get_bool(ev, "restart", false)});
      workers.insert(h.worker_starts.back().worker);
    } else if (kind == "worker.exit") {
      h.worker_exits.push_back({t, get_text(ev, "worker"), get_int(ev, "pid"), get_bool(ev, "expected", false),
                                exit_how(ev)});
      workers.insert(h.worker_exits.back().worker);
    } else if (kind == "call.invoke") {
      Call* call = open_invocation(h.calls, open_calls, get_text(ev, "call"), "call", t, h.warnings);
      if (call == nullptr) continue;
      call->client = get_text(ev, "client");
      call->session = get_text(ev, "session");
    } else if (kind == "call.complete") {
      Call* call = complete_invocation(h.calls, open_calls, get_text(ev, "call"), "call", t, h.warnings);
      if (call == nullptr) continue;
      call->result = parse_result(get_text(ev, "result"));
      call->worker = get_text(ev, "worker");
      call->error = get_text(ev, "error");
      call->moved_from = get_text(ev, "moved_from");
      call->reinitialized = get_bool(ev, "reinitialized", false);
      workers.insert(call->worker);
    } else if (kind == "readback") {
      h.readbacks.push_back({t, get_text(ev, "key"), get_bool(ev, "found", false), get_json(ev, "value"),
                             get_text(ev, "member")});
    } else if (kind == "probe") {
      h.probe_samples.push_back({t, get_text(ev, "name"), get_bool(ev, "pass", false), get_json(ev, "value"),
                                 get_text(ev, "detail")});
    } else if (kind == "note") {
      h.notes.push_back(get_text(ev, "text"));
    } else if (kind == "halt") {
      if (!h.halt) h.halt = HaltFacts{t, get_text(ev, "probe"), get_double(ev, "for_ms").value_or(0), get_text(ev, "reason")};
    } else if (kind == "unhealthy") {
      if (!h.unhealthy) h.unhealthy = UnhealthyFacts{t, get_text(ev, "probe"), get_text(ev, "reason")};
    } else if (kind == "rollback") {
      RollbackFacts r{t, get_text(ev, "action"), get_text(ev, "target"), {}, get_bool(ev, "ok", false),
                      get_text(ev, "detail"), get_double(ev, "duration_ms").value_or(0)};
      const Json argv = get_json(ev, "argv");
      if (argv.is_array()) {
        for (const Json& a : argv) r.argv.push_back(value_text(a));
      }
      h.rollbacks.push_back(std::move(r));
    } else if (kind == "aborted") {
      h.stopped = RunStop{get_text(ev, "cause"), get_text(ev, "reason"), t};
      h.notes.push_back("run aborted: " + h.stopped->reason);
    }
  }
  end_unfinished(h.ops, h.end_ns);
  end_unfinished(h.calls, h.end_ns);
  members.erase(std::string());
  h.members.assign(members.begin(), members.end());
  workers.erase(std::string());
  h.workers.assign(workers.begin(), workers.end());
  return h;
}

}  // namespace faultline::verify
