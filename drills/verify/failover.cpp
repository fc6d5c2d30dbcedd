#include "drills/verify/failover.hpp"

#include <algorithm>
#include <map>

#include "drills/verify/workload.hpp"

namespace faultline::verify {
namespace {

using SessionCalls = std::map<std::string, std::vector<const Call*>>;

std::int64_t window_end(const History& h, const Fault& f) { return f.heal_ns.value_or(h.end_ns); }

bool targets(const Fault& f, const std::string& worker) {
  return std::find(f.targets.begin(), f.targets.end(), worker) != f.targets.end();
}

// The ok calls that name the worker that served them, per session, in order
// of completion: the only calls that show where a session is pinned.
SessionCalls ok_calls_by_session(const History& h) {
  SessionCalls out;
  for (const Call& c : h.calls) {
    if (c.result == OpResult::ok && !c.worker.empty() && !c.session.empty()) out[c.session].push_back(&c);
  }
  for (auto& [session, calls] : out) {
    (void)session;
    std::stable_sort(calls.begin(), calls.end(),
                     [](const Call* a, const Call* b) { return a->complete_ns < b->complete_ns; });
  }
  return out;
}

// A fault on `worker` whose interval meets [from, to].
bool fault_in_force(const History& h, const std::string& worker, std::int64_t from, std::int64_t to) {
  for (const Fault& f : h.faults) {
    if (targets(f, worker) && f.start_ns <= to && window_end(h, f) >= from) return true;
  }
  return false;
}

// The worker's process exited, or a new life of it began, within [from, to].
bool process_ended(const History& h, const std::string& worker, std::int64_t from, std::int64_t to) {
  for (const WorkerExit& e : h.worker_exits) {
    if (e.worker == worker && e.t_ns >= from && e.t_ns <= to) return true;
  }
  for (const WorkerStart& s : h.worker_starts) {
    if (s.worker == worker && s.t_ns >= from && s.t_ns <= to) return true;
  }
  return false;
}

// An ok answer from the faulted worker that completed before the fault was
// confirmed (t_f) was given before the fault took effect: it was in flight
// when the signal went out. It neither recovers a session nor unpins it.
bool before_effect(const Call& c, const std::string& worker, std::int64_t t_f) {
  return c.result == OpResult::ok && c.worker == worker && c.complete_ns < t_f;
}

SessionFailover follow(const std::vector<const Call*>& ok, const std::vector<const Call*>& all,
                       const std::string& worker, std::int64_t t_s, std::int64_t t_f) {
  SessionFailover s;
  // The session needs service from the fault's start, or from its first call
  // after it if that came later: the time the session did not call at all is
  // not failover time.
  std::optional<std::int64_t> need;
  for (const Call* c : all) {
    s.called_after = s.called_after || c->invoke_ns >= t_s;
    if (c->complete_ns >= t_s && !before_effect(*c, worker, t_f)) {
      need = need ? std::min(*need, c->invoke_ns) : c->invoke_ns;
    }
  }
  auto next = std::find_if(ok.begin(), ok.end(), [&](const Call* c) {
    return c->complete_ns >= t_s && !before_effect(*c, worker, t_f);
  });
  if (next == ok.end()) return s;
  const Call& c = **next;
  s.outcome = c.worker == worker ? FailoverOutcome::same_worker : FailoverOutcome::failed_over;
  s.recovered_ns = c.complete_ns;
  s.worker = c.worker;
  s.call = c.id;
  s.needed_ns = std::max(t_s, need.value_or(t_s));
  s.ms = ms_between(s.needed_ns, c.complete_ns);
  s.transparent = s.outcome == FailoverOutcome::failed_over && c.moved_from == worker;
  s.reinitialized = s.outcome == FailoverOutcome::failed_over && c.reinitialized;
  return s;
}

FailoverFigures figures_of(const std::vector<const SessionFailover*>& sessions) {
  FailoverFigures f;
  std::vector<double> failover;
  for (const SessionFailover* s : sessions) {
    ++f.pinned;
    switch (s->outcome) {
      case FailoverOutcome::failed_over:
        ++f.failed_over;
        failover.push_back(*s->ms);
        if (s->transparent) ++f.transparent;
        if (s->reinitialized) ++f.reinitialized;
        break;
      case FailoverOutcome::same_worker: ++f.same_worker; break;
      case FailoverOutcome::not_recovered: ++f.not_recovered; break;
    }
    if (s->ms && (!f.max_recovery_ms || *s->ms > *f.max_recovery_ms)) f.max_recovery_ms = s->ms;
  }
  if (!failover.empty()) f.max_failover_ms = *std::max_element(failover.begin(), failover.end());
  f.median_failover_ms = percentile(std::move(failover), 50.0);
  return f;
}

void count_calls(const History& h, FailoverStats& r) {
  for (const Call& c : h.calls) {
    ++r.calls;
    if (c.result == OpResult::ok) {
      ++r.calls_ok;
      continue;
    }
    ++r.calls_lost;
    const bool in_window = std::any_of(h.faults.begin(), h.faults.end(), [&](const Fault& f) {
      return c.invoke_ns <= window_end(h, f) && c.complete_ns >= f.start_ns;
    });
    ++(in_window ? r.lost_in_fault_window : r.lost_outside);
  }
}

void find_moves(const History& h, const SessionCalls& ok, FailoverStats& r) {
  for (const auto& [session, calls] : ok) {
    for (std::size_t i = 1; i < calls.size(); ++i) {
      const Call& a = *calls[i - 1];
      const Call& b = *calls[i];
      if (a.worker == b.worker) continue;
      SessionMove m{session, b.client, a.worker, b.worker, a.id, b.id, a.complete_ns, b.complete_ns, false};
      m.with_cause = fault_in_force(h, a.worker, a.complete_ns, b.complete_ns) ||
                     process_ended(h, a.worker, a.complete_ns, b.complete_ns);
      if (!m.with_cause) ++r.moves_without_cause;
      r.moves.push_back(std::move(m));
    }
  }
  std::stable_sort(r.moves.begin(), r.moves.end(),
                   [](const SessionMove& x, const SessionMove& y) { return x.to_ns < y.to_ns; });
}

}  // namespace

const char* to_string(FailoverOutcome outcome) {
  switch (outcome) {
    case FailoverOutcome::failed_over: return "failed over";
    case FailoverOutcome::same_worker: return "recovered on the same worker";
    case FailoverOutcome::not_recovered: return "not recovered";
  }
  return "not recovered";
}

std::vector<SessionMove> FailoverStats::unexplained_moves() const {
  std::vector<SessionMove> out;
  for (const SessionMove& m : moves) {
    if (!m.with_cause) out.push_back(m);
  }
  return out;
}

FailoverStats measure_failover(const History& h) {
  FailoverStats r;
  r.has_calls = !h.calls.empty();
  if (!r.has_calls) return r;
  count_calls(h, r);
  const SessionCalls ok = ok_calls_by_session(h);
  SessionCalls all;
  for (const Call& c : h.calls) {
    if (!c.session.empty()) all[c.session].push_back(&c);
  }
  r.sessions = all.size();

  std::vector<const SessionFailover*> every;
  for (const Fault& f : h.faults) {
    for (const std::string& worker : f.targets) {
      if (!h.is_worker(worker)) continue;
      WorkerFault wf{f.index, f.kind, worker, f.inject_ns, f.heal_ns, {}, {}};
      for (const auto& [session, calls] : ok) {
        // Pinned: the session's last ok call before the fault was served by
        // W: completed before the fault began (the signal, Fault::start_ns),
        // or answered by W before the fault was confirmed.
        const Call* last = nullptr;
        for (const Call* c : calls) {
          if (c->complete_ns < f.start_ns || before_effect(*c, worker, f.inject_ns)) last = c;
        }
        if (last == nullptr || last->worker != worker) continue;
        SessionFailover s = follow(calls, all.at(session), worker, f.start_ns, f.inject_ns);
        s.session = session;
        s.client = last->client;
        wf.sessions.push_back(std::move(s));
      }
      r.faults.push_back(std::move(wf));
    }
  }
  for (WorkerFault& wf : r.faults) {
    std::vector<const SessionFailover*> mine;
    for (const SessionFailover& s : wf.sessions) mine.push_back(&s);
    wf.figures = figures_of(mine);
    every.insert(every.end(), mine.begin(), mine.end());
  }
  r.overall = figures_of(every);
  find_moves(h, ok, r);
  return r;
}

}  // namespace faultline::verify
