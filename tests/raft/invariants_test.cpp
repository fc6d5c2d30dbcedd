#include "cluster/raft/invariants.hpp"

#include <gtest/gtest.h>

namespace faultline::raft {
namespace {

NodeSnapshot snap(NodeId id, Role role, Term term, Index commit, std::vector<Entry> log = {}) {
  return NodeSnapshot{id, role, term, commit, std::move(log)};
}

TEST(RaftInvariants, TwoLeadersInOneTermAreReported) {
  std::vector<NodeSnapshot> nodes{snap(1, Role::leader, 2, 0), snap(2, Role::leader, 2, 0),
                                  snap(3, Role::leader, 3, 0)};
  auto v = check_election_safety(nodes);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_NE(v[0].find("both lead term 2"), std::string::npos) << v[0];
}

TEST(RaftInvariants, LogMatchingViolationIsReported) {
  std::vector<NodeSnapshot> nodes{
      snap(1, Role::follower, 2, 0, {{1, 1, "a"}, {2, 2, "b"}}),
      snap(2, Role::follower, 2, 0, {{1, 1, "X"}, {2, 2, "b"}}),
      snap(3, Role::follower, 2, 0, {{1, 1, "a"}, {1, 2, "other term is fine"}})};
  auto v = check_log_matching(nodes);
  EXPECT_EQ(v.size(), 2u);  // 1-2 and 2-3 disagree at index 1 under an anchor
  EXPECT_TRUE(check_log_matching(std::vector<NodeSnapshot>{nodes[0], nodes[2]}).empty());
}

TEST(RaftInvariants, CommittedDisagreementIsReported) {
  std::vector<NodeSnapshot> nodes{snap(1, Role::follower, 2, 1, {{1, 1, "a"}}),
                                  snap(2, Role::follower, 2, 1, {{2, 1, "b"}})};
  EXPECT_EQ(check_committed_agreement(nodes).size(), 1u);
  nodes[1].commit = 0;
  EXPECT_TRUE(check_committed_agreement(nodes).empty());
}

TEST(RaftInvariants, ViewsAndSnapshotsGetTheSameReports) {
  std::vector<NodeSnapshot> diverged{
      snap(1, Role::leader, 2, 2, {{1, 1, "a"}, {2, 2, "b"}, {2, 3, "c"}}),
      snap(2, Role::leader, 2, 2, {{1, 1, "X"}, {2, 2, "b"}}),
      snap(3, Role::follower, 1, 1, {{1, 1, "a"}, {1, 2, "other term is fine"}})};
  std::vector<NodeView> views;
  for (const NodeSnapshot& s : diverged) views.push_back(NodeView{s.id, s.role, s.term, s.commit, s.log});
  SafetyMonitor by_copy;
  SafetyMonitor by_view;
  const std::vector<std::string> want = by_copy.observe(std::span<const NodeSnapshot>(diverged));
  EXPECT_GE(want.size(), 3u);  // two leaders of term 2, log matching, committed agreement
  EXPECT_EQ(by_view.observe(std::span<const NodeView>(views)), want);
}

TEST(RaftInvariants, ForgottenPrefixIsDroppedWhileLaterEntriesStayChecked) {
  std::vector<Entry> log;
  for (Index i = 1; i <= 10; ++i) log.push_back(Entry{1, i, "e" + std::to_string(i)});
  SafetyMonitor m;
  EXPECT_TRUE(m.observe(std::vector<NodeSnapshot>{snap(1, Role::leader, 1, 10, log), snap(2, Role::follower, 1, 10, log)})
                  .empty());
  ASSERT_EQ(m.committed().size(), 10u);
  m.forget_through(6);
  EXPECT_EQ(m.committed_base(), 6u);
  ASSERT_EQ(m.committed().size(), 4u);
  EXPECT_EQ(m.committed().front().index, 7u);
  // A log compacted through 6 with a committed entry changed at 9 is caught.
  std::vector<Entry> tail(log.begin() + 6, log.end());
  tail[2].command = "changed";
  const auto v = m.observe(std::vector<NodeSnapshot>{snap(2, Role::follower, 1, 10, tail)});
  ASSERT_EQ(v.size(), 1u);
  EXPECT_NE(v[0].find("committed entry changed"), std::string::npos) << v[0];
  EXPECT_NE(v[0].find("index 9"), std::string::npos) << v[0];
  // Forgetting past everything known: later entries are recorded from there.
  m.forget_through(20);
  EXPECT_TRUE(m.committed().empty());
  EXPECT_TRUE(m.observe(std::vector<NodeSnapshot>{snap(1, Role::leader, 2, 21, {{2, 21, "x"}})}).empty());
  ASSERT_EQ(m.committed().size(), 1u);
  EXPECT_EQ(m.committed_base() + m.committed().size(), 21u);
}

TEST(RaftInvariants, MonitorReportsPairwiseViolationsExactlyAsTheChecksDo) {
  // The monitor skips the pair-by-pair checks only when every log agrees
  // with the longest one; divergent logs still get the full checks, with
  // the same reports as calling them directly.
  std::vector<NodeSnapshot> diverged{
      snap(1, Role::follower, 2, 0, {{1, 1, "a"}, {2, 2, "b"}, {2, 3, "c"}}),
      snap(2, Role::follower, 2, 0, {{1, 1, "X"}, {2, 2, "b"}}),
      snap(3, Role::follower, 2, 0, {{1, 1, "a"}, {1, 2, "other term is fine"}})};
  std::vector<std::string> want = check_log_matching(diverged);
  ASSERT_FALSE(want.empty());
  SafetyMonitor monitor;
  EXPECT_EQ(monitor.observe(diverged), want);

  // Consistent logs of different lengths (followers behind) report nothing.
  std::vector<NodeSnapshot> behind{
      snap(1, Role::leader, 2, 3, {{1, 1, "a"}, {2, 2, "b"}, {2, 3, "c"}}),
      snap(2, Role::follower, 2, 2, {{1, 1, "a"}, {2, 2, "b"}}),
      snap(3, Role::follower, 2, 0, {})};
  SafetyMonitor fresh;
  EXPECT_TRUE(fresh.observe(behind).empty());
  // One changed entry inside the committed prefixes is caught again.
  behind[1].log[0].command = "changed";
  EXPECT_FALSE(check_committed_agreement(behind).empty());
  EXPECT_FALSE(SafetyMonitor().observe(behind).empty());
}

TEST(RaftInvariants, RegressionsAreReported) {
  std::vector<NodeSnapshot> before{snap(1, Role::follower, 3, 5)};
  std::vector<NodeSnapshot> after{snap(1, Role::follower, 2, 4)};
  EXPECT_EQ(check_monotonic(before, after).size(), 2u);
  EXPECT_TRUE(check_monotonic(after, before).empty());
}

TEST(RaftInvariants, MonitorRemembersLeadersAndCommittedEntries) {
  SafetyMonitor m;
  std::vector<NodeSnapshot> first{snap(1, Role::leader, 1, 1, {{1, 1, "a"}})};
  EXPECT_TRUE(m.observe(first).empty());
  // A different leader of the same term, later: election safety over time.
  std::vector<NodeSnapshot> second{snap(2, Role::leader, 1, 0, {{1, 1, "a"}})};
  EXPECT_EQ(m.observe(second).size(), 1u);
  // A later leader without the committed entry: leader completeness.
  std::vector<NodeSnapshot> third{snap(3, Role::leader, 2, 0, {{2, 1, "b"}})};
  EXPECT_EQ(m.observe(third).size(), 1u);
  // A committed entry rewritten.
  std::vector<NodeSnapshot> fourth{snap(3, Role::follower, 2, 1, {{2, 1, "b"}})};
  EXPECT_EQ(m.observe(fourth).size(), 1u);
  EXPECT_EQ(m.violation_count(), 3u);
  EXPECT_EQ(m.committed().size(), 1u);
}

// Simulator seed 6037: entry 2 (term 5) reached no majority in term 5, so a
// member without it won term 6; the leader of term 7 then committed it. The
// stale leader of term 6, still leading, lacks it legitimately. A leader of
// a term after 7 must hold it.
TEST(RaftInvariants, LeaderCompletenessUsesTheTermOfTheCommitNotOfTheEntry) {
  const Entry a{5, 1, "a"};
  const Entry b{5, 2, "b"};
  SafetyMonitor m;
  EXPECT_TRUE(m.observe(std::vector<NodeSnapshot>{snap(3, Role::leader, 5, 1, {a, b}),
                                                  snap(5, Role::follower, 5, 1, {a})})
                  .empty());
  std::vector<NodeSnapshot> later{snap(5, Role::leader, 6, 1, {a}),
                                  snap(3, Role::leader, 7, 3, {a, b, {7, 3, ""}})};
  const auto v = m.observe(later);
  EXPECT_TRUE(v.empty()) << v.front();
  ASSERT_EQ(m.committed().size(), 3u);
  const auto w = m.observe(std::vector<NodeSnapshot>{snap(4, Role::leader, 8, 1, {a})});
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0].find("lacks committed entry 2"), std::string::npos) << w[0];
}

}  // namespace
}  // namespace faultline::raft
