// The Figure 16 rerun: protocol, time scale and the shape of the results.
#include <gtest/gtest.h>

#include <sstream>

#include "cluster/sim/paper_table.hpp"
#include "cluster/sim/sim_cli.hpp"

namespace faultline::sim {
namespace {

PaperTableOptions small(std::size_t trials, std::int64_t scale) {
  PaperTableOptions o;
  o.trials = trials;
  o.time_scale = scale;
  o.cap_ms = 2'000;
  return o;
}

TEST(PaperTable, EveryTrialCrashesALeaderAndElectsAnotherAfterHalfTheMinimumTimeout) {
  const PaperRow r = run_paper_row(150, 200, small(20, 1));
  ASSERT_EQ(r.samples_ms.size(), 20u);
  EXPECT_EQ(r.censored, 0u);
  // Crashed within a heartbeat (75 ms) of its last one, a follower times out
  // no earlier than 150 ms after that heartbeat reached it.
  EXPECT_GE(r.samples_ms.front(), 75.0);
  EXPECT_LE(r.max_ms, 2'000.0);
  EXPECT_LE(r.median_ms, r.p99_ms);
  EXPECT_LE(r.p99_ms, r.max_ms);
}

TEST(PaperTable, ANarrowRangeSplitsVotesMoreThanAWideOne) {
  const PaperRow narrow = run_paper_row(150, 155, small(30, 1));
  const PaperRow wide = run_paper_row(150, 200, small(30, 1));
  EXPECT_GT(narrow.median_ms, 1.5 * wide.median_ms);
}

TEST(PaperTable, EqualTimeoutsNeverElectWithinTheCapAndAreCountedAsCensored) {
  PaperTableOptions o = small(5, 1);
  o.cap_ms = 11'000;
  const PaperRow r = run_paper_row(150, 150, o);
  ASSERT_EQ(r.samples_ms.size(), 5u);
  EXPECT_EQ(r.censored, 5u);
  EXPECT_EQ(r.over_10s, 5u);
  EXPECT_DOUBLE_EQ(r.max_ms, 11'000.0);
  EXPECT_NE(format_paper_table({r}).find("5 not elected within the cap"), std::string::npos);
}

TEST(PaperTable, TheTimeScaleDividesOut) {
  // Ten ticks a ms: every duration is 10x longer in ticks, yet the times come
  // back in ms, in the same range, and no longer on whole ms only.
  const PaperRow k1 = run_paper_row(150, 200, small(20, 1));
  const PaperRow k10 = run_paper_row(150, 200, small(20, 10));
  ASSERT_EQ(k10.samples_ms.size(), 20u);
  EXPECT_EQ(k10.time_scale, 10);
  EXPECT_GE(k10.samples_ms.front(), 75.0);
  EXPECT_LT(k10.median_ms, 2.0 * k1.median_ms);
  EXPECT_GT(k10.median_ms, 0.5 * k1.median_ms);
  bool fractional = false;
  for (double ms : k10.samples_ms) fractional = fractional || ms != static_cast<double>(static_cast<long long>(ms));
  EXPECT_TRUE(fractional);
}

TEST(PaperTable, TheSameSeedsGiveTheSameRow) {
  const PaperRow a = run_paper_row(150, 175, small(10, 10));
  const PaperRow b = run_paper_row(150, 175, small(10, 10));
  EXPECT_EQ(a.samples_ms, b.samples_ms);
}

TEST(PaperTable, AShorterOneWayDelayNarrowsTheSplitVoteWindow) {
  PaperTableOptions fast = small(30, 1);
  fast.delay_min_ms = 2;
  fast.delay_max_ms = 3;
  const PaperRow quick = run_paper_row(150, 155, fast);
  const PaperRow slow = run_paper_row(150, 155, small(30, 1));
  EXPECT_LT(2.0 * quick.median_ms, slow.median_ms);
}

TEST(PaperTable, CommandRejectsABadScaleOrDelay) {
  std::ostringstream out;
  SimCommandOptions o;
  o.paper_table = true;
  o.trials = 1;
  o.time_scale = 0;
  EXPECT_EQ(run_sim_command(o, out), 2);
  o.time_scale = 10;
  o.paper_delay = "9-6";
  EXPECT_EQ(run_sim_command(o, out), 2);
  o.paper_delay = "0.01-1";  // a tenth of a tick
  EXPECT_EQ(run_sim_command(o, out), 2);
  o.paper_delay = "six";
  EXPECT_EQ(run_sim_command(o, out), 2);
}

}  // namespace
}  // namespace faultline::sim
