// Members cut off from a majority, from the journal: while an isolating fault
// is in force, a voter "has quorum" when it and the voters it can still
// exchange messages with (neither direction of the link cut) are a majority
// of the voters seen in the journal.
//
// Two promises of any Raft system follow, and are checked on every run that
// cuts a member off:
//  - a member without quorum acknowledges, before the heal, no write invoked
//    after the cut (it cannot commit one): `isolated_leader_acks`;
//  - a leader without quorum steps down (stops saying it leads, or a higher
//    term reaches it) before the cut is healed: `isolated_leader_step_down`.
//
// Thread-safety: pure functions of the history.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "drills/verify/history.hpp"

namespace faultline::verify {

struct MinorityAck {
  std::string op;
  std::string key;
  std::string member;
  std::int64_t invoke_ns = 0;
  std::int64_t complete_ns = 0;
  std::int64_t fault = 0;
};

struct CutLeader {
  std::int64_t fault = 0;
  std::string member;
  std::int64_t cut_ns = 0;
  std::optional<std::int64_t> step_down_ns;  // none: it led until the heal (or the end)
  std::optional<double> step_down_ms() const {
    if (!step_down_ns) return std::nullopt;
    return ms_between(cut_ns, *step_down_ns);
  }
};

struct QuorumStats {
  bool applicable = false;  // some fault left a voter without quorum
  std::vector<std::string> without_quorum;  // every such voter, any fault
  std::vector<MinorityAck> acks;            // violations
  std::vector<CutLeader> leaders;           // leaders cut off, with their step-down
  std::size_t not_stepped_down() const;
};

QuorumStats measure_quorum(const History& h);

}  // namespace faultline::verify
