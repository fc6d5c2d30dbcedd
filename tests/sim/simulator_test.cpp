// The simulator: determinism, progress without faults, and that each fault
// kind has its effect.
#include <gtest/gtest.h>

#include "cluster/sim/simulator.hpp"

namespace faultline::sim {
namespace {

SimConfig small(std::uint64_t seed) {
  SimConfig c;
  c.seed = seed;
  c.members = 5;
  c.duration_ms = 5'000;
  return c;
}

TEST(Simulator, SameSeedSameEventLogByteForByte) {
  const SimConfig c = small(42);
  const Schedule s = generate_schedule(42, 5, c.duration_ms);
  const SimResult a = run(c, s);
  const SimResult b = run(c, s);
  ASSERT_GT(a.event_log.size(), 10'000u);
  EXPECT_EQ(a.event_log, b.event_log);
  EXPECT_EQ(a.stats.messages_sent, b.stats.messages_sent);
}

TEST(Simulator, DifferentSeedDifferentEventLog) {
  const Schedule s = generate_schedule(42, 5, 5'000);
  EXPECT_NE(run(small(42), s).event_log, run(small(43), s).event_log);
}

TEST(Simulator, HealthyClusterElectsOneLeaderAndCommitsClientOps) {
  const SimResult r = run(small(1), Schedule{});
  EXPECT_TRUE(r.ok()) << r.violations.front();
  EXPECT_GE(r.stats.elections_won, 1u);
  EXPECT_GT(r.stats.committed, 80u);  // 20 ops/s for ~4.7 s after the first election
  EXPECT_EQ(r.stats.messages_dropped, 0u);
  EXPECT_EQ(r.stats.simulated_ms, 5'000);
}

TEST(Simulator, CrashedLeaderIsReplacedAndRecoveryIsMeasured) {
  Schedule s;
  s.actions.push_back(Action{2'000, ActionKind::crash_leader, 0, {}, 0, 0});
  const SimResult r = run(small(3), s);
  EXPECT_TRUE(r.ok());
  ASSERT_EQ(r.stats.leader_recovery_ms.size(), 1u);
  EXPECT_GT(r.stats.leader_recovery_ms[0], 0);
  EXPECT_LT(r.stats.leader_recovery_ms[0], 2'000);
  EXPECT_EQ(r.stats.crashes, 1u);
  EXPECT_NE(r.event_log.find("crash leader"), std::string::npos);
}

TEST(Simulator, AMemberDownWhileOthersCompactCatchesUpBySnapshot) {
  SimConfig c = small(5);
  c.client_ops_per_second = 200;
  c.compact_every = 50;
  Schedule s;
  s.actions.push_back(Action{1'000, ActionKind::crash, 4, {}, 0, 0});
  s.actions.push_back(Action{3'000, ActionKind::restart, 4, {}, 0, 0});
  const SimResult r = run(c, s);
  EXPECT_TRUE(r.ok()) << r.violations.front();
  // ~400 entries committed while it was down: the leader compacted them away.
  EXPECT_NE(r.event_log.find("member 4 installed snapshot"), std::string::npos);
  EXPECT_GT(r.stats.committed, 800u);

  c.compact_every = 0;  // without compaction it catches up from the log alone
  const SimResult plain = run(c, s);
  EXPECT_TRUE(plain.ok()) << plain.violations.front();
  EXPECT_EQ(plain.event_log.find("installed snapshot"), std::string::npos);
}

TEST(Simulator, CrashAndRestartKeepCommittedEntries) {
  Schedule s;
  s.actions.push_back(Action{1'500, ActionKind::crash, 2, {}, 0, 0});
  s.actions.push_back(Action{1'500, ActionKind::crash, 3, {}, 0, 0});
  s.actions.push_back(Action{2'500, ActionKind::restart_all, 0, {}, 0, 0});
  const SimResult r = run(small(4), s);
  EXPECT_TRUE(r.ok()) << r.violations.front();
  EXPECT_EQ(r.stats.restarts, 2u);
  EXPECT_GT(r.stats.committed, 60u);
}

TEST(Simulator, MinorityPartitionStopsNothingAndMajorityCutStopsCommits) {
  Schedule minority;
  minority.actions.push_back(Action{1'000, ActionKind::partition, 0, split_links({1, 2}, 5), 0, 0});
  const SimResult a = run(small(5), minority);
  EXPECT_TRUE(a.ok());
  EXPECT_GT(a.stats.committed, 60u);

  // Every member alone: nothing can commit after the cut.
  Schedule all;
  std::vector<Link> cut;
  for (raft::NodeId x = 1; x <= 5; ++x)
    for (raft::NodeId y = 1; y <= 5; ++y)
      if (x != y) cut.emplace_back(x, y);
  all.actions.push_back(Action{0, ActionKind::partition, 0, cut, 0, 0});
  const SimResult b = run(small(5), all);
  EXPECT_TRUE(b.ok());
  EXPECT_EQ(b.stats.committed, 0u);
  EXPECT_EQ(b.stats.messages_delivered, 0u);
}

TEST(Simulator, LossAndDuplicationAreCounted) {
  Schedule s;
  s.actions.push_back(Action{0, ActionKind::drop, 0, {}, 200, 0});
  s.actions.push_back(Action{0, ActionKind::duplicate, 0, {}, 100, 0});
  const SimResult r = run(small(6), s);
  EXPECT_TRUE(r.ok());
  EXPECT_GT(r.stats.messages_dropped, r.stats.messages_sent / 10);
  EXPECT_GT(r.stats.messages_duplicated, 0u);
  EXPECT_GT(r.stats.committed, 0u);
}

TEST(Simulator, FastClockMakesAMemberCampaignFirst) {
  // Member 1's clock runs 3x fast (its 150-300 ms timeouts elapse in 50-100
  // ms): from a cold start it is the first to time out, and it wins.
  Schedule s;
  s.actions.push_back(Action{0, ActionKind::drift, 1, {}, 2'000'000 / 1, 0});
  SimConfig c = small(7);
  c.duration_ms = 1'000;
  const SimResult r = run(c, s);
  EXPECT_TRUE(r.ok());
  EXPECT_NE(r.event_log.find("member 1 leader term 1"), std::string::npos) << r.event_log.substr(0, 2000);
}

// These seeds once reported leader completeness violations with no planted
// bug: each time a stale leader lacked an old-term entry that a later,
// higher-term leader committed after the stale one was elected. Raft allows
// that; the monitor had taken the entry's term for the term it was committed in.
TEST(Simulator, StaleLeaderMissingALaterCommitIsNoViolation) {
  for (const std::uint64_t seed : {6037u, 6392u, 6608u}) {
    SimConfig c;
    c.seed = seed;
    c.members = 5;
    c.duration_ms = 10'000;
    c.log_messages = false;
    const SimResult r = run(c, generate_schedule(seed, c.members, c.duration_ms));
    EXPECT_TRUE(r.ok()) << "seed " << seed << ": " << r.violations.front();
    EXPECT_EQ(r.stats.simulated_ms, 10'000) << "seed " << seed;
  }
}

}  // namespace
}  // namespace faultline::sim
