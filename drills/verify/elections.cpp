#include "drills/verify/elections.hpp"

#include <set>

namespace faultline::verify {

ElectionStats measure_elections(const History& h) {
  std::map<std::int64_t, std::set<std::string>> leaders;
  for (const MemberSample& s : h.samples) {
    if (s.role == "leader" && s.term) leaders[*s.term].insert(s.member);
  }
  ElectionStats e;
  e.elections = leaders.size();
  for (const auto& [term, members] : leaders) {
    e.leaders_per_term[term].assign(members.begin(), members.end());
    if (members.size() > 1) e.split_terms.push_back(term);
  }
  return e;
}

}  // namespace faultline::verify
