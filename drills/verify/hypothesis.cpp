#include "drills/verify/hypothesis.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>

#include "drills/verify/workload.hpp"

namespace faultline::verify {
namespace {

std::int64_t ms_ns(double ms) { return static_cast<std::int64_t>(std::llround(ms * 1e6)); }

bool counts(const Op& op, const std::string& of) {
  return of == "all" || (of == "writes" && op.is_put()) || (of == "reads" && !op.is_put());
}

// Points (t, holds) of a probe computed from the workload.
std::vector<std::pair<std::int64_t, bool>> workload_points(const History& h, const ProbeFacts& p) {
  const Json& params = p.params;
  const std::string of = params.value("of", std::string("writes"));
  const std::int64_t window = ms_ns(params.value("window_ms", 1000.0));
  const std::int64_t step = std::max<std::int64_t>(ms_ns(h.plan.sample_ms), 1'000'000);
  std::vector<const Op*> ops;
  for (const Op& op : h.ops) {
    if (op.completed && counts(op, of)) ops.push_back(&op);
  }
  std::vector<std::pair<std::int64_t, bool>> points;
  if (ops.empty()) return points;
  std::sort(ops.begin(), ops.end(), [](const Op* a, const Op* b) { return a->complete_ns < b->complete_ns; });
  std::int64_t first_invoke = ops.front()->invoke_ns;
  for (const Op* op : ops) first_invoke = std::min(first_invoke, op->invoke_ns);
  const std::int64_t last = ops.back()->complete_ns;
  std::size_t lo = 0, hi = 0;
  for (std::int64_t t = first_invoke + window; t <= last; t += step) {
    while (hi < ops.size() && ops[hi]->complete_ns <= t) ++hi;
    while (lo < hi && ops[lo]->complete_ns <= t - window) ++lo;
    bool holds = false;
    if (p.kind == "success_rate") {
      std::size_t ok = 0;
      for (std::size_t i = lo; i < hi; ++i) ok += ops[i]->result == OpResult::ok;
      holds = hi > lo && static_cast<double>(ok) / static_cast<double>(hi - lo) >= params.value("min", 1.0);
    } else {
      std::vector<double> latencies;
      for (std::size_t i = lo; i < hi; ++i) latencies.push_back(ops[i]->latency_ms());
      const auto pct = percentile(latencies, std::max(params.value("percentile", 99.0), 1e-9));
      holds = pct && *pct <= params.value("max_ms", 0.0);
    }
    points.emplace_back(t, holds);
  }
  return points;
}

std::vector<std::pair<std::int64_t, bool>> sampled_points(const History& h, const ProbeFacts& p) {
  std::vector<std::pair<std::int64_t, bool>> points;
  for (const ProbeSample& s : h.probe_samples) {
    if (s.name == p.name) points.emplace_back(s.t_ns, s.pass);
  }
  return points;
}

ProbeTimeline timeline(const History& h, const ProbeFacts& p) {
  ProbeTimeline t;
  t.name = p.name;
  t.kind = p.kind;
  t.continuous = p.is("continuous");
  t.before = p.is("before");
  t.after = p.is("after");
  const auto points = p.kind == "success_rate" || p.kind == "latency" ? workload_points(h, p) : sampled_points(h, p);
  t.points = points.size();
  if (points.empty()) return t;
  t.from_ns = points.front().first;
  t.to_ns = points.back().first;
  const std::int64_t tolerance = ms_ns(p.tolerance_ms);
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (points[i].second) continue;
    std::size_t j = i;
    while (j < points.size() && !points[j].second) ++j;
    // Bad from the first failing point to the next holding one (the end of
    // what was evaluated, when none followed).
    const std::int64_t end = j < points.size() ? points[j].first : points.back().first + 1;
    if (end - points[i].first >= tolerance || j == points.size()) t.bad.emplace_back(points[i].first, end);
    i = j;
  }
  t.holds_at_end = points.back().second;
  return t;
}

bool meets(const ProbeTimeline& t, std::int64_t from, std::int64_t to) {
  for (const auto& [a, b] : t.bad) {
    if (a < to && b > from) return true;
  }
  return false;
}

}  // namespace

HypothesisResult evaluate_hypothesis(const History& h, std::optional<std::int64_t> t_f) {
  HypothesisResult r;
  r.declared = !h.plan.probes.empty();
  for (const ProbeFacts& p : h.plan.probes) r.probes.push_back(timeline(h, p));

  // "Before any fault" ends when the first fault's action was taken (its
  // signal), not when its effect was confirmed: a probe that sees the
  // fault in between is seeing the fault.
  std::int64_t first_fault = t_f.value_or(h.end_ns);
  for (const Fault& f : h.faults) first_fault = std::min(first_fault, f.start_ns);
  for (const ProbeTimeline& t : r.probes) {
    if (t.before && (t.points == 0 || meets(t, 0, first_fault))) r.failed_before.push_back(t.name);
    if (t.after && (t.points == 0 || !t.holds_at_end)) r.failed_after.push_back(t.name);
  }
  if (!t_f) return r;

  // t_r: the first instant c >= t_f from which every continuous probe holds
  // for the stability window; candidates are t_f and the ends of bad intervals.
  const std::int64_t window = ms_ns(h.plan.stability_window_ms);
  std::vector<std::int64_t> candidates{*t_f};
  bool any = false;
  for (const ProbeTimeline& t : r.probes) {
    if (!t.continuous) continue;
    any = true;
    for (const auto& [a, b] : t.bad) {
      if (b > *t_f) candidates.push_back(b);
    }
  }
  if (!any) return r;
  std::sort(candidates.begin(), candidates.end());
  for (const std::int64_t c : candidates) {
    bool holds = true;
    for (const ProbeTimeline& t : r.probes) {
      if (!t.continuous) continue;
      // A probe evaluated no further than c + W cannot say it held.
      if (!t.to_ns || *t.to_ns < c + window || meets(t, c, c + window)) {
        holds = false;
        break;
      }
    }
    if (!holds) continue;
    r.recovery_ns = c;
    break;
  }
  if (!r.recovery_ns) return r;
  std::int64_t latest = std::numeric_limits<std::int64_t>::min();
  for (ProbeTimeline& t : r.probes) {
    if (!t.continuous) continue;
    for (const auto& [a, b] : t.bad) {
      if (b <= *r.recovery_ns && b >= *t_f) t.recovered_ns = b;
    }
    if (t.recovered_ns && *t.recovered_ns > latest) {
      latest = *t.recovered_ns;
      r.held_back_by = t.name;
    }
  }
  return r;
}

}  // namespace faultline::verify
