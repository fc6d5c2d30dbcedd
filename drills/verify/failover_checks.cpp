// The failover checks built from FailoverStats and the RTO-from-heal check
// (docs/metrics.md, "Failover" and "RTO from the heal").
#include <string>

#include "drills/verify/objectives.hpp"

namespace faultline::verify {
namespace {

constexpr std::size_t kMaxListed = 5;
constexpr const char* kNoCalls = "no routed calls in the journal";

std::string and_more(std::size_t total) {
  return total > kMaxListed ? "; and " + std::to_string(total - kMaxListed) + " more" : "";
}

std::string never_recovered(const FailoverStats& f) {
  const FailoverFigures& o = f.overall;
  std::string text = std::to_string(o.not_recovered) + " of " + std::to_string(o.pinned) +
                     " pinned session(s) never succeeded again:";
  std::size_t listed = 0;
  for (const WorkerFault& wf : f.faults) {
    for (const SessionFailover& s : wf.sessions) {
      if (s.outcome != FailoverOutcome::not_recovered) continue;
      if (listed++ < kMaxListed) {
        text += std::string(listed > 1 ? ";" : "") + " session " + s.session + " (pinned to " + wf.worker +
                ", fault " + std::to_string(wf.fault) + (s.called_after ? "" : ", no call after the fault") + ")";
      }
    }
  }
  return text + and_more(listed);
}

}  // namespace

CheckResult check_rto_from_heal(const RtoResult& rto, double limit_ms) {
  CheckResult c{"rto_from_heal_ms", rto.from_heal_ms, limit_ms, false, "ms", ""};
  decide(c, "RTO from the heal",
         rto.from_heal_detail.empty() ? "RTO from the heal was not measured" : rto.from_heal_detail);
  return c;
}

CheckResult check_failover(const FailoverStats& f, double limit_ms) {
  const FailoverFigures& o = f.overall;
  CheckResult c{"failover_ms", std::nullopt, limit_ms, false, "ms", ""};
  if (o.pinned > 0 && o.not_recovered == 0) c.measured = o.max_recovery_ms;
  std::string unmeasured = kNoCalls;
  if (f.has_calls && f.faults.empty()) {
    unmeasured = "no fault was injected on a worker";
  } else if (f.has_calls && o.pinned == 0) {
    unmeasured = "no session was pinned to a faulted worker";
  } else if (o.not_recovered > 0) {
    unmeasured = never_recovered(f);
  }
  decide(c, "Failover", unmeasured);
  if (c.measured) {
    c.detail += " (" + std::to_string(o.failed_over) + " session(s) failed over, " +
                std::to_string(o.same_worker) + " recovered on the same worker";
    if (o.transparent > 0 || o.reinitialized > 0) {
      c.detail += "; of those failed over, " + std::to_string(o.transparent) +
                  " moved by the router with no error seen and " + std::to_string(o.reinitialized) +
                  " after a new initialize";
    }
    c.detail += ")";
  }
  return c;
}

CheckResult check_calls_lost(const FailoverStats& f, double limit_calls) {
  CheckResult c{"calls_lost", std::nullopt, limit_calls, false, "calls", ""};
  if (f.has_calls) c.measured = static_cast<double>(f.calls_lost);
  decide(c, "Calls lost", kNoCalls);
  if (c.measured) {
    c.detail += " (" + std::to_string(f.lost_in_fault_window) + " during a fault, " +
                std::to_string(f.lost_outside) + " outside; " + std::to_string(f.calls) + " calls)";
  }
  return c;
}

CheckResult check_sessions_moved(const FailoverStats& f, double limit_moves) {
  CheckResult c{"sessions_moved_without_cause", std::nullopt, limit_moves, false, "moves", ""};
  if (f.has_calls) c.measured = static_cast<double>(f.moves_without_cause);
  decide(c, "Sessions moved without cause", kNoCalls);
  if (!c.measured || f.moves_without_cause == 0) return c;
  c.detail += ":";
  std::size_t listed = 0;
  for (const SessionMove& m : f.moves) {
    if (m.with_cause || listed++ >= kMaxListed) continue;
    c.detail += std::string(listed > 1 ? ";" : "") + " session " + m.session + " " + m.from + " -> " + m.to +
                " (calls " + m.from_call + " at " + format_ms(m.from_ns) + ", " + m.to_call + " at " +
                format_ms(m.to_ns) + ")";
  }
  c.detail += and_more(f.moves_without_cause);
  return c;
}

}  // namespace faultline::verify
