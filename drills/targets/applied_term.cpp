#include "drills/targets/applied_term.hpp"

#include <algorithm>

namespace faultline::targets {

std::string AppliedTermClaims::role(const std::string& member, bool names_itself_leader, std::uint64_t term) {
  std::lock_guard lock(mu_);
  const auto it = term_not_leading_.find(member);
  if (!names_itself_leader) {
    if (it == term_not_leading_.end()) {
      term_not_leading_[member] = term;
    } else {
      it->second = std::max(it->second, term);
    }
    return "follower";
  }
  // Never seen not leading (a cluster's first leader, seen first as such):
  // nothing to be stale against.
  return it == term_not_leading_.end() || term > it->second ? "leader" : "candidate";
}

}  // namespace faultline::targets
