#include "drills/verify/trials.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace faultline::verify {

std::vector<Measure> measures(const Verdict& v) {
  std::vector<Measure> out;
  for (const NumericObjective& o : numeric_objectives()) {
    out.push_back({o.name, o.unit, o.check(v, 0).measured});
  }
  out.push_back({"rto_detect_ms", "ms", v.rto.parts.detect_ms});
  out.push_back({"rto_new_leader_ms", "ms", v.rto.parts.new_leader_ms});
  out.push_back({"rto_first_ack_ms", "ms", v.rto.parts.first_ack_ms});
  out.push_back({"rpo_window_ms", "ms", v.rpo.window_ms});
  return out;
}

std::optional<double> nearest_rank(std::vector<std::optional<double>> values, double p) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end(), [](const auto& a, const auto& b) {
    if (!a || !b) return a.has_value() && !b.has_value();  // unmeasured last
    return *a < *b;
  });
  const double rank = std::ceil(p / 100.0 * static_cast<double>(values.size()));
  const auto index = static_cast<std::size_t>(std::clamp(rank, 1.0, static_cast<double>(values.size()))) - 1;
  return values[index];
}

std::optional<double> Distribution::stat(const std::string& which) const {
  if (which == "min") return min;
  if (which == "p50") return p50;
  if (which == "p90") return p90;
  if (which == "p99") return p99;
  if (which == "max") return max;
  return std::nullopt;
}

Distribution distribution(const std::string& name, const std::string& unit,
                          const std::vector<std::optional<double>>& values) {
  Distribution d;
  d.name = name;
  d.unit = unit;
  d.trials = values.size();
  d.measured = static_cast<std::size_t>(std::count_if(values.begin(), values.end(), [](const auto& v) { return v.has_value(); }));
  // min is the smallest measured value: the 0th rank is the first.
  d.min = nearest_rank(values, 0);
  d.p50 = nearest_rank(values, 50);
  d.p90 = nearest_rank(values, 90);
  d.p99 = nearest_rank(values, 99);
  d.max = nearest_rank(values, 100);
  return d;
}

namespace {

std::string with_unit(const std::optional<double>& value, const std::string& unit) {
  if (!value) return "not measured";
  return format_number(*value) + (unit.empty() ? "" : " " + unit);
}

CheckResult judge(const PercentileLimit& p, const Distribution& d) {
  CheckResult c{p.name(), d.stat(p.stat), p.limit, false, d.unit, ""};
  const std::string over = " over " + std::to_string(d.trials) + (d.trials == 1 ? " trial" : " trials");
  if (!c.measured) {
    c.detail = p.stat + " of " + p.objective + over + " falls on a trial where it was not measured (" +
               std::to_string(d.trials - d.measured) + " of " + std::to_string(d.trials) + " not measured)";
    if (d.trials == 0) c.detail = "no trial has a verdict";
    return c;
  }
  c.pass = *c.measured <= c.limit;
  c.detail = p.stat + " of " + p.objective + over + " " + with_unit(c.measured, c.unit) +
             (c.pass ? " within the objective of " : " exceeds the objective of ") +
             with_unit(c.limit, c.unit);
  if (!c.pass) c.detail += " by " + with_unit(*c.measured - c.limit, c.unit);
  return c;
}

}  // namespace

SuiteVerdict judge_trials(const PlanFacts& plan, const std::vector<TrialRecord>& trials, bool interrupted) {
  SuiteVerdict v;
  std::vector<const TrialRecord*> judged;
  for (const TrialRecord& t : trials) {
    if (!t.has_verdict()) {
      ++v.trials_not_run;
      continue;
    }
    judged.push_back(&t);
    if (t.exit_code == 0) {
      ++v.trials_passed;
    } else {
      ++v.trials_failed;
      char name[32];
      std::snprintf(name, sizeof name, "trial-%02d", t.index);
      v.failed.push_back(name);
    }
  }
  if (!judged.empty()) {
    const std::size_t count = judged.front()->measures.size();
    for (std::size_t m = 0; m < count; ++m) {
      std::vector<std::optional<double>> values;
      for (const TrialRecord* t : judged) values.push_back(t->measures[m].value);
      v.distributions.push_back(distribution(judged.front()->measures[m].name, judged.front()->measures[m].unit, values));
    }
  }
  for (const PercentileLimit& p : plan.percentiles) {
    const auto it = std::find_if(v.distributions.begin(), v.distributions.end(),
                                 [&](const Distribution& d) { return d.name == p.objective; });
    const NumericObjective* o = find_numeric_objective(p.objective);
    Distribution empty;
    empty.name = p.objective;
    empty.unit = o ? o->unit : "";
    CheckResult c = judge(p, it != v.distributions.end() ? *it : empty);
    if (!c.pass) v.failed.push_back(c.objective);
    v.checks.push_back(std::move(c));
  }
  const bool missed = v.trials_failed > 0 ||
                      std::any_of(v.checks.begin(), v.checks.end(), [](const CheckResult& c) { return !c.pass; });
  v.pass = !missed && v.trials_not_run == 0 && !interrupted;
  v.exit_code = (v.trials_not_run > 0 || interrupted) ? 3 : missed ? 1 : 0;
  return v;
}

std::uint64_t trial_seed(std::uint64_t base, int index) {
  // SplitMix64 (Steele, Lea and Flood 2014; Java's SplittableRandom).
  constexpr std::uint64_t kGamma = 0x9e3779b97f4a7c15;
  constexpr std::uint64_t kMix1 = 0xbf58476d1ce4e5b9;
  constexpr std::uint64_t kMix2 = 0x94d049bb133111eb;
  std::uint64_t z = base + static_cast<std::uint64_t>(index) * kGamma;
  z = (z ^ (z >> 30)) * kMix1;
  z = (z ^ (z >> 27)) * kMix2;
  return z ^ (z >> 31);
}

}  // namespace faultline::verify
