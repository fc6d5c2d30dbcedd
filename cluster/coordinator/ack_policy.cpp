#include "cluster/coordinator/ack_policy.hpp"

#include <algorithm>

namespace faultline::coordinator {

namespace {
std::size_t majority(std::size_t members) { return members / 2 + 1; }
}  // namespace

bool acknowledged(settings::Replication mode, const AckFacts& facts) {
  // Applied implies committed, which implies a majority has it durably: the
  // strongest promise, and the only way a single-member group or a write
  // whose leader changed term can be acknowledged.
  if (facts.applied) return true;
  switch (mode) {
    case settings::Replication::sync:
      return false;
    case settings::Replication::semi_sync:
      return facts.leader_durable && facts.followers_durable >= 1;
    case settings::Replication::async:
      return facts.leader_durable;
  }
  return false;
}

std::size_t copies_at_ack(settings::Replication mode, std::size_t members) {
  if (members == 0) return 0;
  switch (mode) {
    case settings::Replication::sync:
      return majority(members);
    case settings::Replication::semi_sync:
      // Leader and one follower, unless commit (which also acknowledges)
      // needs no more: a group of 1 or 2 commits with what it has.
      return std::min<std::size_t>(2, majority(members));
    case settings::Replication::async:
      return 1;
  }
  return majority(members);
}

bool semi_sync_precedes_commit(std::size_t members) { return majority(members) > 2; }

}  // namespace faultline::coordinator
