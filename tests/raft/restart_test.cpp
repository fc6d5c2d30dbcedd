// Restart from persisted state: term and vote survive, committed entries are
// re-delivered, and a member never votes twice in one term.
#include <gtest/gtest.h>

#include "tests/raft/harness.hpp"

namespace faultline::raft {
namespace {

using testing::Cluster;

TEST(RaftRestart, KeepsTermAndVoteAndDoesNotVoteTwice) {
  Cluster c(3);
  auto leader = c.wait_for_leader(2000);
  ASSERT_TRUE(leader);
  NodeId follower = *leader == 1 ? 2 : 1;
  NodeId third = 6 - *leader - follower;
  const Term term = c.node(follower).term();
  const auto vote = c.node(follower).voted_for();
  ASSERT_TRUE(vote);  // it took part in the election
  c.crash(follower);
  c.restart(follower);
  EXPECT_EQ(c.node(follower).term(), term);
  EXPECT_EQ(c.node(follower).voted_for(), vote);

  // Another candidate of the same term, with a log as good as any, asks again.
  NodeId other = *vote == *leader ? third : *leader;
  Node& n = c.node(follower);
  n.step(Message{other, follower, term, VoteRequest{100, term}}, c.now());
  Ready r = n.take_ready();
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_FALSE(std::get<VoteResponse>(r.messages[0].body).granted);
}

TEST(RaftRestart, NodeFromHardStateRefusesSecondVoteButRepeatsItsOwn) {
  Config config{1, {1, 2, 3}};
  Node n(config, HardState{5, 2, 0}, {}, 0);
  EXPECT_EQ(n.term(), 5u);
  n.step(Message{3, 1, 5, VoteRequest{0, 0}}, 1);
  Ready r = n.take_ready();
  EXPECT_FALSE(r.hard_state);  // nothing changed
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_FALSE(std::get<VoteResponse>(r.messages[0].body).granted);
  n.step(Message{2, 1, 5, VoteRequest{0, 0}}, 2);  // a retried request from the same candidate
  r = n.take_ready();
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_TRUE(std::get<VoteResponse>(r.messages[0].body).granted);
}

TEST(RaftRestart, CommittedPrefixIsRedeliveredAndCommitClampedToLog) {
  Config config{1, {1, 2, 3}};
  std::vector<Entry> log{{1, 1, "a"}, {1, 2, "b"}, {1, 3, "c"}};
  Node n(config, HardState{1, std::nullopt, 2}, log, 0);
  Ready r = n.take_ready();
  ASSERT_EQ(r.committed.size(), 2u);
  EXPECT_EQ(r.committed[1].command, "b");
  EXPECT_FALSE(r.hard_state);
  EXPECT_TRUE(r.append.empty());
  EXPECT_FALSE(n.has_ready());

  Node clamped(config, HardState{1, std::nullopt, 9}, log, 0);
  EXPECT_EQ(clamped.commit_index(), 3u);
}

TEST(RaftRestart, InvalidRecoveredStateIsRejected) {
  EXPECT_TRUE(validate(Config{1, {2, 3}}, {}));
  EXPECT_TRUE(validate(Config{1, {1, 1, 2}}, {}));
  EXPECT_TRUE(validate(Config{1, {1}}, {{1, 2, "gap"}}));
  EXPECT_FALSE(validate(Config{1, {1}}, {{1, 1, "ok"}}));
  EXPECT_THROW(Node(Config{1, {2}}, HardState{}, {}, 0), std::invalid_argument);
}

TEST(RaftRestart, WholeClusterRestartKeepsCommittedEntries) {
  Cluster c(3, 9);
  auto leader = c.wait_for_leader(2000);
  ASSERT_TRUE(leader);
  auto entry = c.propose(*leader, "durable");
  ASSERT_TRUE(entry);
  ASSERT_TRUE(c.advance_until([&] { return c.node(*leader).commit_index() >= entry->index; }, 1000));
  for (NodeId id : c.ids()) c.crash(id);
  c.advance(1000);
  for (NodeId id : c.ids()) c.restart(id);
  // The leader's committed prefix is re-applied at once from its own disk.
  ASSERT_GE(c.member(*leader).applied.size(), entry->index);
  EXPECT_EQ(c.member(*leader).applied[entry->index - 1], *entry);
  auto fresh = c.wait_for_leader(3000);
  ASSERT_TRUE(fresh);
  ASSERT_GE(c.node(*fresh).log().size(), entry->index);
  EXPECT_EQ(c.node(*fresh).log()[entry->index - 1], *entry);
  EXPECT_TRUE(c.violations().empty()) << c.violations().front();
}

}  // namespace
}  // namespace faultline::raft
