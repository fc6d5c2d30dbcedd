#include "drills/verify/objectives.hpp"

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

Verdict evaluate(const History& h, const std::optional<LinearizabilityResult>& linearizability) {
  Verdict v;
  v.rto = measure_rto(h);
  v.rpo = measure_rpo(h);
  v.elections = measure_elections(h, v.rto.recovery_ns);
  v.workload = measure_workload(h);
  v.failover = measure_failover(h);
  v.rolling = measure_rolling(h);
  v.linearizability = linearizability;
  if (h.plan.rto_ms) v.checks.push_back(check_rto(v.rto, *h.plan.rto_ms));
  if (h.plan.rto_from_heal_ms) v.checks.push_back(check_rto_from_heal(v.rto, *h.plan.rto_from_heal_ms));
  if (h.plan.rpo_writes) v.checks.push_back(check_rpo(v.rpo, *h.plan.rpo_writes));
  if (h.plan.min_lost_writes) v.checks.push_back(check_min_lost_writes(v.rpo, *h.plan.min_lost_writes));
  if (h.plan.linearizable) v.checks.push_back(check_linearizable(linearizability));
  if (h.plan.leader_election_ms) {
    v.checks.push_back(check_leader_election(v.elections, *h.plan.leader_election_ms));
  }
  if (h.plan.max_elections) v.checks.push_back(check_max_elections(v.elections, *h.plan.max_elections));
  if (h.plan.failover_ms) v.checks.push_back(check_failover(v.failover, *h.plan.failover_ms));
  if (h.plan.calls_lost) v.checks.push_back(check_calls_lost(v.failover, *h.plan.calls_lost));
  if (h.plan.sessions_moved_without_cause) {
    v.checks.push_back(check_sessions_moved(v.failover, *h.plan.sessions_moved_without_cause));
  }
  v.checks.push_back(check_election_safety(v.elections));
  v.checks.push_back(check_term_monotonic(v.elections));
  v.checks.push_back(check_commit_monotonic(v.elections));
  v.checks.push_back(check_stable_leadership(v.elections));
  for (const CheckResult& c : v.checks) {
    if (!c.pass) v.failed.push_back(c.objective);
  }
  v.pass = v.failed.empty();
  v.exit_code = v.pass ? 0 : 1;
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
              {"detail", c.detail}};
}

Json verdict_json(const Verdict& v) {
  return Json{{"pass", v.pass}, {"failed", v.failed}, {"exit_code", v.exit_code}};
}

}  // namespace faultline::verify
