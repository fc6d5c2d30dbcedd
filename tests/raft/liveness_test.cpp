// Liveness after faults heal, as the property test's tail checks it: a leader
// that heard nobody while cut off can lose office right after the heal, before
// the acks of its newest proposal return, and that proposal may then never
// commit. The cluster is still live: a retried proposal commits everywhere.
#include <gtest/gtest.h>

#include "tests/raft/harness.hpp"

namespace faultline::raft {
namespace {

using testing::Cluster;

TEST(RaftLiveness, LeaderDeposedRightAfterHealLosesProposalButRetryCommits) {
  Cluster c(3, 3235080042ULL);
  auto leader = c.wait_for_leader(2000);
  ASSERT_TRUE(leader);
  const NodeId old_leader = *leader;
  const NodeId crashed = old_leader == 1 ? 2 : 1;
  ASSERT_TRUE(c.commit_everywhere("before", 1000));

  // The shrunk property case: the leader pipelines two entries, then one
  // follower crashes and the leader is cut off before they arrive, so neither
  // follower has them. The survivor cannot win a pre-vote alone, so the leader
  // keeps its role while its quorum window (election_timeout_max_ms = 300)
  // runs out.
  ASSERT_TRUE(c.propose(old_leader, "v0"));
  ASSERT_TRUE(c.propose(old_leader, "v1"));
  c.crash(crashed);
  c.isolate(old_leader);
  c.advance(220);
  ASSERT_EQ(c.node(old_leader).role(), Role::leader);

  // Heal with a slow network: a round trip (120 ms) outlasts what is left of
  // the window (at most 80 ms), so check_quorum fires before any ack arrives.
  c.heal();
  c.restart(crashed);
  c.min_delay_ms = 60;
  c.max_delay_ms = 60;
  ASSERT_EQ(c.leaders(), std::vector<NodeId>{old_leader});
  auto stale = c.propose(old_leader, "single-shot");
  ASSERT_TRUE(stale);
  ASSERT_TRUE(c.advance_until([&] { return c.node(old_leader).role() != Role::leader; }, 100));
  EXPECT_LT(c.node(old_leader).commit_index(), stale->index);
  // The followers rejected the pipelined appends (their logs end before
  // them) and the deposed leader no longer sends, so they still lack the
  // entry; let them elect one of themselves, as the property run did.
  for (NodeId id : c.ids()) {
    if (id == old_leader) continue;
    EXPECT_LT(c.node(id).last_index(), stale->index);
  }
  c.isolate(old_leader);
  ASSERT_TRUE(c.advance_until([&] { return !c.leaders().empty(); }, 2000));
  c.heal();

  // A client that retries with the next leader gets its command committed.
  auto entry = c.commit_everywhere("final", 5000);
  ASSERT_TRUE(entry);
  for (NodeId id : c.ids()) {
    ASSERT_GE(c.member(id).applied.size(), entry->index);
    EXPECT_EQ(c.member(id).applied[entry->index - 1], *entry);
  }
  // The single-shot proposal was overwritten: only the retry made it.
  for (NodeId id : c.ids()) {
    for (const Entry& e : c.member(id).applied) EXPECT_NE(e.command, "single-shot");
  }
  EXPECT_TRUE(c.violations().empty()) << c.violations().front();
}

}  // namespace
}  // namespace faultline::raft
