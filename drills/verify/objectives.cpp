#include "drills/verify/objectives.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace faultline::verify {
namespace {

std::string with_unit(double value, const std::string& unit) {
  return format_number(value) + (unit.empty() ? "" : " " + unit);
}

}  // namespace

void decide(CheckResult& c, const std::string& label, const std::string& unmeasured_detail) {
  if (!c.measured) {
    c.pass = false;
    c.detail = unmeasured_detail;
    return;
  }
  const double m = *c.measured;
  if (is_floor(c)) {
    c.pass = m >= c.limit;
    c.detail = label + " " + with_unit(m, c.unit) + (c.pass ? " reaches" : " falls short of") +
               " the objective of at least " + with_unit(c.limit, c.unit) +
               (c.pass ? "" : " by " + with_unit(c.limit - m, c.unit));
    return;
  }
  c.pass = m <= c.limit;
  if (c.pass) {
    c.detail = label + " " + with_unit(m, c.unit) + " within the objective of " + with_unit(c.limit, c.unit);
  } else {
    c.detail = label + " " + with_unit(m, c.unit) + " exceeds the objective of " + with_unit(c.limit, c.unit) +
               " by " + with_unit(m - c.limit, c.unit);
  }
}

bool is_floor(const CheckResult& c) { return c.objective == "min_lost_writes"; }

std::string format_ms(std::int64_t t_ns) { return format_number(static_cast<double>(t_ns) / 1e6) + " ms"; }

std::string format_number(double value) {
  if (!std::isfinite(value)) return value > 0 ? "inf" : (value < 0 ? "-inf" : "nan");
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f", value);
  std::string text = buf;
  if (text.size() >= 2 && text.compare(text.size() - 2, 2, ".0") == 0) text.resize(text.size() - 2);
  if (text == "-0") text = "0";
  return text;
}

CheckResult check_rto(const RtoResult& rto, double limit_ms) {
  CheckResult c{"rto_ms", rto.rto_ms, limit_ms, false, "ms", ""};
  decide(c, "RTO", rto.detail.empty() ? "RTO was not measured" : rto.detail);
  return c;
}

CheckResult check_rpo(const RpoResult& rpo, double limit_writes) {
  CheckResult c{"rpo_writes", rpo.lost_count(), limit_writes, false, "writes", ""};
  decide(c, "RPO", rpo.detail.empty() ? "RPO was not measured" : rpo.detail);
  if (c.measured && !c.pass && !rpo.lost.empty()) {
    const LostWrite& w = rpo.lost.front();
    c.detail += "; oldest: op " + w.op + " on key " + w.key + ", acknowledged at " + format_ms(w.complete_ns) +
                " (" + w.reason + ")";
  }
  return c;
}

CheckResult check_min_lost_writes(const RpoResult& rpo, double floor) {
  CheckResult c{"min_lost_writes", rpo.lost_count(), floor, false, "writes", ""};
  decide(c, "lost acknowledged writes", rpo.detail.empty() ? "RPO was not measured" : rpo.detail);
  if (c.measured && !rpo.lost.empty()) {
    constexpr std::size_t kListed = 3;
    c.detail += "; acknowledged at";
    for (std::size_t i = 0; i < rpo.lost.size() && i < kListed; ++i) {
      c.detail += (i ? ", " : " ") + format_ms(rpo.lost[i].complete_ns) + " (op " + rpo.lost[i].op + ")";
    }
    if (rpo.lost.size() > kListed) c.detail += " and " + std::to_string(rpo.lost.size() - kListed) + " more";
    if (rpo.window_ms) c.detail += "; the oldest " + format_number(*rpo.window_ms) + " ms before the fault";
  }
  return c;
}

CheckResult check_election_safety(const ElectionStats& e) {
  CheckResult c{"election_safety", static_cast<double>(e.split_terms.size()), 0.0, e.safe(), "terms", ""};
  if (c.pass) {
    c.detail = "at most one leader in each of " + std::to_string(e.elections) + " terms";
    return c;
  }
  c.detail = std::to_string(e.split_terms.size()) + " term(s) with more than one leader:";
  for (std::int64_t term : e.split_terms) {
    c.detail += " term " + std::to_string(term) + " (";
    const auto& members = e.leaders_per_term.at(term);
    for (std::size_t i = 0; i < members.size(); ++i) c.detail += (i ? ", " : "") + members[i];
    c.detail += ")";
  }
  return c;
}

