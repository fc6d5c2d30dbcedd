// Terms and commit indexes that go backwards on a member.
//
// A member's process lives are delimited by its member.start events: a sample
// belongs to the life begun by the latest start of that member at or before
// the sample (life 0 if none). Only samples of a member that answered (`up`)
// carry values; the others are skipped.
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

struct Last {
  std::int64_t value = 0;
  std::size_t life = 0;
};

// The life number of a sample: how many starts of its member came at or
// before it.
class Lives {
 public:
  explicit Lives(const History& h) {
    for (const MemberStart& s : h.starts) starts_[s.member].push_back(s.t_ns);
  }
  std::size_t of(const MemberSample& s) const {
    auto it = starts_.find(s.member);
    if (it == starts_.end()) return 0;
    return static_cast<std::size_t>(
        std::upper_bound(it->second.begin(), it->second.end(), s.t_ns) - it->second.begin());
  }

 private:
  std::map<std::string, std::vector<std::int64_t>> starts_;  // by member, sorted
};

void check(const MemberSample& s, std::size_t life, std::int64_t value,
           std::map<std::string, Last>& last, std::vector<Regression>& out) {
  auto it = last.find(s.member);
  if (it != last.end() && value < it->second.value) {
    out.push_back({s.member, s.t_ns, it->second.value, value, it->second.life != life});
  }
  last[s.member] = {value, life};
}

}  // namespace

void find_regressions(const History& h, ElectionStats& e) {
  const Lives lives(h);
  std::map<std::string, Last> last_term;
  std::map<std::string, Last> last_commit;
  for (const MemberSample& s : h.samples) {
    if (!s.up) continue;
    const std::size_t life = lives.of(s);
    if (s.term) check(s, life, *s.term, last_term, e.term_regressions);
    if (s.commit_index) check(s, life, *s.commit_index, last_commit, e.commit_regressions);
  }
}

}  // namespace faultline::verify
