// raft::Node::peer_gone: the transport found the leader's process gone, and
// its follower campaigns in its turn instead of after its election
// timeout, with its lease on that leader dropped. One node driven by hand.
#include <gtest/gtest.h>

#include "cluster/raft/node.hpp"
#include "tests/raft/harness.hpp"

namespace faultline::raft {
namespace {

constexpr std::int64_t kLeaderContact = 100;

Node survivor_of_1(ElectionTimer timer, std::uint64_t seed, NodeId self = 2) {
  return testing::follower_hearing_1(self, timer, seed, kLeaderContact);
}

TEST(RaftPeerGone, TheFirstSurvivorCampaignsWithinHalfAHeartbeatAndGrantsPreVotesAtOnce) {
  for (ElectionTimer timer : {ElectionTimer::wall, ElectionTimer::ticks}) {
    for (std::uint64_t seed = 1; seed <= 30; ++seed) {
      Node n = survivor_of_1(timer, seed);
      ASSERT_GE(n.next_tick_ms() - kLeaderContact, 200);  // the timer alone: 200 ms or more
      // Before the report the lease holds: a pre-vote is refused.
      n.step(Message{3, 2, 2, VoteRequest{1, 1, true}}, kLeaderContact + 10);
      ASSERT_FALSE(std::get<VoteResponse>(n.take_ready().messages.at(0).body).granted);
      n.peer_gone(1, kLeaderContact + 10);
      EXPECT_FALSE(n.leader().has_value());
      const std::int64_t at = n.next_tick_ms();
      EXPECT_GT(at, kLeaderContact + 10) << to_string(timer) << " seed " << seed;
      EXPECT_LE(at, kLeaderContact + 10 + 25) << to_string(timer) << " seed " << seed;  // the first turn
      // No lease left: the same pre-vote is granted now.
      n.step(Message{3, 2, 2, VoteRequest{1, 1, true}}, kLeaderContact + 11);
      EXPECT_TRUE(std::get<VoteResponse>(n.take_ready().messages.at(0).body).granted);
      n.tick(at - 1);
      EXPECT_FALSE(n.pre_candidate());
      n.tick(at);
      EXPECT_TRUE(n.pre_candidate()) << to_string(timer) << " seed " << seed;
      EXPECT_EQ(n.term(), 1u);  // a pre-vote first, as after any timeout
    }
  }
}

// The survivors take turns by id, half a heartbeat each: member 3 of
// {1, 2, 3}, with 1 gone, campaigns in the second turn, after member 2's.
TEST(RaftPeerGone, TheNextSurvivorByIdTakesTheTurnAfter) {
  for (ElectionTimer timer : {ElectionTimer::wall, ElectionTimer::ticks}) {
    for (std::uint64_t seed = 1; seed <= 30; ++seed) {
      Node n = survivor_of_1(timer, seed, 3);
      n.peer_gone(1, kLeaderContact + 10);
      const std::int64_t at = n.next_tick_ms();
      EXPECT_GT(at, kLeaderContact + 10 + 25) << to_string(timer) << " seed " << seed;
      EXPECT_LE(at, kLeaderContact + 10 + 50) << to_string(timer) << " seed " << seed;
    }
  }
}

TEST(RaftPeerGone, AReportOfAnotherPeerOrToALeaderChangesNothing) {
  Node n = survivor_of_1(ElectionTimer::wall, 3);
  const std::int64_t drawn = n.next_tick_ms();
  n.peer_gone(3, kLeaderContact + 10);  // a follower, not the leader
  EXPECT_EQ(n.next_tick_ms(), drawn);
  EXPECT_EQ(n.leader(), std::optional<NodeId>(1));

  Config config{1, {1, 2, 3}};
  Node leader(config, HardState{1, 1, 0}, {}, 0);
  leader.start_election(0);  // pre-vote, then the vote
  leader.step(Message{2, 1, 2, VoteResponse{true, true}}, 1);
  leader.step(Message{2, 1, 2, VoteResponse{true, false}}, 2);
  ASSERT_EQ(leader.role(), Role::leader);
  leader.peer_gone(2, 3);
  leader.peer_gone(1, 3);
  EXPECT_EQ(leader.role(), Role::leader);
}

}  // namespace
}  // namespace faultline::raft
