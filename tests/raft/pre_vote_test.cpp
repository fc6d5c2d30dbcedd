// Pre-vote (Raft thesis 9.6): a member asks whether it could win before it
// raises its term, so a member that was cut off cannot depose a healthy leader.
#include <gtest/gtest.h>

#include "tests/raft/harness.hpp"

namespace faultline::raft {
namespace {

using testing::Cluster;
using testing::ClusterOptions;

Term rejoined_follower_term(bool pre_vote, bool* leader_kept) {
  Cluster c(3, ClusterOptions{11, 64, PlantedBug::none, pre_vote});
  auto leader = c.wait_for_leader(2000);
  EXPECT_TRUE(leader);
  if (!leader) return 0;
  const Term term = c.node(*leader).term();
  const NodeId cut = *leader == 1 ? 2 : 1;
  c.isolate(cut);
  c.advance(3000);  // many election timeouts in isolation
  const Term cut_term = c.node(cut).term();
  c.heal();
  c.advance(1000);
  *leader_kept = c.leaders() == std::vector<NodeId>{*leader} && c.node(*leader).term() == term &&
                 c.node(cut).leader() == leader;
  EXPECT_TRUE(c.violations().empty()) << c.violations().front();
  return cut_term - term;
}

TEST(RaftPreVote, RejoiningFollowerDoesNotBumpTermOrDisruptLeader) {
  bool leader_kept = false;
  EXPECT_EQ(rejoined_follower_term(true, &leader_kept), 0u);
  EXPECT_TRUE(leader_kept);
  // Without pre-vote the same script deposes the leader: the check has teeth.
  EXPECT_GT(rejoined_follower_term(false, &leader_kept), 0u);
  EXPECT_FALSE(leader_kept);
}

TEST(RaftPreVote, TimeoutAsksForPreVotesAtNextTermWithoutRaisingOwn) {
  Config config{1, {1, 2, 3}};
  Node n(config, HardState{4, 3, 0}, {}, 0);
  n.take_ready();
  n.tick(config.election_timeout_max_ms);
  EXPECT_EQ(n.role(), Role::follower);
  EXPECT_TRUE(n.pre_candidate());
  EXPECT_EQ(n.term(), 4u);
  EXPECT_EQ(n.voted_for(), 3u);
  Ready r = n.take_ready();
  EXPECT_FALSE(r.hard_state);  // nothing durable changes for a pre-vote
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_EQ(r.messages[0].term, 5u);
  EXPECT_TRUE(std::get<VoteRequest>(r.messages[0].body).pre_vote);
  // One grant makes a majority of three: now the real election at term 5.
  n.step(Message{2, 1, 5, VoteResponse{true, true}}, 310);
  EXPECT_EQ(n.role(), Role::candidate);
  EXPECT_FALSE(n.pre_candidate());
  EXPECT_EQ(n.term(), 5u);
  r = n.take_ready();
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_FALSE(std::get<VoteRequest>(r.messages[0].body).pre_vote);
}

TEST(RaftPreVote, RefusedWhileLeaderIsHeardAndForStaleLog) {
  Config config{2, {1, 2, 3}};
  Node n(config, HardState{1, std::nullopt, 0}, {Entry{1, 1, "a"}}, 0);
  n.step(Message{1, 2, 1, AppendRequest{1, 1, {}, 0}}, 100);
  n.take_ready();
  auto answer = [&](Message m, std::int64_t now) {
    n.step(m, now);
    Ready r = n.take_ready();
    EXPECT_FALSE(r.hard_state);  // a pre-vote never changes term or vote
    EXPECT_EQ(r.messages.size(), 1u);
    return r.messages.empty() ? VoteResponse{} : std::get<VoteResponse>(r.messages[0].body);
  };
  const Message up_to_date{3, 2, 2, VoteRequest{1, 1, true}};
  EXPECT_FALSE(answer(up_to_date, 120).granted);  // the leader was heard 20 ms ago
  EXPECT_FALSE(answer(Message{3, 2, 2, VoteRequest{0, 0, true}}, 400).granted);  // stale log
  const VoteResponse granted = answer(up_to_date, 400);
  EXPECT_TRUE(granted.granted);
  EXPECT_TRUE(granted.pre_vote);
  EXPECT_EQ(n.term(), 1u);
  EXPECT_EQ(n.role(), Role::follower);
}

Node follower_of_leader_1(ElectionTimer timer, std::uint64_t seed, std::int64_t contact_ms) {
  return testing::follower_hearing_1(2, timer, seed, contact_ms);
}

VoteResponse pre_vote_answer(Node& n, const VoteRequest& request, std::int64_t now_ms) {
  n.step(Message{3, 2, 2, request}, now_ms);
  Ready r = n.take_ready();
  EXPECT_EQ(r.messages.size(), 1u);
  return r.messages.empty() ? VoteResponse{} : std::get<VoteResponse>(r.messages[0].body);
}

TEST(RaftPreVote, ARefusalForTheLeaseAloneSaysWhenTheLeaseEnds) {
  for (ElectionTimer timer : {ElectionTimer::wall, ElectionTimer::ticks}) {
    for (std::uint64_t seed = 1; seed <= 40; ++seed) {
      const std::int64_t contact = 100 + static_cast<std::int64_t>(seed % 50);
      Node n = follower_of_leader_1(timer, seed, contact);
      const VoteResponse early = pre_vote_answer(n, VoteRequest{1, 1, true}, contact + 20);
      ASSERT_FALSE(early.granted);
      ASSERT_GT(early.lease_left_ms, 0u) << to_string(timer) << " seed " << seed;
      // A stale log is refused for good: no hint.
      EXPECT_EQ(pre_vote_answer(n, VoteRequest{0, 0, true}, contact + 20).lease_left_ms, 0u);
      // The hint is exact: refused a moment before the lease ends, granted at it.
      const std::int64_t end = contact + 20 + static_cast<std::int64_t>(early.lease_left_ms);
      EXPECT_FALSE(pre_vote_answer(n, VoteRequest{1, 1, true}, end - 1).granted) << seed;
      EXPECT_TRUE(pre_vote_answer(n, VoteRequest{1, 1, true}, end).granted) << seed;
      // 250 ms on the wall clock; with ticks, more than 200 and at most 250.
      EXPECT_LE(end - contact, 250);
      EXPECT_GT(end - contact, timer == ElectionTimer::wall ? 249 : 200);
    }
  }
}

TEST(RaftPreVote, APreCandidateRefusedForALeaseAsksAgainJustAfterItEnds) {
  for (ElectionTimer timer : {ElectionTimer::wall, ElectionTimer::ticks}) {
    Node n = follower_of_leader_1(timer, 7, 100);
    const std::int64_t fired = n.next_tick_ms();
    n.tick(fired);
    ASSERT_TRUE(n.pre_candidate());
    ASSERT_EQ(n.take_ready().messages.size(), 2u);
    const std::int64_t drawn = n.next_tick_ms();  // a whole new timeout away
    ASSERT_GE(drawn - fired, 200);
    // A refusal without a hint (a stale log, a live leader) changes nothing.
    n.step(Message{3, 2, 1, VoteResponse{false, true}}, fired + 1);
    EXPECT_EQ(n.next_tick_ms(), drawn);
    n.step(Message{3, 2, 1, VoteResponse{false, true, 30}}, fired + 1);
    const std::int64_t again = n.next_tick_ms();
    EXPECT_GE(again, fired + 32);  // after the voter's lease, never before
    if (timer == ElectionTimer::wall) EXPECT_EQ(again, fired + 32);
    else EXPECT_EQ((drawn - again) % 50, 0) << "off the node's tick grid";
    EXPECT_LT(again, fired + 32 + 50);
    n.tick(again - 1);
    EXPECT_TRUE(n.take_ready().messages.empty());
    n.tick(again);
    Ready r = n.take_ready();
    ASSERT_EQ(r.messages.size(), 2u) << to_string(timer);
    EXPECT_TRUE(std::get<VoteRequest>(r.messages[0].body).pre_vote);
    EXPECT_EQ(n.term(), 1u);  // still only asking
  }
}

}  // namespace
}  // namespace faultline::raft
