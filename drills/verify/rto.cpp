#include "drills/verify/rto.hpp"

#include "drills/verify/hypothesis.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace faultline::verify {
namespace {

std::int64_t ms_to_ns(double ms) { return static_cast<std::int64_t>(std::llround(ms * 1e6)); }

std::optional<std::int64_t> fault_term_of(const History& h, const Fault& f) {
  if (f.term) return f.term;
  const std::int64_t t_f = f.inject_ns;
  std::optional<std::int64_t> best;
  for (const MemberSample& s : h.samples) {
    if (s.t_ns >= t_f) break;
    if (s.term && (!best || *s.term > *best)) best = s.term;
  }
  return best;
}

bool above(const std::optional<std::int64_t>& term, const std::optional<std::int64_t>& fault_term) {
  return term && (!fault_term || *term > *fault_term);
}

// Finds t_r. Bad write intervals are sorted by invoke with a running maximum
// of their completions, so "does a bad interval meet [c, c + W]" is one
// binary search: the bad writes invoked by c + W, and whether the latest of
// their completions reaches c.
std::optional<std::int64_t> find_recovery(const History& h, std::int64_t t_f) {
  const double max_latency = h.plan.max_latency_ms;
  const std::int64_t window = ms_to_ns(h.plan.stability_window_ms);
  std::vector<std::pair<std::int64_t, std::int64_t>> bad;  // (invoke, complete)
  std::vector<std::int64_t> good;                          // completions of acknowledged writes
  for (const Op& op : h.ops) {
    if (!op.is_put()) continue;
    if (is_bad_write(op, max_latency)) {
      bad.emplace_back(op.invoke_ns, op.complete_ns);
    } else {
      good.push_back(op.complete_ns);
    }
  }
  std::sort(bad.begin(), bad.end());
  std::sort(good.begin(), good.end());
  std::vector<std::int64_t> max_complete(bad.size());
  std::int64_t running = std::numeric_limits<std::int64_t>::min();
  for (std::size_t i = 0; i < bad.size(); ++i) {
    running = std::max(running, bad[i].second);
    max_complete[i] = running;
  }
  for (auto it = std::lower_bound(good.begin(), good.end(), t_f); it != good.end(); ++it) {
    const std::int64_t c = *it;
    const std::int64_t window_end = c + window;
    if (window_end > h.end_ns) return std::nullopt;  // later candidates end later still
    auto first_after = std::upper_bound(bad.begin(), bad.end(), std::make_pair(window_end, std::numeric_limits<std::int64_t>::max()));
    const auto invoked_by_end = static_cast<std::size_t>(first_after - bad.begin());
    if (invoked_by_end > 0 && max_complete[invoked_by_end - 1] >= c) continue;
    // w itself is one acknowledgement in [c, c + W]; a second proves traffic.
    const auto acks = std::upper_bound(good.begin(), good.end(), window_end) - it;
    if (acks >= 2) return c;
  }
  return std::nullopt;
}

// Why RTO does not apply when every fault hit workers only.
std::string worker_only_detail(const History& h) {
  std::vector<std::string> workers;
  for (const Fault& f : h.faults) {
    for (const std::string& t : f.targets) {
      if (std::find(workers.begin(), workers.end(), t) == workers.end()) workers.push_back(t);
    }
  }
  std::string names;
  for (const std::string& w : workers) names += (names.empty() ? "" : ", ") + w;
  return "not applicable: the faults hit only workers (" + names +
         "), no coordinator, so the key-value path was never faulted; failover_ms measures the routed calls";
}

}  // namespace

const Fault* key_value_fault(const History& h) {
  auto reaches_key_value_path = [&](const Fault& f) {
    if (f.targets.empty()) return true;  // unknown targets: assume the path was hit
    for (const std::string& t : f.targets) {
      if (!h.is_worker(t)) return true;
    }
    return false;
  };
  // An outage (down, frozen, isolated) after a degradation (a slowed disk
  // or link that lets writes through) is what the run recovers from; the
  // degradation is its setting, e.g. replicas lagging before their leader
  // is killed. Only when every such fault degrades does the first count.
  const Fault* first = nullptr;
  for (const Fault& f : h.faults) {
    if (!reaches_key_value_path(f)) continue;
    if (f.effect != "degraded") return &f;
    if (first == nullptr) first = &f;
  }
  return first;
}

bool is_bad_write(const Op& op, double max_latency_ms) {
  return op.result != OpResult::ok || op.latency_ms() > max_latency_ms;
}

