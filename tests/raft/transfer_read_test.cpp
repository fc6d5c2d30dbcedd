// Leadership transfer (thesis 3.10) and ReadIndex reads (thesis 6.4).
#include <gtest/gtest.h>

#include "tests/raft/harness.hpp"

namespace faultline::raft {
namespace {

using testing::Cluster;

TEST(RaftTransfer, FollowerBecomesLeaderInNextTerm) {
  Cluster c(3);
  auto leader = c.wait_for_leader(2000);
  ASSERT_TRUE(leader);
  const Term term = c.node(*leader).term();
  const NodeId target = *leader == 3 ? 1 : *leader + 1;
  ASSERT_TRUE(c.propose(*leader, "before"));
  ASSERT_TRUE(c.node(*leader).transfer_leadership(target, c.now()));
  c.flush();
  EXPECT_EQ(c.node(*leader).transfer_target(), target);
  EXPECT_FALSE(c.propose(*leader, "refused during transfer"));
  c.deliver(1000);  // no time passes: the takeover is not an election timeout
  EXPECT_EQ(c.leaders(), std::vector<NodeId>{target});
  EXPECT_EQ(c.node(target).term(), term + 1);
  EXPECT_EQ(c.node(*leader).leader(), target);
  EXPECT_FALSE(c.node(*leader).transfer_target());
  EXPECT_TRUE(c.violations().empty()) << c.violations().front();
}

TEST(RaftTransfer, RefusedForNonMemberAndAbortedAfterTimeout) {
  Cluster c(3);
  auto leader = c.wait_for_leader(2000);
  ASSERT_TRUE(leader);
  const NodeId target = *leader == 3 ? 1 : *leader + 1;
  EXPECT_FALSE(c.node(*leader).transfer_leadership(9, c.now()));
  EXPECT_FALSE(c.node(*leader).transfer_leadership(*leader, c.now()));
  EXPECT_FALSE(c.node(target).transfer_leadership(*leader, c.now()));
  c.crash(target);  // the target never answers
  ASSERT_TRUE(c.node(*leader).transfer_leadership(target, c.now()));
  c.advance(Config{}.election_timeout_max_ms + 10);
  EXPECT_EQ(c.leaders(), std::vector<NodeId>{*leader});
  EXPECT_FALSE(c.node(*leader).transfer_target());
  EXPECT_TRUE(c.propose(*leader, "accepted again"));
}

TEST(RaftRead, ConfirmedOnlyAfterMajorityAcknowledges) {
  Cluster c(5, 3);
  auto leader = c.wait_for_leader(2000);
  ASSERT_TRUE(leader);
  const auto committed = c.node(*leader).commit_index();
  auto index = c.node(*leader).read_index(77, c.now());
  c.flush();
  ASSERT_TRUE(index);
  EXPECT_EQ(*index, committed);
  // Deliver one message at a time: the read appears only once two followers
  // (with the leader, three of five) have answered this round.
  std::size_t answers = 0;
  for (int i = 0; i < 100 && c.member(*leader).reads.empty() && c.in_flight() > 0; ++i) {
    const Message next = c.network().front().message;
    c.deliver(1);
    if (next.to == *leader && std::holds_alternative<AppendResponse>(next.body)) {
      ++answers;
      if (answers < 2) {
        EXPECT_TRUE(c.member(*leader).reads.empty());
      }
    }
  }
  EXPECT_EQ(answers, 2u);
  ASSERT_EQ(c.member(*leader).reads.size(), 1u);
  EXPECT_EQ(c.member(*leader).reads[0], (ReadState{77, committed}));
  EXPECT_FALSE(c.node(*leader == 1 ? 2 : 1).read_index(78, c.now()));  // followers refuse
}

TEST(RaftRead, PartitionedLeaderNeverConfirms) {
  Cluster c(3);
  auto old = c.wait_for_leader(2000);
  ASSERT_TRUE(old);
  c.isolate(*old);
  ASSERT_TRUE(c.node(*old).read_index(5, c.now()));
  c.flush();
  auto fresh = c.wait_for_leader(3000);
  ASSERT_TRUE(fresh);
  ASSERT_TRUE(c.propose(*fresh, "newer write"));
  c.advance(1000);
  c.heal();
  c.advance(1000);
  EXPECT_TRUE(c.member(*old).reads.empty());
  EXPECT_NE(c.node(*old).role(), Role::leader);
}

TEST(RaftRead, FreshLeaderRefusesUntilItsTermCommits) {
  Config config{1, {1, 2, 3}};
  config.pre_vote = false;
  Node n(config, HardState{}, {}, 0);
  n.tick(config.election_timeout_max_ms);
  n.step(Message{2, 1, 1, VoteResponse{true}}, 301);
  ASSERT_EQ(n.role(), Role::leader);
  EXPECT_FALSE(n.read_index(1, 302));  // the no-op is not committed yet
  n.step(Message{2, 1, 1, AppendResponse{true, 1, 0}}, 303);
  ASSERT_EQ(n.commit_index(), 1u);
  EXPECT_EQ(n.read_index(1, 304), 1u);
  n.take_ready();
  n.step(Message{3, 1, 1, AppendResponse{true, 1, 0, 0}}, 305);  // an answer to an older round
  EXPECT_TRUE(n.take_ready().reads.empty());
  n.step(Message{3, 1, 1, AppendResponse{true, 1, 0, 1}}, 306);
  EXPECT_EQ(n.take_ready().reads, (std::vector<ReadState>{{1, 1}}));
}

}  // namespace
}  // namespace faultline::raft
