// Election facts from the members' own reports (`member` samples): how many
// terms had a leader, and whether any term had two (Raft's election safety).
//
// Thread-safety: pure functions of their arguments.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "drills/verify/history.hpp"

namespace faultline::verify {

struct ElectionStats {
  // Distinct terms in which some member reported itself leader.
  std::size_t elections = 0;
  // Term -> members that reported themselves leader in it (sorted, unique).
  std::map<std::int64_t, std::vector<std::string>> leaders_per_term;
  // Terms with more than one leader: election safety violated.
  std::vector<std::int64_t> split_terms;
  bool safe() const { return split_terms.empty(); }
};

ElectionStats measure_elections(const History& history);

}  // namespace faultline::verify