const std::vector<NumericObjective>& numeric_objectives() {
  static const std::vector<NumericObjective> all = {
      {"rto_ms", "ms", &PlanFacts::rto_ms, [](const Verdict& v, double l) { return check_rto(v.rto, l); }},
      {"rto_from_heal_ms", "ms", &PlanFacts::rto_from_heal_ms,
       [](const Verdict& v, double l) { return check_rto_from_heal(v.rto, l); }},
      {"rpo_writes", "writes", &PlanFacts::rpo_writes, [](const Verdict& v, double l) { return check_rpo(v.rpo, l); }},
      {"min_lost_writes", "writes", &PlanFacts::min_lost_writes,
       [](const Verdict& v, double l) { return check_min_lost_writes(v.rpo, l); }},
      {"leader_election_ms", "ms", &PlanFacts::leader_election_ms,
       [](const Verdict& v, double l) { return check_leader_election(v.elections, l); }},
      {"max_elections", "elections", &PlanFacts::max_elections,
       [](const Verdict& v, double l) { return check_max_elections(v.elections, l); }},
      {"failover_ms", "ms", &PlanFacts::failover_ms,
       [](const Verdict& v, double l) { return check_failover(v.failover, l); }},
      {"calls_lost", "calls", &PlanFacts::calls_lost,
       [](const Verdict& v, double l) { return check_calls_lost(v.failover, l); }},
      {"sessions_moved_without_cause", "moves", &PlanFacts::sessions_moved_without_cause,
       [](const Verdict& v, double l) { return check_sessions_moved(v.failover, l); }},
  };
  return all;
}

const NumericObjective* find_numeric_objective(const std::string& name) {
  for (const auto& o : numeric_objectives()) {
    if (name == o.name) return &o;
  }
  return nullptr;
}

CheckResult not_available(const std::string& objective, const std::string& unit, const std::string& why) {
  CheckResult c{objective, std::nullopt, 0.0, false, unit, "not available: " + why};
  c.available = false;
  return c;
}

