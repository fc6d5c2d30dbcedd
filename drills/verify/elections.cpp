#include "drills/verify/elections.hpp"

#include <algorithm>
#include <set>

namespace faultline::verify {
namespace {

struct Window {
  std::int64_t from = 0;
  std::int64_t to = 0;
};

// Where a leader change is expected: from each fault's injection to the later
// of its heal (end of run if never healed) and the recovery instant, plus the
// stability window, so the re-join of a restarted member is covered too.
std::vector<Window> fault_windows(const History& h, std::optional<std::int64_t> recovery_ns) {
  const auto window_ns = static_cast<std::int64_t>(h.plan.stability_window_ms * 1e6);
  std::vector<Window> out;
  for (const Fault& f : h.faults) {
    std::int64_t end = f.heal_ns.value_or(h.end_ns);
    if (recovery_ns) end = std::max(end, *recovery_ns);
    out.push_back({f.inject_ns, end + window_ns});
  }
  return out;
}

}  // namespace

std::optional<double> ElectionStats::max_election_ms() const {
  std::optional<double> worst;
  for (const LeaderLoss& loss : losses) {
    const auto ms = loss.election_ms();
    if (!ms) return std::nullopt;
    worst = std::max(worst.value_or(*ms), *ms);
  }
  return worst;
}

ElectionStats measure_elections(const History& h, std::optional<std::int64_t> recovery_ns) {
  std::map<std::int64_t, std::set<std::string>> leaders;
  std::map<std::int64_t, std::int64_t> since;
  for (const MemberSample& s : h.samples) {
    if (s.role != "leader" || !s.term) continue;
    leaders[*s.term].insert(s.member);
    auto [it, fresh] = since.emplace(*s.term, s.role_instant_ns());
    if (!fresh) it->second = std::min(it->second, s.role_instant_ns());
  }
  ElectionStats e;
  e.elections = leaders.size();
  const std::vector<Window> windows = fault_windows(h, recovery_ns);
  bool first = true;
  for (const auto& [term, members] : leaders) {
    e.leaders_per_term[term].assign(members.begin(), members.end());
    if (members.size() > 1) e.split_terms.push_back(term);
    LeaderTerm t;
    t.term = term;
    t.leaders.assign(members.begin(), members.end());
    t.since_ns = since.at(term);
    t.initial = first;
    t.explained = first || std::any_of(windows.begin(), windows.end(), [&](const Window& w) {
                    return t.since_ns >= w.from && t.since_ns <= w.to;
                  });
    if (!t.explained) e.unexplained_changes.push_back(term);
    e.terms.push_back(std::move(t));
    first = false;
  }
  find_regressions(h, e);
  find_leader_losses(h, e);
  return e;
}

}  // namespace faultline::verify
