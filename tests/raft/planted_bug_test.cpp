// Planted bugs: each known Raft mistake, switched on through Config::planted_bug,
// must be caught by the SafetyMonitor in a scripted scenario, and the same
// script must stay clean without the bug. This proves the checks have teeth.
#include <gtest/gtest.h>

#include "tests/raft/harness.hpp"

namespace faultline::raft {
namespace {

using testing::Cluster;
using testing::ClusterOptions;

// A committed term-1 entry is on members 1 and 2; member 3 has an empty log.
// With member 1 cut off, member 3 can only win if member 2 ignores its stale log.
std::vector<std::string> stale_candidate_wins(PlantedBug bug, bool* three_led) {
  const std::vector<Entry> with_a{{1, 1, "a"}};
  Cluster c({{1, {HardState{1, 1, 1}, with_a}},
             {2, {HardState{1, 1, 1}, with_a}},
             {3, {HardState{1, 1, 0}, {}}}},
            ClusterOptions{5, 64, bug, true});
  c.isolate(1);
  c.start_election(3);
  c.deliver(100);
  *three_led = c.node(3).role() == Role::leader;
  return c.violations();
}

TEST(RaftPlantedBug, VoteWithoutLogCheckElectsLeaderMissingCommittedEntry) {
  bool three_led = false;
  auto violations = stale_candidate_wins(PlantedBug::vote_without_log_check, &three_led);
  EXPECT_TRUE(three_led);
  ASSERT_FALSE(violations.empty());
  EXPECT_NE(violations.front().find("member 3"), std::string::npos) << violations.front();

  violations = stale_candidate_wins(PlantedBug::none, &three_led);
  EXPECT_FALSE(three_led);
  EXPECT_TRUE(violations.empty()) << violations.front();
}

// Figure 8 of the Raft paper, over five members. Member 1 led term 2 and put
// "a" on member 2; member 5 led term 3 alone with "b" at the same index.
// Member 1 wins term 4 and copies "a" to member 3 one entry at a time: "a" is
// now on a majority, but only counting it commits an earlier term's entry.
// Member 1 then dies and member 5 wins term 5 with votes of 3 and 4 (its last
// term 3 beats their 2), overwriting "a" everywhere it can reach. The script
// moves no time, so pre-vote is off: member 3 heard leader 1 "just now" and
// would refuse member 5's pre-vote; the commit rule under test is independent.
std::vector<std::string> figure_8(PlantedBug bug, bool* committed_early) {
  const std::vector<Entry> with_a{{2, 1, "a"}};
  Cluster c({{1, {HardState{3, std::nullopt, 0}, with_a}},
             {2, {HardState{3, std::nullopt, 0}, with_a}},
             {3, {HardState{3, 5, 0}, {}}},
             {4, {HardState{3, 5, 0}, {}}},
             {5, {HardState{4, 5, 0}, {{3, 1, "b"}}}}},
            ClusterOptions{8, 1, bug, /*pre_vote=*/false});
  c.isolate(4);
  c.isolate(5);
  c.start_election(1);
  for (int i = 0; i < 200 && c.in_flight() > 0 && c.node(1).commit_index() == 0; ++i) {
    c.deliver(1);
  }
  EXPECT_EQ(c.node(1).role(), Role::leader);
  *committed_early = c.node(1).commit_index() == 1;
  // Member 1 dies before its no-op reaches member 3; its messages die with it.
  c.crash(1);
  c.heal();
  c.isolate(1);
  c.start_election(5);
  c.deliver(1000);
  return c.violations();
}

TEST(RaftPlantedBug, CommitByCountingLosesCommittedEntryInFigure8) {
  bool committed_early = false;
  auto violations = figure_8(PlantedBug::commit_previous_term_by_counting, &committed_early);
  EXPECT_TRUE(committed_early);
  ASSERT_FALSE(violations.empty());

  violations = figure_8(PlantedBug::none, &committed_early);
  EXPECT_FALSE(committed_early);
  EXPECT_TRUE(violations.empty()) << violations.front();
}

}  // namespace
}  // namespace faultline::raft
