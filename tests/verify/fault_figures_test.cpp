// The checkers' side of the process, clock and disk faults, over journals
// built by hand: per-step figures of a rolling restart, the objective that
// expects a loss (min_lost_writes), and the commit index a power loss may
// take back without failing commit_monotonic.
#include <gtest/gtest.h>

#include "drills/verify/objectives.hpp"
#include "drills/verify/rolling.hpp"
#include "tests/verify/journal_builder.hpp"

namespace faultline::verify {
namespace {

using testing::JournalBuilder;
using testing::ms_ns;

Json step(std::int64_t n, const std::string& member, bool leader, double stop_ms, double healthy_ms,
          double caught_up_ms) {
  return Json{{"fault", 0}, {"fault_kind", "rolling_restart"}, {"action", "restarted"}, {"step", n},
              {"member", member}, {"was_leader", leader}, {"exited_by_itself", true},
              {"stop_t_ns", ms_ns(stop_ms)}, {"healthy_t_ns", ms_ns(healthy_ms)},
              {"caught_up_t_ns", ms_ns(caught_up_ms)}};
}

TEST(Rolling, EachStepHasItsDownTimeCatchUpClientGapAndElections) {
  JournalBuilder b;
  b.run(std::nullopt, 0);
  b.sample(100, "c3", "leader", 1, 50);
  b.puts(0, 2000, 10, 5);     // a write every 10 ms, acknowledged 5 ms later
  b.puts(2000, 2300, 10, 5, "fail");  // the leader's restart: 300 ms of failures
  b.puts(2300, 4000, 10, 5);
  b.event(1100, "fault.step", step(1, "c1", false, 1000, 1050, 1080));
  // The leader's restart; c2 took over in term 2 at 2250 ms.
  b.sample(2260, "c2", "leader", 2, 2250);
  b.event(2400, "fault.step", step(2, "c3", true, 2000, 2200, 2350));
  const History h = history_from(b.events());
  const auto steps = measure_rolling(h);
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].member, "c1");
  EXPECT_DOUBLE_EQ(steps[0].down_ms, 50);
  EXPECT_DOUBLE_EQ(steps[0].catch_up_ms, 30);
  EXPECT_EQ(steps[0].failed_writes, 0u);
  EXPECT_EQ(steps[0].elections, 0u);
  EXPECT_LE(steps[0].longest_gap_ms, 10.0);
  EXPECT_TRUE(steps[1].was_leader);
  EXPECT_EQ(steps[1].elections, 1u);
  EXPECT_EQ(steps[1].failed_writes, 30u);
  EXPECT_NEAR(steps[1].longest_gap_ms, 300, 10);
  EXPECT_NE(describe(steps[1]).find("step 2 c3 (leader)"), std::string::npos) << describe(steps[1]);
  EXPECT_EQ(evaluate(h).rolling.size(), 2u);
}

TEST(FaultLatency, WritesInvokedWhileTheFirstFaultIsInForceHaveTheirOwnPercentiles) {
  JournalBuilder b;
  b.run(std::nullopt, std::nullopt);
  b.puts(0, 1000, 10, 5);      // baseline: 5 ms
  b.fault_on(1000, 0, "disk", "c1");
  b.puts(1000, 2000, 10, 45);  // a slow disk: 45 ms
  b.heal_of(2000, 0, "disk", "c1");
  b.puts(2000, 3000, 10, 5);
  const WorkloadStats w = evaluate(history_from(b.events())).workload;
  EXPECT_EQ(w.fault_writes, 100u);
  EXPECT_DOUBLE_EQ(*w.fault_p50_ms, 45);
  EXPECT_DOUBLE_EQ(*w.baseline_p50_ms, 5);
}

TEST(MinLostWrites, PassesOnlyWhenAtLeastThatManyWereLostAndSaysWhen) {
  JournalBuilder lossy;
  lossy.run_with({{"min_lost_writes", 2}});
  lossy.puts(0, 300, 100, 5);  // p0 p1 p2, all acknowledged
  lossy.fault_on(400, 0, "power_loss", "c1");
  lossy.readback(1000, "k-p0", true, "v-p0");
  lossy.readback(1000, "k-p1", false, "");
  lossy.readback(1000, "k-p2", false, "");
  Verdict v = evaluate(history_from(lossy.events()));
  ASSERT_EQ(v.checks[0].objective, "min_lost_writes");
  EXPECT_TRUE(v.checks[0].pass) << v.checks[0].detail;
  EXPECT_EQ(v.checks[0].measured, 2);
  EXPECT_NE(v.checks[0].detail.find("acknowledged at 105 ms (op p1)"), std::string::npos) << v.checks[0].detail;
  EXPECT_EQ(to_json(v.checks[0])["comparison"], ">=");

  JournalBuilder intact;
  intact.run_with({{"min_lost_writes", 1}});
  intact.puts(0, 300, 100, 5);
  intact.fault_on(400, 0, "power_loss", "c1");
  for (const char* k : {"k-p0", "k-p1", "k-p2"}) intact.readback(1000, k, true, std::string("v-p") + k[3]);
  v = evaluate(history_from(intact.events()));
  EXPECT_FALSE(v.checks[0].pass) << "an RPO of 0 must fail a drill that expects a loss";
  EXPECT_NE(v.checks[0].detail.find("falls short of the objective of at least 1 writes by 1"), std::string::npos)
      << v.checks[0].detail;
}

JournalBuilder commit_back(bool power_loss) {
  JournalBuilder b;
  b.run(std::nullopt, std::nullopt);
  b.event(100, "member", {{"member", "c1"}, {"up", true}, {"role", "follower"}, {"term", 1}, {"commit_index", 50}});
  if (power_loss) {
    b.event(200, "fault.inject", {{"fault", 0}, {"fault_kind", "power_loss"}, {"effect", "down"},
                                  {"targets", {"c1"}}, {"detail", {{"power_loss", true}}}});
  } else {
    b.fault_on(200, 0, "kill", "c1");
  }
  b.event(210, "member.exit", {{"member", "c1"}, {"signal", 9}, {"expected", true}});
  b.event(300, "member", {{"member", "c1"}, {"up", true}, {"role", "follower"}, {"term", 1}, {"commit_index", 40}});
  b.event(310, "member.start", {{"member", "c1"}, {"restart", true}});
  return b;
}

TEST(CommitMonotonic, APowerLossExplainsACommitIndexThatWentBackAcrossTheRestart) {
  const Verdict explained = evaluate(history_from(commit_back(true).events()));
  EXPECT_TRUE(explained.elections.commit_regressions.empty());
  EXPECT_EQ(explained.elections.explained_regressions.size(), 1u);
  const Verdict unexplained = evaluate(history_from(commit_back(false).events()));
  ASSERT_EQ(unexplained.elections.commit_regressions.size(), 1u);
  // The sample before member.start is already the new process's: its exit
  // is the boundary.
  EXPECT_TRUE(unexplained.elections.commit_regressions[0].across_restart);
}

}  // namespace
}  // namespace faultline::verify
