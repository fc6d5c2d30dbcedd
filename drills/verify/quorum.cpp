#include "drills/verify/quorum.hpp"

#include <algorithm>
#include <set>

namespace faultline::verify {
namespace {

using Cut = std::set<std::pair<std::string, std::string>>;

bool has_quorum(const std::string& member, const std::vector<std::string>& voters, const Cut& cut) {
  std::size_t reach = 1;
  for (const auto& v : voters) {
    if (v != member && !cut.count({member, v}) && !cut.count({v, member})) ++reach;
  }
  return reach >= voters.size() / 2 + 1;
}

// The member led at `t`: its last answered sample at or before `t` says so.
bool led_at(const History& h, const std::string& member, std::int64_t t, std::optional<std::int64_t>& term) {
  const MemberSample* last = nullptr;
  for (const MemberSample& s : h.samples) {
    if (s.t_ns > t) break;
    if (s.member == member && s.up) last = &s;
  }
  if (last == nullptr || last->role != "leader") return false;
  term = last->term;
  return true;
}

}  // namespace

std::size_t QuorumStats::not_stepped_down() const {
  return static_cast<std::size_t>(
      std::count_if(leaders.begin(), leaders.end(), [](const CutLeader& l) { return !l.step_down_ns; }));
}

QuorumStats measure_quorum(const History& h) {
  QuorumStats q;
  std::set<std::string> without;
  for (const Fault& f : h.faults) {
    if (f.cut.empty()) continue;
    const Cut cut(f.cut.begin(), f.cut.end());
    const std::int64_t until = f.heal_ns.value_or(h.end_ns);
    for (const std::string& m : h.members) {
      if (has_quorum(m, h.members, cut)) continue;
      q.applicable = true;
      without.insert(m);
      for (const Op& op : h.ops) {
        // Invoked after the cut and acknowledged before the heal: a write
        // invoked during the cut may well commit after the heal.
        if (op.is_put() && op.result == OpResult::ok && op.member == m && op.invoke_ns >= f.inject_ns &&
            (!f.heal_ns || op.complete_ns < *f.heal_ns)) {
          q.acks.push_back({op.id, op.key, m, op.invoke_ns, op.complete_ns, f.index});
        }
      }
      std::optional<std::int64_t> term;
      if (!led_at(h, m, f.inject_ns, term)) continue;
      CutLeader leader{f.index, m, f.inject_ns, std::nullopt};
      for (const MemberSample& s : h.samples) {
        if (s.t_ns < f.inject_ns || s.member != m) continue;
        if (s.t_ns > until) break;
        const bool still = s.up && s.role == "leader" && (!term || !s.term || *s.term <= *term);
        if (!still) {
          // A member that reports when it left the role is placed there.
          leader.step_down_ns = s.up && s.role != "leader" ? std::max(f.inject_ns, s.role_instant_ns()) : s.t_ns;
          break;
        }
      }
      q.leaders.push_back(leader);
    }
  }
  q.without_quorum = {without.begin(), without.end()};
  return q;
}

}  // namespace faultline::verify
