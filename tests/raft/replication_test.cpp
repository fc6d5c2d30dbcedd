// Log replication: commit on a majority, repair of diverged followers, Figure 8.
#include <gtest/gtest.h>

#include "tests/raft/harness.hpp"

namespace faultline::raft {
namespace {

using testing::Cluster;

bool applied_everywhere(Cluster& c, const Entry& e) {
  for (NodeId id : c.ids()) {
    const auto& applied = c.member(id).applied;
    if (!c.up(id) || applied.size() < e.index || applied[e.index - 1] != e) return false;
  }
  return true;
}

TEST(RaftReplication, ProposalCommitsOnMajorityAndIsAppliedOnAll) {
  Cluster c(3);
  auto leader = c.wait_for_leader(2000);
  ASSERT_TRUE(leader);
  auto entry = c.propose(*leader, R"({"op":"put","key":"k","value":"v"})");
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->term, c.node(*leader).term());
  EXPECT_TRUE(c.advance_until([&] { return applied_everywhere(c, *entry); }, 1000));
  EXPECT_FALSE(c.propose(*leader == 1 ? 2 : 1, "not a leader"));
  EXPECT_TRUE(c.violations().empty()) << c.violations().front();
}

TEST(RaftReplication, CommitsWithOneFollowerDownAndCatchesItUpLater) {
  Cluster c(3);
  auto leader = c.wait_for_leader(2000);
  ASSERT_TRUE(leader);
  NodeId down = *leader == 3 ? 2 : 3;
  c.crash(down);
  std::optional<Entry> last;
  for (int i = 0; i < 150; ++i) last = c.propose(*leader, "cmd" + std::to_string(i));
  ASSERT_TRUE(last);
  EXPECT_TRUE(c.advance_until([&] { return c.node(*leader).commit_index() >= last->index; }, 500));
  c.restart(down);
  // 150 entries at 64 per append: catching up takes several round trips.
  EXPECT_TRUE(c.advance_until([&] { return applied_everywhere(c, *last); }, 2000));
  EXPECT_TRUE(c.violations().empty()) << c.violations().front();
}

TEST(RaftReplication, PartitionedLeaderCannotCommit) {
  Cluster c(3);
  auto old = c.wait_for_leader(2000);
  ASSERT_TRUE(old);
  const Index committed = c.node(*old).commit_index();
  c.isolate(*old);
  auto lost = c.propose(*old, "never acknowledged");
  ASSERT_TRUE(lost);
  c.advance(1000);
  EXPECT_EQ(c.node(*old).commit_index(), committed);
  for (NodeId id : c.ids()) {
    for (const Entry& e : c.member(id).applied) EXPECT_NE(e.command, "never acknowledged");
  }
  auto fresh = c.wait_for_leader(2000);
  ASSERT_TRUE(fresh);
  auto kept = c.propose(*fresh, "acknowledged");
  ASSERT_TRUE(kept);
  c.heal();
  ASSERT_TRUE(c.advance_until([&] { return applied_everywhere(c, *kept); }, 2000));
  // The old leader's uncommitted entry was overwritten by the new leader's log.
  EXPECT_EQ(c.node(*old).log(), c.node(*fresh).log());
  EXPECT_TRUE(c.violations().empty()) << c.violations().front();
}

TEST(RaftReplication, FollowerWithConflictingEntriesIsRepaired) {
  // Members 1 and 2 hold two term-1 entries; member 3 led terms 2 and 3 alone
  // and holds entries nobody else has.
  const std::vector<Entry> common{{1, 1, "a"}, {1, 2, "b"}};
  const std::vector<Entry> diverged{{1, 1, "a"}, {2, 2, "x"}, {2, 3, "y"}, {3, 4, "z"}};
  Cluster c({{1, {HardState{3, std::nullopt, 0}, common}},
             {2, {HardState{3, std::nullopt, 0}, common}},
             {3, {HardState{3, 3, 0}, diverged}}},
            7);
  c.start_election(1);
  c.deliver(100);
  ASSERT_EQ(c.node(1).role(), Role::leader);  // 2 voted for it; 3 refused (newer log)
  auto entry = c.propose(1, "c");
  ASSERT_TRUE(entry);
  ASSERT_TRUE(c.advance_until([&] { return applied_everywhere(c, *entry); }, 1000));
  EXPECT_EQ(c.node(3).log(), c.node(1).log());
  EXPECT_EQ(c.node(3).term_at(2), 1u);
  EXPECT_EQ(c.member(3).durable_log, c.node(1).log());
  EXPECT_TRUE(c.violations().empty()) << c.violations().front();
}

TEST(RaftReplication, NoOpCommitsEarlierTermEntriesButCountingOldTermDoesNot) {
  // Entry "a" of term 1 is on members 1 and 2; member 2 is cut off, so a
  // majority holding "a" is {1, 3} only after member 3 receives it.
  const std::vector<Entry> with_a{{1, 1, "a"}};
  Cluster c({{1, {HardState{1, std::nullopt, 0}, with_a}},
             {2, {HardState{1, std::nullopt, 0}, with_a}},
             {3, {HardState{1, std::nullopt, 0}, {}}}},
            3, /*max_entries_per_append=*/1);
  c.isolate(2);
  c.start_election(1);
  bool saw_old_term_majority = false;
  for (int i = 0; i < 50 && c.in_flight() > 0; ++i) {
    c.deliver(1);
    const bool three_has_only_a = c.node(3).last_index() == 1 && c.node(3).term_at(1) == 1;
    if (three_has_only_a && c.node(1).role() == Role::leader) {
      saw_old_term_majority = true;
      // Figure 8: "a" is on a majority, but it is not of the leader's term.
      EXPECT_EQ(c.node(1).commit_index(), 0u);
    }
  }
  EXPECT_TRUE(saw_old_term_majority);
  ASSERT_EQ(c.node(1).role(), Role::leader);
  EXPECT_EQ(c.node(1).commit_index(), 2u);  // the no-op committed, and "a" with it
  ASSERT_GE(c.member(1).applied.size(), 2u);
  EXPECT_EQ(c.member(1).applied[0].command, "a");
  EXPECT_EQ(c.member(1).applied[1].command, "");
  EXPECT_EQ(c.member(1).applied[1].term, c.node(1).term());
  EXPECT_TRUE(c.violations().empty()) << c.violations().front();
}

TEST(RaftReplication, FollowerCommitsOnlyWhatTheRequestProved) {
  // A follower with stale entries past the leader's batch must not commit them.
  Config config{2, {1, 2, 3}};
  Node n(config, HardState{1, std::nullopt, 0}, {{1, 1, "a"}, {1, 2, "stale"}}, 0);
  AppendRequest req{0, 0, {{1, 1, "a"}}, 5};
  n.step(Message{1, 2, 2, req}, 10);
  EXPECT_EQ(n.commit_index(), 1u);
  Ready r = n.take_ready();
  ASSERT_EQ(r.messages.size(), 1u);
  const auto& resp = std::get<AppendResponse>(r.messages[0].body);
  EXPECT_TRUE(resp.success);
  EXPECT_EQ(resp.match_index, 1u);
  EXPECT_EQ(n.leader(), 1u);
}

TEST(RaftReplication, RejectCarriesConflictHintForFastBackoff) {
  Config config{2, {1, 2, 3}};
  std::vector<Entry> log{{1, 1, "a"}, {2, 2, "b"}, {2, 3, "c"}, {2, 4, "d"}};
  Node n(config, HardState{2, std::nullopt, 1}, log, 0);
  n.step(Message{1, 2, 3, AppendRequest{4, 3, {}, 1}}, 10);  // leader has term 3 at index 4
  Ready r = n.take_ready();
  ASSERT_EQ(r.messages.size(), 1u);
  const auto& resp = std::get<AppendResponse>(r.messages[0].body);
  EXPECT_FALSE(resp.success);
  EXPECT_EQ(resp.conflict_hint, 2u);  // first index of the conflicting term 2
  n.step(Message{1, 2, 3, AppendRequest{9, 3, {}, 1}}, 11);  // past our end
  r = n.take_ready();
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(std::get<AppendResponse>(r.messages[0].body).conflict_hint, 5u);
}

}  // namespace
}  // namespace faultline::raft
