#include <gtest/gtest.h>

#include <algorithm>

#include "drills/verify/objectives.hpp"
#include "drills/verify/rto.hpp"
#include "tests/verify/journal_builder.hpp"

namespace faultline::verify {
namespace {

using testing::JournalBuilder;
using Json = journal::Json;

// Writes every 100 ms taking 10 ms; leader c1 (term 1) killed at 2000 ms;
// writes invoked 2000..2400 fail; writes from 2500 succeed again.
JournalBuilder clean_recovery() {
  JournalBuilder b;
  b.run(1000.0, std::nullopt)
      .sample(100, "c1", "leader", 1, 50.0)
      .sample(100, "c2", "follower", 1, 50.0)
      .puts(0, 2000, 100, 10)
      .fault(2000, 1)
      .puts(2000, 2500, 100, 10, "fail")
      .sample(2200, "c2", "candidate", 2, 2150.0)
      .sample(2400, "c2", "leader", 2, 2300.0)
      .sample(2400, "c3", "follower", 2, 2320.0)
      .puts(2500, 5000, 100, 10)
      .event(6000, "phase", {{"phase", "done"}});
  return b;
}

TEST(Rto, CleanRecoveryMeasuresExactlyWithParts) {
  const History h = history_from(clean_recovery().events());
  const RtoResult r = measure_rto(h);
  ASSERT_TRUE(r.rto_ms.has_value());
  EXPECT_DOUBLE_EQ(*r.rto_ms, 510.0);
  EXPECT_EQ(r.fault_ns, testing::ms_ns(2000));
  EXPECT_EQ(r.recovery_ns, testing::ms_ns(2510));
  EXPECT_EQ(r.fault_term, 1);
  ASSERT_TRUE(r.parts.detect_ms && r.parts.new_leader_ms && r.parts.first_ack_ms && r.parts.stable_ms);
  EXPECT_DOUBLE_EQ(*r.parts.detect_ms, 150.0);
  EXPECT_DOUBLE_EQ(*r.parts.new_leader_ms, 300.0);
  EXPECT_DOUBLE_EQ(*r.parts.first_ack_ms, 510.0);
  EXPECT_DOUBLE_EQ(*r.parts.stable_ms, 510.0);

  const Verdict v = evaluate(h);
  EXPECT_TRUE(v.pass);
  EXPECT_EQ(v.exit_code, 0);
}

TEST(Rto, FirstAckNeverComesAfterStableWhenAWriteSpansTheFault) {
  // Follower c3 killed at 2005 ms while the write invoked at 2000 is in
  // flight; it is acknowledged at 2010 and the steady state holds from
  // there. t_r is that completion (5 ms), so the first acknowledgement
  // after t_f is the same write: counting only writes invoked after t_f
  // made it the write acknowledged at 2110 (105 ms), after "stable".
  JournalBuilder b;
  b.run(1000.0, std::nullopt).puts(0, 5000, 100, 10).fault(2005, 1, "c3").event(6000, "phase", {{"phase", "done"}});
  const RtoResult r = measure_rto(history_from(b.events()));
  ASSERT_TRUE(r.applicable);
  ASSERT_TRUE(r.parts.first_ack_ms && r.parts.stable_ms);
  EXPECT_DOUBLE_EQ(*r.parts.stable_ms, 5.0);
  EXPECT_DOUBLE_EQ(*r.parts.first_ack_ms, 5.0);
  EXPECT_LE(*r.parts.first_ack_ms, *r.parts.stable_ms);
}

TEST(Rto, FirstAckIsTheEarliestAcknowledgementAfterTheFaultWhateverItsInvoke) {
  JournalBuilder b = clean_recovery();
  // Invoked before the kill at 2000 and acknowledged at 2100, while the
  // writes invoked from 2000 to 2400 still fail: the path answered once,
  // but the steady state holds only from 2510.
  b.put("across", "ka", "va", 1990, 2100.0);
  const RtoResult r = measure_rto(history_from(b.events()));
  ASSERT_TRUE(r.parts.first_ack_ms && r.parts.stable_ms);
  EXPECT_DOUBLE_EQ(*r.parts.first_ack_ms, 100.0);
  EXPECT_DOUBLE_EQ(*r.parts.stable_ms, 510.0);
}

// Workers w1 and w2; puts every 100 ms taking 10 ms, all acknowledged; w1
// killed at 2000 ms and restarted at 3000 ms.
JournalBuilder worker_kill(const Json& objectives) {
  JournalBuilder b;
  b.run_with(objectives).worker_start(0, "w1").worker_start(0, "w2").puts(0, 5000, 100, 10);
  b.fault_on(2000, 0, "kill", "w1").worker_exit(2000, "w1").heal_of(3000, 0, "kill", "w1");
  b.worker_start(3000, "w1", true).event(6000, "phase", {{"phase", "done"}});
  return b;
}

TEST(Rto, AFaultOnWorkersOnlyIsNotApplicableAndFailsAnRtoObjectiveSayingSo) {
  const History h = history_from(worker_kill({{"rto_ms", 1000}, {"rto_from_heal_ms", 1000}}).events());
  const RtoResult r = measure_rto(h);
  EXPECT_FALSE(r.applicable);
  EXPECT_FALSE(r.fault_ns.has_value());
  EXPECT_FALSE(r.recovery_ns.has_value());
  EXPECT_FALSE(r.rto_ms.has_value());
  EXPECT_FALSE(r.parts.first_ack_ms.has_value());
  EXPECT_FALSE(r.parts.stable_ms.has_value());
  EXPECT_FALSE(r.heal_ns.has_value());
  EXPECT_EQ(r.detail,
            "not applicable: the faults hit only workers (w1), no coordinator, so the key-value path was never "
            "faulted; failover_ms measures the routed calls");

  // Every write was acknowledged promptly, so a measured RTO would have
  // passed: the objective fails instead, with the reason.
  const Verdict v = evaluate(h);
  EXPECT_FALSE(v.pass);
  ASSERT_GE(v.checks.size(), 2u);
  EXPECT_EQ(v.checks[0].objective, "rto_ms");
  EXPECT_FALSE(v.checks[0].pass);
  EXPECT_EQ(v.checks[0].detail, r.detail);
  EXPECT_EQ(v.checks[1].objective, "rto_from_heal_ms");
  EXPECT_FALSE(v.checks[1].pass);
  EXPECT_EQ(v.checks[1].detail, r.detail);
}

TEST(Rto, AFaultOnWorkersOnlyPassesWhenNoRtoObjectiveIsDeclared) {
  const Verdict v = evaluate(history_from(worker_kill(Json::object()).events()));
  EXPECT_FALSE(v.rto.applicable);
  EXPECT_TRUE(v.pass);
}

TEST(Rto, MeasuredFromTheFirstFaultThatReachesACoordinator) {
  // A worker kill at 1000 ms, then leader c1 killed at 2000 ms: recovery is
  // counted from the leader kill, as in clean_recovery().
  JournalBuilder b = clean_recovery();
  b.worker_start(0, "w1").fault_on(1000, 0, "kill", "w1").worker_exit(1000, "w1");
  const History h = history_from(b.events());
  ASSERT_EQ(h.faults.size(), 2u);
  const RtoResult r = measure_rto(h);
  ASSERT_TRUE(r.applicable);
  EXPECT_EQ(r.fault_ns, testing::ms_ns(2000));
  EXPECT_EQ(r.fault_term, 1);
  ASSERT_TRUE(r.rto_ms.has_value());
  EXPECT_DOUBLE_EQ(*r.rto_ms, 510.0);
}

TEST(Rto, MeasuredFromTheOutageThatFollowsADegradation) {
  // Links of c1 limited to a rate at 1000 ms (writes go on), then c1 killed
  // at 2000 ms: recovery counts from the kill, as in clean_recovery(); the
  // degradation is the kill's setting (replicas lagging behind it).
  JournalBuilder b = clean_recovery();
  b.event(1000, "fault.inject",
          {{"fault", 1}, {"fault_kind", "bandwidth"}, {"effect", "degraded"}, {"selector", "leader"},
           {"targets", {"c1"}}, {"params", Json::object()}, {"applied", "rate 50 kB/s"}, {"confirmed", "in force"}});
  const History h = history_from(b.events());
  ASSERT_EQ(h.faults.size(), 2u);
  const RtoResult r = measure_rto(h);
  EXPECT_EQ(r.fault_ns, testing::ms_ns(2000));
  ASSERT_TRUE(r.rto_ms.has_value());
  EXPECT_DOUBLE_EQ(*r.rto_ms, 510.0);
}

TEST(Rto, MeasuredFromTheFirstDegradationWhenNothingIsTakenDown) {
  JournalBuilder b;
  b.run(1000.0, std::nullopt).puts(0, 5000, 100, 10);
  for (int k = 0; k < 2; ++k) {
    b.event(1000.0 + 1000 * k, "fault.inject",
            {{"fault", k}, {"fault_kind", "latency"}, {"effect", "degraded"}, {"selector", "leader"},
             {"targets", {"c1"}}, {"params", Json::object()}, {"applied", "delay"}, {"confirmed", "in force"}});
  }
  b.event(6000, "phase", {{"phase", "done"}});
  const RtoResult r = measure_rto(history_from(b.events()));
  EXPECT_EQ(r.fault_ns, testing::ms_ns(1000));
}

TEST(Rto, SlowAcknowledgedWriteIsBadAndDelaysRecovery) {
  JournalBuilder b = clean_recovery();
  // Acknowledged but over max_latency_ms (500): the steady state does not
  // hold while it is in flight, so t_r moves past its completion at 3200.
  b.put("slow", "ks", "vs", 2600, 3200.0);
  const RtoResult r = measure_rto(history_from(b.events()));
  ASSERT_TRUE(r.rto_ms.has_value());
  EXPECT_DOUBLE_EQ(*r.rto_ms, 1210.0);  // the write invoked at 3200, acked at 3210
}

TEST(Rto, NeverRecoveredIsNullAndFailsTheObjective) {
  JournalBuilder b;
  b.run(1000.0, std::nullopt).puts(0, 2000, 100, 10).fault(2000, 1).puts(2000, 6000, 100, 10, "fail");
  const History h = history_from(b.events());
  const RtoResult r = measure_rto(h);
  EXPECT_FALSE(r.rto_ms.has_value());
  EXPECT_FALSE(r.recovery_ns.has_value());
  EXPECT_FALSE(r.parts.first_ack_ms.has_value());

  const Verdict v = evaluate(h);
  EXPECT_FALSE(v.pass);
  EXPECT_EQ(v.exit_code, 1);
  ASSERT_EQ(v.checks.size(), 5u);  // rto_ms and the four built-in election checks
  EXPECT_EQ(v.checks[0].objective, "rto_ms");
  EXPECT_FALSE(v.checks[0].pass);
  EXPECT_EQ(v.checks[0].detail, "did not recover within the run");
  EXPECT_EQ(v.failed, std::vector<std::string>{"rto_ms"});
}

TEST(Rto, WindowMustEndWithinTheRun) {
  JournalBuilder b;
  // Writes resume at 4500 but the run ends at 5010: a 1000 ms window does not fit.
  b.run(1000.0, std::nullopt).puts(0, 2000, 100, 10).fault(2000, 1).puts(2000, 4500, 100, 10, "fail")
      .puts(4500, 5000, 100, 10);
  EXPECT_FALSE(measure_rto(history_from(b.events())).rto_ms.has_value());
}

TEST(Rto, SilentPeriodIsNotStable) {
  JournalBuilder b;
  // One acknowledged write after the fault, then no traffic at all.
  b.run(1000.0, std::nullopt).puts(0, 2000, 100, 10).fault(2000, 1).put("only", "k", "v", 2500, 2510.0)
      .event(8000, "phase", {{"phase", "done"}});
  const RtoResult r = measure_rto(history_from(b.events()));
  EXPECT_FALSE(r.rto_ms.has_value());
  ASSERT_TRUE(r.parts.first_ack_ms.has_value());
  EXPECT_DOUBLE_EQ(*r.parts.first_ack_ms, 510.0);
}

TEST(Rto, WriteThatNeverCompletedBlocksUntilTheEnd) {
  JournalBuilder b = clean_recovery();
  // Unknown until the end of the run (6000 ms): no window after 2500 is clean.
  b.put("lost-reply", "kx", "vx", 2700, std::nullopt);
  const History h = history_from(b.events());
  const auto op = std::find_if(h.ops.begin(), h.ops.end(), [](const Op& o) { return o.id == "lost-reply"; });
  ASSERT_NE(op, h.ops.end());
  EXPECT_FALSE(op->completed);
  EXPECT_EQ(op->result, OpResult::unknown);
  EXPECT_EQ(op->complete_ns, h.end_ns);
  EXPECT_FALSE(measure_rto(h).rto_ms.has_value());
}

TEST(Rto, NoFaultMeansNotMeasured) {
  JournalBuilder b;
  b.run(1000.0, std::nullopt).puts(0, 3000, 100, 10);
  const Verdict v = evaluate(history_from(b.events()));
  EXPECT_FALSE(v.rto.rto_ms.has_value());
  ASSERT_FALSE(v.checks.empty());
  EXPECT_FALSE(v.checks[0].pass);
  EXPECT_NE(v.checks[0].detail.find("no fault"), std::string::npos);
}

TEST(Rto, ObjectiveDetailSaysByHowMuch) {
  RtoResult r;
  r.rto_ms = 1834.2;
  const CheckResult c = check_rto(r, 1.0);
  EXPECT_FALSE(c.pass);
  EXPECT_EQ(c.detail, "RTO 1834.2 ms exceeds the objective of 1 ms by 1833.2 ms");
  const CheckResult ok = check_rto(r, 2000.0);
  EXPECT_TRUE(ok.pass);
  EXPECT_EQ(ok.detail, "RTO 1834.2 ms within the objective of 2000 ms");
}

TEST(Rto, ObjectiveFailsOnMeasuredHistory) {
  JournalBuilder b = clean_recovery();
  b.run(100.0, std::nullopt);  // a later run event replaces the objectives
  const Verdict v = evaluate(history_from(b.events()));
  ASSERT_FALSE(v.checks.empty());
  EXPECT_EQ(v.checks[0].detail, "RTO 510 ms exceeds the objective of 100 ms by 410 ms");
  EXPECT_FALSE(v.pass);
}

// Writes every 100 ms taking 10 ms; c1 partitioned away at 2000 ms; writes
// invoked 2000..2400 fail; writes from 2500 succeed (t_r = 2510 ms).
JournalBuilder partition(const Json& objectives, std::optional<double> heal_ms) {
  JournalBuilder b;
  b.run_with(objectives).puts(0, 2000, 100, 10).fault_on(2000, 0, "partition", "c1");
  b.puts(2000, 2500, 100, 10, "fail").puts(2500, 5000, 100, 10).event(6000, "phase", {{"phase", "done"}});
  if (heal_ms) b.heal_of(*heal_ms, 0, "partition", "c1");
  return b;
}

TEST(RtoFromHeal, MeasuredFromTheHealOfAPartition) {
  const History h = history_from(partition({{"rto_from_heal_ms", 200}}, 2300.0).events());
  const RtoResult r = measure_rto(h);
  ASSERT_TRUE(r.rto_ms && r.from_heal_ms);
  EXPECT_DOUBLE_EQ(*r.rto_ms, 510.0);
  EXPECT_EQ(r.heal_ns, testing::ms_ns(2300));
  EXPECT_DOUBLE_EQ(*r.from_heal_ms, 210.0);

  const Verdict v = evaluate(h);
  EXPECT_FALSE(v.pass);
  ASSERT_FALSE(v.checks.empty());
  EXPECT_EQ(v.checks[0].objective, "rto_from_heal_ms");
  EXPECT_EQ(v.checks[0].detail, "RTO from the heal 210 ms exceeds the objective of 200 ms by 10 ms");
  EXPECT_EQ(v.failed, std::vector<std::string>{"rto_from_heal_ms"});
}

TEST(RtoFromHeal, RecoveryBeforeTheHealCountsAsZero) {
  const History h = history_from(partition({{"rto_from_heal_ms", 0}, {"rto_ms", 600}}, 4000.0).events());
  const Verdict v = evaluate(h);
  ASSERT_TRUE(v.rto.from_heal_ms.has_value());
  EXPECT_DOUBLE_EQ(*v.rto.from_heal_ms, 0.0);
  ASSERT_EQ(v.checks.size(), 6u);
  EXPECT_EQ(v.checks[0].objective, "rto_ms");
  EXPECT_EQ(v.checks[1].objective, "rto_from_heal_ms");
  EXPECT_TRUE(v.pass);
}

TEST(RtoFromHeal, NeverHealedIsNotMeasuredAndFails) {
  const History h = history_from(partition({{"rto_from_heal_ms", 1000}}, std::nullopt).events());
  const Verdict v = evaluate(h);
  EXPECT_TRUE(v.rto.rto_ms.has_value());
  EXPECT_FALSE(v.rto.heal_ns.has_value());
  EXPECT_FALSE(v.rto.from_heal_ms.has_value());
  ASSERT_FALSE(v.checks.empty());
  EXPECT_EQ(v.checks[0].objective, "rto_from_heal_ms");
  EXPECT_FALSE(v.checks[0].pass);
  EXPECT_EQ(v.checks[0].detail, "the fault was never healed");
}

TEST(RtoFromHeal, HealedButNeverRecovered) {
  JournalBuilder b;
  b.run_with({{"rto_from_heal_ms", 1000}}).puts(0, 2000, 100, 10).fault_on(2000, 0, "partition", "c1");
  b.puts(2000, 6000, 100, 10, "fail").heal_of(3000, 0, "partition", "c1");
  const RtoResult r = measure_rto(history_from(b.events()));
  EXPECT_EQ(r.heal_ns, testing::ms_ns(3000));
  EXPECT_FALSE(r.from_heal_ms.has_value());
  EXPECT_EQ(r.from_heal_detail, "did not recover within the run");
}

}  // namespace
}  // namespace faultline::verify
