// Terms and commit indexes that go backwards on a member.
//
// A member's process lives are delimited by its member.exit and restart
// events: a sample belongs to life N when N lives of that member ended (an
// exit, or a restart whose exit was not journaled) at or before it. A
// restarted member answers before its member.start is journaled (that comes
// once it is healthy), so its exit is the boundary that counts. Only samples
// of a member that answered (`up`) carry values; the others are skipped.
//
// A power loss (a fault.inject whose detail says power_loss, on the member)
// between two samples explains a term or commit index that went back across
// the restart: what the member had not really synced is gone by design. Such
// regressions are listed apart (explained_regressions) and do not fail the
// checks.
//
// - term: every sample's term must be >= the previous answered sample's term
//   of the same member, whether or not a restart lies between them (the term
//   is durable, so a restart may not lower it).
// - commit index: within one life, every sample's commit index must be >= the
//   previous one's. Across a restart, the first sample of the new life is
//   compared with the last sample of the previous life that carried a commit
//   index: the store persists the commit index with the term and vote before
//   the member reports it, so a restarted member reports at least what it had
//   reported before it was killed.
#include <algorithm>
#include <map>

#include "drills/verify/elections.hpp"

namespace faultline::verify {
namespace {

struct LastSample {
  std::int64_t value = 0;
  std::size_t life = 0;
  std::int64_t t_ns = 0;
};

// The life number of a sample: the larger of how many exits and how many
// restarts of its member came at or before it.
class Lives {
 public:
  explicit Lives(const History& h) {
    for (const MemberStart& s : h.starts) {
      if (s.restart) restarts_[s.member].push_back(s.t_ns);
    }
    for (const MemberExit& x : h.exits) exits_[x.member].push_back(x.t_ns);
  }
  std::size_t of(const MemberSample& s) const { return std::max(count(restarts_, s), count(exits_, s)); }

 private:
  using Times = std::map<std::string, std::vector<std::int64_t>>;  // by member, sorted
  static std::size_t count(const Times& times, const MemberSample& s) {
    auto it = times.find(s.member);
    if (it == times.end()) return 0;
    return static_cast<std::size_t>(
        std::upper_bound(it->second.begin(), it->second.end(), s.t_ns) - it->second.begin());
  }
  Times restarts_;
  Times exits_;
};

// True when a power loss of `member` lies in (from, to].
bool power_lost(const History& h, const std::string& member, std::int64_t from, std::int64_t to) {
  for (const Fault& f : h.faults) {
    if (!f.power_loss || f.inject_ns <= from || f.inject_ns > to) continue;
    if (std::find(f.targets.begin(), f.targets.end(), member) != f.targets.end()) return true;
  }
  return false;
}

void check(const History& h, const MemberSample& s, std::size_t life, std::int64_t value,
           std::map<std::string, LastSample>& last, std::vector<Regression>& out,
           std::vector<Regression>& explained) {
  auto it = last.find(s.member);
  if (it != last.end() && value < it->second.value) {
    const Regression r{s.member, s.t_ns, it->second.value, value, it->second.life != life};
    if (r.across_restart && power_lost(h, s.member, it->second.t_ns, s.t_ns)) {
      explained.push_back(r);
    } else {
      out.push_back(r);
    }
  }
  last[s.member] = {value, life, s.t_ns};
}

}  // namespace

void find_regressions(const History& h, ElectionStats& e) {
  const Lives lives(h);
  std::map<std::string, LastSample> last_term;
  std::map<std::string, LastSample> last_commit;
  for (const MemberSample& s : h.samples) {
    if (!s.up) continue;
    const std::size_t life = lives.of(s);
    if (s.term) check(h, s, life, *s.term, last_term, e.term_regressions, e.explained_regressions);
    if (s.commit_index) {
      check(h, s, life, *s.commit_index, last_commit, e.commit_regressions, e.explained_regressions);
    }
  }
}

}  // namespace faultline::verify
