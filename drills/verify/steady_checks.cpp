// The checks of the declared steady state (hypothesis.hpp), of the halt
// conditions, and of the whole-workload objectives: min_success_rate,
// max_p99_ms, rpo_ms.
#include "drills/verify/objectives.hpp"

namespace faultline::verify {
namespace {

std::string names(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& n : list) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

CheckResult check_steady_before(const HypothesisResult& hypothesis) {
  const auto failed = static_cast<double>(hypothesis.failed_before.size());
  CheckResult c{"steady_state_before", failed, 0.0, failed == 0, "probes", ""};
  c.detail = c.pass ? "every `before` probe held before the first fault"
                    : "the system was not healthy before any fault: " + names(hypothesis.failed_before) +
                          " did not hold";
  return c;
}

CheckResult check_steady_after(const HypothesisResult& hypothesis) {
  const auto failed = static_cast<double>(hypothesis.failed_after.size());
  CheckResult c{"steady_state_after", failed, 0.0, failed == 0, "probes", ""};
  c.detail = c.pass ? "every `after` probe held at the end" : names(hypothesis.failed_after) + " did not hold at the end";
  return c;
}

CheckResult check_halt(const History& h) {
  CheckResult c{"halt", h.halt ? 1.0 : 0.0, 0.0, !h.halt, "halts", ""};
  c.detail = h.halt ? "the drill was halted at " + format_ms(h.halt->t_ns) + ": " + h.halt->reason
                    : "no halt condition fired";
  return c;
}

CheckResult check_min_success_rate(const History& h, double limit) {
  std::size_t ok = 0, done = 0;
  for (const Op& op : h.ops) {
    ++done;
    ok += op.result == OpResult::ok;
  }
  CheckResult c{"min_success_rate", std::nullopt, limit, false, "", ""};
  if (done == 0) {
    c.detail = "no operation in the journal";
    return c;
  }
  c.measured = static_cast<double>(ok) / static_cast<double>(done);
  c.pass = *c.measured >= limit;
  c.detail = "success rate " + format_number(*c.measured * 100) + " % of " + std::to_string(done) +
             " operations, " + (c.pass ? "at least" : "below") + " the objective of " + format_number(limit * 100) +
             " %";
  return c;
}

CheckResult check_max_p99(const History& h, double limit_ms) {
  std::vector<double> latencies;
  for (const Op& op : h.ops) {
    if (op.is_put() && op.result == OpResult::ok) latencies.push_back(op.latency_ms());
  }
  CheckResult c{"max_p99_ms", percentile(latencies, 99), limit_ms, false, "ms", ""};
  decide(c, "p99 of " + std::to_string(latencies.size()) + " acknowledged writes", "no acknowledged write");
  return c;
}

CheckResult check_rpo_ms(const RpoResult& rpo, double limit_ms) {
  CheckResult c{"rpo_ms", rpo.window_ms, limit_ms, false, "ms", ""};
  decide(c, "oldest lost acknowledgement before the fault",
         rpo.measured ? "no fault was injected, so the window is not defined" : rpo.detail);
  return c;
}

}  // namespace faultline::verify