Verdict evaluate(const History& h, const std::optional<LinearizabilityResult>& linearizability) {
  Verdict v;
  v.rto = measure_rto(h);
  v.rpo = measure_rpo(h);
  v.elections = measure_elections(h, v.rto.recovery_ns);
  v.workload = measure_workload(h);
  v.failover = measure_failover(h);
  v.quorum = measure_quorum(h);
  v.rolling = measure_rolling(h);
  v.hypothesis = evaluate_hypothesis(h, v.rto.fault_ns ? v.rto.fault_ns : h.fault_ns());
  v.linearizability = linearizability;
  const bool percentiles_here = h.plan.trials <= 1;
  for (const NumericObjective& o : numeric_objectives()) {
    if (const auto& limit = h.plan.*o.limit) v.checks.push_back(o.check(v, *limit));
    if (percentiles_here) {
      for (const PercentileLimit& p : h.plan.percentiles) {
        if (p.objective != o.name) continue;
        CheckResult c = o.check(v, p.limit);
        c.objective = p.name();
        v.checks.push_back(std::move(c));
      }
    }
    // The documented order puts the linearizability check after RPO.
    if (std::string(o.name) == "rpo_writes" && h.plan.linearizable) {
      v.checks.push_back(check_linearizable(linearizability));
    }
  }
  if (h.plan.min_success_rate) v.checks.push_back(check_min_success_rate(h, *h.plan.min_success_rate));
  if (h.plan.max_p99_ms) v.checks.push_back(check_max_p99(h, *h.plan.max_p99_ms));
  if (h.plan.rpo_ms) v.checks.push_back(check_rpo_ms(v.rpo, *h.plan.rpo_ms));
  auto declares = [&](const char* when) {
    return std::any_of(h.plan.probes.begin(), h.plan.probes.end(), [&](const auto& p) { return p.is(when); });
  };
  if (declares("before")) v.checks.push_back(check_steady_before(v.hypothesis));
  if (declares("after")) v.checks.push_back(check_steady_after(v.hypothesis));
  if (h.plan.halts > 0 || h.halt) v.checks.push_back(check_halt(h));
  if (h.unhealthy) {
    // The runner saw it live and stopped before any fault: that is the
    // verdict, whatever the samples say afterwards.
    auto it = std::find_if(v.checks.begin(), v.checks.end(),
                           [](const CheckResult& c) { return c.objective == "steady_state_before"; });
    if (it == v.checks.end()) it = v.checks.insert(v.checks.end(), check_steady_before(v.hypothesis));
    if (it->pass) {
      it->pass = false;
      it->measured = std::max(it->measured.value_or(0), 1.0);
    }
    it->detail = h.unhealthy->reason + "; no fault was injected";
  }
  const std::size_t first_built_in = v.checks.size();
  const std::string no_roles = "the " + h.target.kind +
                               " target's members report no role, term or leader (the topology declares no "
                               "status request)";
  if (h.target.roles) {
    v.checks.push_back(check_election_safety(v.elections));
    v.checks.push_back(check_term_monotonic(v.elections));
  } else {
    v.checks.push_back(not_available("election_safety", "terms", no_roles));
    v.checks.push_back(not_available("term_monotonic", "samples", no_roles));
  }
  if (h.target.roles && h.target.commit_index) {
    v.checks.push_back(check_commit_monotonic(v.elections));
  } else {
    v.checks.push_back(not_available("commit_monotonic", "samples",
                                     h.target.roles ? "the " + h.target.kind +
                                                          " target's status request reads no commit index"
                                                    : no_roles));
  }
  v.checks.push_back(h.target.roles ? check_stable_leadership(v.elections)
                                    : not_available("stable_leadership", "changes", no_roles));
  if (v.quorum.applicable) {
    v.checks.push_back(check_isolated_acks(v.quorum));
    v.checks.push_back(check_isolated_step_down(v.quorum));
  }
  // A built-in check the target does not promise is left out, and said so;
  // the objectives the plan declares are always checked.
  for (const NotPromised& n : h.not_promised) {
    const auto it = std::find_if(v.checks.begin() + static_cast<long>(first_built_in), v.checks.end(),
                                 [&](const CheckResult& c) { return c.objective == n.check; });
    if (it == v.checks.end()) continue;
    v.not_promised.push_back({n.check, n.why, it->measured, it->unit});
    v.checks.erase(it);
  }
  for (CheckResult& c : v.checks) {
    // A declared election objective needs the roles it measures.
    if (!h.target.roles && (c.objective == "leader_election_ms" || c.objective == "max_elections")) {
      c.measured.reset();
      c.pass = false;
      c.detail = "not measured: " + no_roles;
    }
    c.expected_to_fail =
        std::find(h.plan.expect_fail.begin(), h.plan.expect_fail.end(), c.objective) != h.plan.expect_fail.end();
    // A run stopped before any fault judges only the steady state before it.
    if (h.unhealthy && c.objective != "steady_state_before") continue;
    if (c.available && !c.as_expected()) v.failed.push_back(c.objective);
  }
  // An expected failure whose check never ran is a failure too: the
  // demonstration did not happen.
  for (const std::string& name : h.plan.expect_fail) {
    if (h.unhealthy) break;
    const bool ran = std::any_of(v.checks.begin(), v.checks.end(),
                                 [&](const CheckResult& c) { return c.objective == name && c.available; });
    if (!ran) v.failed.push_back(name);
  }
  v.pass = v.failed.empty();
  const bool unhealthy_before =
      std::any_of(v.checks.begin(), v.checks.end(),
                  [](const CheckResult& c) { return c.objective == "steady_state_before" && !c.pass; });
  v.exit_code = v.pass ? 0 : unhealthy_before ? kNotHealthyBeforeExitCode : 1;
  return v;
}

Verdict evaluate_journal(const History& h, const std::filesystem::path& journal_file) {
  std::optional<LinearizabilityResult> lin;
  if (h.plan.linearizable) lin = check_linearizability(journal_file);
  return evaluate(h, lin);
}

Json to_json(const CheckResult& c) {
  return Json{{"objective", c.objective},
              {"measured", c.measured ? Json(*c.measured) : Json()},
              {"limit", c.limit},
              {"comparison", is_floor(c) ? ">=" : "<="},
              {"pass", c.pass},
              {"expected_to_fail", c.expected_to_fail},
              {"available", c.available},
              {"detail", c.detail}};
}

Json verdict_json(const Verdict& v) {
  return Json{{"pass", v.pass}, {"failed", v.failed}, {"exit_code", v.exit_code}};
}

}  // namespace faultline::verify