RtoResult measure_rto(const History& h) {
  RtoResult r;
  if (h.faults.empty()) {
    r.detail = "no fault was injected, so there is nothing to recover from";
    r.from_heal_detail = r.detail;
    return r;
  }
  const Fault* fault = key_value_fault(h);
  if (fault == nullptr) {
    r.applicable = false;
    r.detail = worker_only_detail(h);
    r.from_heal_detail = r.detail;
    return r;
  }
  const std::int64_t t_f = fault->inject_ns;
  r.fault_ns = t_f;
  r.fault_term = fault_term_of(h, *fault);

  std::optional<std::int64_t> detect;
  std::optional<std::int64_t> new_leader;
  for (const MemberSample& s : h.samples) {
    const bool leader_above = s.role == "leader" && above(s.term, r.fault_term);
    if (leader_above && (!new_leader || s.role_instant_ns() < *new_leader)) {
      new_leader = s.role_instant_ns();
      r.parts.new_leader = s.member;
    }
    if (s.t_ns < t_f) continue;
    const bool sign = s.role == "candidate" || above(s.term, r.fault_term);
    if (sign && (!detect || s.role_instant_ns() < *detect)) detect = s.role_instant_ns();
  }
  // What the system says of itself: the first event of each part at or
  // after t_f (for detect and agree, about one of the fault's targets).
  auto about_target = [&](const TargetEvent& e) {
    return e.member.empty() || fault->targets.empty() ||
           std::find(fault->targets.begin(), fault->targets.end(), e.member) != fault->targets.end();
  };
  std::optional<std::int64_t> agreed;
  std::optional<std::int64_t> promoted;
  for (const TargetEvent& e : h.target_events) {
    if (e.t_ns < t_f) continue;
    if (e.part == "detect" && about_target(e) && (!detect || e.t_ns < *detect)) detect = e.t_ns;
    if (e.part == "agree" && about_target(e) && !agreed) agreed = e.t_ns;
    if (e.part == "promote" && !promoted) promoted = e.t_ns;
  }
  if (detect) r.parts.detect_ms = ms_between(t_f, *detect);
  if (agreed) r.parts.agreed_ms = ms_between(t_f, *agreed);
  if (new_leader) r.parts.new_leader_ms = ms_between(t_f, *new_leader);
  if (promoted) r.parts.promoted_ms = ms_between(t_f, *promoted);

  // Whatever its invoke time: a write in flight across t_f that is
  // acknowledged after it shows the path working as much as a later one, and
  // t_r may be such a write's completion, so first ack <= stable.
  std::optional<std::int64_t> first_ack;
  for (const Op& op : h.ops) {
    if (op.is_put() && op.result == OpResult::ok && op.complete_ns >= t_f &&
        (!first_ack || op.complete_ns < *first_ack)) {
      first_ack = op.complete_ns;
    }
  }
  if (first_ack) r.parts.first_ack_ms = ms_between(t_f, *first_ack);
  std::optional<std::int64_t> leader_ack;
  for (const Op& op : h.ops) {
    if (!r.parts.new_leader.empty() && op.is_put() && op.result == OpResult::ok && op.complete_ns >= t_f &&
        op.member == r.parts.new_leader && (!leader_ack || op.complete_ns < *leader_ack)) {
      leader_ack = op.complete_ns;
    }
  }
  if (leader_ack) r.parts.new_leader_ack_ms = ms_between(t_f, *leader_ack);

  const HypothesisResult declared = evaluate_hypothesis(h, t_f);
  const bool continuous = std::any_of(declared.probes.begin(), declared.probes.end(),
                                      [](const ProbeTimeline& p) { return p.continuous; });
  if (continuous) {
    r.by_probes = true;
    r.recovery_ns = declared.recovery_ns;
    r.held_back_by = declared.held_back_by;
  } else {
    r.recovery_ns = find_recovery(h, t_f);
  }
  if (r.recovery_ns) {
    r.rto_ms = ms_between(t_f, *r.recovery_ns);
    r.parts.stable_ms = r.rto_ms;
  } else {
    r.detail = "did not recover within the run";
  }

  r.heal_ns = fault->heal_ns;
  if (!r.heal_ns) {
    r.from_heal_detail = "the fault was never healed";
  } else if (!r.recovery_ns) {
    r.from_heal_detail = "did not recover within the run";
  } else {
    // Recovery before the heal (the cluster routed around the fault) is 0.
    r.from_heal_ms = std::max(0.0, ms_between(*r.heal_ns, *r.recovery_ns));
  }
  return r;
}

}  // namespace faultline::verify
