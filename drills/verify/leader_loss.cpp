// Time from the loss of a leader to a new leader known by a majority.
//
// A leader loss is a fault whose effect takes its target out of the cluster
// (down: killed; frozen: paused; isolated: cut off from its peers) and one
// of whose targets led when it was injected: the fault's selector is
// `leader`, or the target's last answered sample before the injection
// reports role leader. The lost leader's term is the fault's `term`, else
// that last sample's term. A degraded leader (latency, loss) is not lost:
// whether it keeps leading is what such a drill measures.
//
// Each member's *view* is its latest sample: the leader it names (itself when
// its role is leader) and the term. A member that did not answer, or was
// killed, names no one. The new leader is known by a majority at the first
// sample at or after t_f after which at least ⌊N/2⌋+1 of the N members seen
// in the journal name the same member as leader in the same term, and that
// term is greater than the killed leader's (any leader other than the killed
// member when its term is unknown).
#include <map>

#include "drills/verify/elections.hpp"

namespace faultline::verify {
namespace {

struct View {
  std::string leader;
  std::int64_t term = 0;
};

const MemberSample* last_answered_before(const History& h, const std::string& member,
                                         std::int64_t t_ns) {
  const MemberSample* last = nullptr;
  for (const MemberSample& s : h.samples) {
    if (s.t_ns > t_ns) break;
    if (s.member == member && s.up) last = &s;
  }
  return last;
}

void time_election(const History& h, LeaderLoss& loss) {
  const std::size_t majority = h.members.size() / 2 + 1;
  std::map<std::string, View> views;
  bool killed = false;
  for (const MemberSample& s : h.samples) {
    if (!killed && s.t_ns >= loss.fault_ns) {
      views.erase(loss.member);
      killed = true;
    }
    if (!s.up || !s.term) {
      views.erase(s.member);
    } else if (s.role == "leader") {
      views[s.member] = {s.member, *s.term};
    } else if (s.leader) {
      views[s.member] = {*s.leader, *s.term};
    } else {
      views.erase(s.member);
    }
    if (!killed) continue;
    std::map<std::pair<std::int64_t, std::string>, std::size_t> votes;
    for (const auto& [member, view] : views) {
      if (member == loss.member) continue;  // killed and not yet sampled down
      const bool is_new = loss.fault_term ? view.term > *loss.fault_term : view.leader != loss.member;
      if (is_new && ++votes[{view.term, view.leader}] >= majority) {
        loss.known_ns = s.t_ns;
        loss.new_leader = view.leader;
        return;
      }
    }
  }
}

}  // namespace

void find_leader_losses(const History& h, ElectionStats& e) {
  for (const Fault& f : h.faults) {
    if (f.effect != "down" && f.effect != "frozen" && f.effect != "isolated") continue;
    for (const std::string& target : f.targets) {
      const MemberSample* before = last_answered_before(h, target, f.inject_ns);
      const bool was_leader = f.selector == "leader" || (before && before->role == "leader");
      if (!was_leader) continue;
      LeaderLoss loss;
      loss.fault = f.index;
      loss.member = target;
      loss.fault_ns = f.inject_ns;
      loss.fault_term = f.term ? f.term : (before ? before->term : std::nullopt);
      time_election(h, loss);
      e.losses.push_back(std::move(loss));
      break;  // one leader per fault
    }
  }
}

}  // namespace faultline::verify
