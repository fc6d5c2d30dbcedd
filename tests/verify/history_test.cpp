#include <gtest/gtest.h>

#include "drills/verify/elections.hpp"
#include "drills/verify/history.hpp"
#include "drills/verify/objectives.hpp"
#include "drills/verify/workload.hpp"
#include "tests/verify/journal_builder.hpp"

namespace faultline::verify {
namespace {

using testing::JournalBuilder;

TEST(History, SortsByTimeMatchesOpsAndReportsBadEvents) {
  JournalBuilder b;
  b.event(300, "op.complete", {{"op", 7}, {"f", "put"}, {"key", "k"}, {"value", "v"}, {"result", "ok"}})
      .event(100, "op.invoke", {{"op", 7}, {"f", "put"}, {"key", "k"}, {"value", "v"}})
      .event(400, "op.complete", {{"op", "nobody"}, {"result", "ok"}})
      .fault(150, 3)
      .heal(250);
  std::vector<Json> events = b.events();
  events.push_back(Json{{"kind", "note"}});  // no t_ns
  const History h = history_from(events);
  ASSERT_EQ(h.ops.size(), 1u);
  EXPECT_EQ(h.ops[0].id, "7");
  EXPECT_EQ(h.ops[0].result, OpResult::ok);
  EXPECT_DOUBLE_EQ(h.ops[0].latency_ms(), 200.0);
  ASSERT_EQ(h.faults.size(), 1u);
  EXPECT_EQ(h.faults[0].heal_ns, testing::ms_ns(250));
  EXPECT_EQ(h.faults[0].term, 3);
  EXPECT_EQ(h.fault_ns(), testing::ms_ns(150));
  EXPECT_EQ(h.end_ns, testing::ms_ns(400));
  EXPECT_EQ(h.warnings.size(), 2u);
}

TEST(History, ReadsPlanObjectivesAndDefaults) {
  JournalBuilder b;
  b.run(1500.0, std::nullopt, 2000, 250);
  History h = history_from(b.events());
  EXPECT_EQ(h.plan.name, "leader-kill");
  EXPECT_EQ(h.plan.seed, "42");
  EXPECT_EQ(h.plan.rto_ms, 1500.0);
  EXPECT_FALSE(h.plan.rpo_writes.has_value());
  EXPECT_DOUBLE_EQ(h.plan.stability_window_ms, 2000.0);
  EXPECT_DOUBLE_EQ(h.plan.max_latency_ms, 250.0);

  h = history_from({Json{{"t_ns", 0}, {"kind", "run"}, {"plan", Json::object()}}});
  EXPECT_DOUBLE_EQ(h.plan.stability_window_ms, kDefaultStabilityWindowMs);
  EXPECT_FALSE(h.plan.rto_ms.has_value());
}

TEST(Elections, TwoLeadersInOneTermFailElectionSafety) {
  JournalBuilder b;
  b.run(std::nullopt, std::nullopt)
      .sample(100, "c1", "leader", 1)
      .sample(100, "c2", "follower", 1)
      .sample(900, "c2", "leader", 2)
      .sample(950, "c3", "leader", 2)
      .sample(990, "c3", "leader", 2);
  const Verdict v = evaluate(history_from(b.events()));
  EXPECT_EQ(v.elections.elections, 2u);
  EXPECT_EQ(v.elections.split_terms, std::vector<std::int64_t>{2});
  EXPECT_EQ(v.elections.leaders_per_term.at(2), (std::vector<std::string>{"c2", "c3"}));
  ASSERT_EQ(v.checks.size(), 4u);  // the built-in election checks
  EXPECT_EQ(v.checks[0].objective, "election_safety");
  EXPECT_FALSE(v.checks[0].pass);
  EXPECT_EQ(v.checks[0].detail, "1 term(s) with more than one leader: term 2 (c2, c3)");
  EXPECT_FALSE(v.pass);
  EXPECT_EQ(v.exit_code, 1);
}

TEST(Elections, OneLeaderPerTermPasses) {
  JournalBuilder b;
  // The change of leader comes after a fault, as stable_leadership requires.
  b.sample(100, "c1", "leader", 1).fault(800, 1).sample(900, "c2", "leader", 2).sample(950, "c2", "leader", 2);
  const Verdict v = evaluate(history_from(b.events()));
  EXPECT_TRUE(v.pass);
  EXPECT_EQ(v.elections.elections, 2u);
}

TEST(Workload, BucketsTotalsAndBaselinePercentiles) {
  JournalBuilder b;
  // Baseline latencies 1..10 ms, then the fault, then two failures.
  for (int i = 1; i <= 10; ++i) {
    b.put("w" + std::to_string(i), "k", "v", 10.0 * i, 10.0 * i + i);
  }
  b.fault(150, 1).put("f1", "k", "v", 160, 170.0, "fail").put("u1", "k", "v", 180, 250.0, "unknown");
  b.event(260, "op.invoke", {{"op", "g"}, {"f", "get"}, {"key", "k"}});
  const WorkloadStats w = measure_workload(history_from(b.events()));
  EXPECT_EQ(w.ok, 10u);
  EXPECT_EQ(w.fail, 1u);
  EXPECT_EQ(w.unknown, 2u);  // the get never completed
  ASSERT_EQ(w.acked_writes.size(), 3u);  // 0..100, 100..200, 200..260 ms
  EXPECT_EQ(w.acked_writes[0], 9u);      // completions at 11..99 ms
  EXPECT_EQ(w.acked_writes[1], 1u);      // 110 ms
  EXPECT_EQ(w.failed_writes[1], 1u);
  EXPECT_EQ(w.failed_writes[2], 1u);
  EXPECT_EQ(w.baseline_writes, 10u);
  EXPECT_EQ(w.baseline_p50_ms, 5.0);
  EXPECT_EQ(w.baseline_p99_ms, 10.0);
}

TEST(Objectives, FormatAndJournalFields) {
  EXPECT_EQ(format_number(1.0), "1");
  EXPECT_EQ(format_number(1833.25), "1833.2");
  EXPECT_EQ(format_number(-0.01), "0");
  const CheckResult c{"rto_ms", std::nullopt, 1000, false, "ms", "did not recover within the run"};
  const Json j = to_json(c);
  EXPECT_TRUE(j["measured"].is_null());
  EXPECT_EQ(j["limit"], 1000.0);
  EXPECT_EQ(j["pass"], false);
}

}  // namespace
}  // namespace faultline::verify
