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
  }
  const Json steady = get_json(plan, "steady_state");
  if (steady.is_object()) {
    p.stability_window_ms = get_double(steady, "stability_window_ms").value_or(kDefaultStabilityWindowMs);
    p.max_latency_ms = get_double(steady, "max_latency_ms").value_or(kDefaultMaxLatencyMs);
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
    } else if (kind == "phase") {
      h.phases.push_back({get_text(ev, "phase"), t});
    } else if (kind == "member") {
      h.samples.push_back(parse_sample(ev, t));
      members.insert(h.samples.back().member);
    } else if (kind == "member.start") {
      h.starts.push_back({t, get_text(ev, "member"), get_bool(ev, "restart", false)});
      members.insert(h.starts.back().member);
    } else if (kind == "member.exit") {
      h.exits.push_back({t, get_text(ev, "member"), get_bool(ev, "expected", false), exit_how(ev)});
      members.insert(h.exits.back().member);
    } else if (kind == "fault.inject") {
      Fault f;
      f.index = get_int(ev, "fault").value_or(static_cast<std::int64_t>(h.faults.size()));
      f.kind = get_text(ev, "fault_kind");
      f.effect = get_text(ev, "effect");
      if (f.effect.empty()) f.effect = f.kind == "kill" ? "down" : f.kind == "pause" ? "frozen" : "";
      f.selector = get_text(ev, "selector");
      f.targets = get_targets(ev);
      f.applied = get_text(ev, "applied");
      f.confirmed = get_text(ev, "confirmed");
      f.term = get_int(ev, "term");
      f.inject_ns = t;
      f.start_ns = std::min(t, get_int(ev, "signal_t_ns").value_or(t));
      h.faults.push_back(std::move(f));
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
    } else if (kind == "note") {
      h.notes.push_back(get_text(ev, "text"));
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
