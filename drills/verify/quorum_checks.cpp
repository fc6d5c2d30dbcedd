// The checks of quorum.hpp's promises.
#include "drills/verify/objectives.hpp"

namespace faultline::verify {

CheckResult check_isolated_acks(const QuorumStats& q) {
  CheckResult c{"isolated_leader_acks", static_cast<double>(q.acks.size()), 0.0, q.acks.empty(), "writes", ""};
  std::string members;
  for (const auto& m : q.without_quorum) members += (members.empty() ? "" : ", ") + m;
  if (c.pass) {
    c.detail = "no write invoked after the cut was acknowledged by a member without quorum (" + members + ")";
    return c;
  }
  const MinorityAck& first = q.acks.front();
  c.detail = std::to_string(q.acks.size()) + " write(s) acknowledged by a member cut off from the majority; first: op " +
             first.op + " on key " + first.key + " by " + first.member + ", invoked at " + format_ms(first.invoke_ns) +
             ", acknowledged at " + format_ms(first.complete_ns) + " (fault " + std::to_string(first.fault) + ")";
  return c;
}

CheckResult check_isolated_step_down(const QuorumStats& q) {
  const std::size_t stuck = q.not_stepped_down();
  CheckResult c{"isolated_leader_step_down", static_cast<double>(stuck), 0.0, stuck == 0, "leaders", ""};
  if (q.leaders.empty()) {
    c.detail = "no leader was cut off from the majority";
    return c;
  }
  for (const CutLeader& l : q.leaders) {
    c.detail += (c.detail.empty() ? "" : "; ") + l.member + " (fault " + std::to_string(l.fault) + ") ";
    c.detail += l.step_down_ms() ? "stepped down " + format_number(*l.step_down_ms()) + " ms after the cut"
                                 : "still led when the cut was healed";
  }
  return c;
}

}  // namespace faultline::verify
