// Leader election: timeouts, votes, one leader per term, step-down.
#include <gtest/gtest.h>

#include "tests/raft/harness.hpp"

namespace faultline::raft {
namespace {

using testing::Cluster;

TEST(RaftElection, ThreeNodesElectOneLeader) {
  Cluster c(3);
  auto leader = c.wait_for_leader(2000);
  ASSERT_TRUE(leader.has_value());
  EXPECT_EQ(c.leaders().size(), 1u);
  for (NodeId id : c.ids()) {
    EXPECT_EQ(c.node(id).leader(), leader);
    EXPECT_EQ(c.node(id).term(), c.node(*leader).term());
  }
  EXPECT_TRUE(c.violations().empty()) << c.violations().front();
}

TEST(RaftElection, LeaderStaysWhileHeartbeatsFlow) {
  Cluster c(3);
  auto leader = c.wait_for_leader(2000);
  ASSERT_TRUE(leader);
  const Term term = c.node(*leader).term();
  c.advance(5000);
  EXPECT_EQ(c.leaders(), std::vector<NodeId>{*leader});
  EXPECT_EQ(c.node(*leader).term(), term);
}

TEST(RaftElection, SingleMemberLeadsAfterTimeoutAndCommitsAlone) {
  Config config;
  config.id = 7;
  config.members = {7};
  Node n(config, HardState{}, {}, 0);
  n.tick(config.election_timeout_max_ms);
  EXPECT_EQ(n.role(), Role::leader);
  EXPECT_EQ(n.role_since_ms(), config.election_timeout_max_ms);
  auto entry = n.propose("cmd", 400);
  ASSERT_TRUE(entry);
  EXPECT_EQ(n.commit_index(), 2u);  // no-op + cmd
  Ready r = n.take_ready();
  ASSERT_TRUE(r.hard_state);
  EXPECT_EQ(r.hard_state->term, 1u);
  EXPECT_EQ(r.hard_state->voted_for, 7u);
  EXPECT_EQ(r.hard_state->commit, 2u);
  ASSERT_EQ(r.committed.size(), 2u);
  EXPECT_EQ(r.committed[1].command, "cmd");
  EXPECT_EQ(r.append, r.committed);
  EXPECT_TRUE(r.messages.empty());
}

TEST(RaftElection, NoTimeoutBeforeMinimum) {
  Config config{1, {1, 2, 3}};
  config.pre_vote = false;  // pre_vote_test.cpp covers the pre-vote round
  Node n(config, HardState{}, {}, 0);
  n.tick(config.election_timeout_min_ms - 1);
  EXPECT_EQ(n.role(), Role::follower);
  n.tick(config.election_timeout_max_ms);
  EXPECT_EQ(n.role(), Role::candidate);
  EXPECT_EQ(n.term(), 1u);
  Ready r = n.take_ready();
  ASSERT_TRUE(r.hard_state);  // term and vote go out with the requests
  EXPECT_EQ(r.hard_state->voted_for, 1u);
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<VoteRequest>(r.messages[0].body));
}

TEST(RaftElection, VoteRefusedToCandidateWithStaleLog) {
  Config config{1, {1, 2, 3}};
  Node n(config, HardState{2, std::nullopt, 0}, {Entry{1, 1, "a"}, Entry{2, 2, "b"}}, 0);
  n.step(Message{2, 1, 3, VoteRequest{5, 1}}, 10);  // longer log, older last term
  Ready r = n.take_ready();
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_FALSE(std::get<VoteResponse>(r.messages[0].body).granted);
  EXPECT_EQ(n.term(), 3u);  // the higher term is still adopted
  n.step(Message{3, 1, 3, VoteRequest{2, 2}}, 11);
  r = n.take_ready();
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_TRUE(std::get<VoteResponse>(r.messages[0].body).granted);
  ASSERT_TRUE(r.hard_state);
  EXPECT_EQ(r.hard_state->voted_for, 3u);
}

TEST(RaftElection, LeaderStepsDownOnHigherTerm) {
  Cluster c(3);
  auto leader = c.wait_for_leader(2000);
  ASSERT_TRUE(leader);
  const Term term = c.node(*leader).term();
  NodeId other = *leader == 1 ? 2 : 1;
  c.node(*leader).step(Message{other, *leader, term + 5, AppendResponse{false, 0, 0}}, c.now());
  EXPECT_EQ(c.node(*leader).role(), Role::follower);
  EXPECT_EQ(c.node(*leader).term(), term + 5);
  EXPECT_EQ(c.node(*leader).role_since_ms(), c.now());
}

TEST(RaftElection, IsolatedLeaderStepsDownAndOthersElectNewOne) {
  Cluster c(3);
  auto old = c.wait_for_leader(2000);
  ASSERT_TRUE(old);
  c.isolate(*old);
  auto fresh = c.wait_for_leader(3000);
  ASSERT_TRUE(fresh);
  EXPECT_NE(*fresh, *old);
  EXPECT_GT(c.node(*fresh).term(), c.node(*old).term());
  // check_quorum: the old leader gives up once it has not heard from a majority.
  c.advance(400);
  EXPECT_NE(c.node(*old).role(), Role::leader);  // follower, or a candidate by now
  c.heal();
  auto after = c.wait_for_leader(3000);
  ASSERT_TRUE(after);
  EXPECT_EQ(c.leaders().size(), 1u);
  EXPECT_TRUE(c.violations().empty()) << c.violations().front();
}

TEST(RaftElection, FiveNodesSurviveTwoDown) {
  Cluster c(5, 42);
  auto leader = c.wait_for_leader(2000);
  ASSERT_TRUE(leader);
  c.crash(*leader);
  NodeId second = *leader == 1 ? 2 : 1;
  c.crash(second);
  auto fresh = c.wait_for_leader(3000);
  ASSERT_TRUE(fresh);
  auto entry = c.propose(*fresh, "x");
  ASSERT_TRUE(entry);
  ASSERT_TRUE(c.advance_until(
      [&] { return c.member(*fresh).applied.size() >= entry->index; }, 1000));
  EXPECT_EQ(c.member(*fresh).applied.back(), *entry);
  EXPECT_TRUE(c.violations().empty()) << c.violations().front();
}

}  // namespace
}  // namespace faultline::raft
