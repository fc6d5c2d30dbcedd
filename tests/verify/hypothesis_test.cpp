// The declared steady state over hand-made journals: RTO follows the
// declared probes (a slow probe, not the writes, decides it), tolerance
// forgives a short blip, a probe failing before the fault gives exit 4, and
// the whole-workload objectives and expect.fail decide the verdict.
#include <gtest/gtest.h>

#include "drills/verify/objectives.hpp"
#include "tests/verify/journal_builder.hpp"

namespace faultline::verify {
namespace {

using testing::Json;
using testing::JournalBuilder;

// Writes every 100 ms taking 10 ms; the fault at 2000 ms; writes fail until
// 2500 ms; `probes` and `objectives` declared in the plan.
JournalBuilder journal(const Json& probes, const Json& objectives = Json::object(), const Json& expect = Json()) {
  JournalBuilder b;
  Json plan{{"objectives", objectives},
            {"steady_state", {{"stability_window_ms", 1000}, {"max_latency_ms", 500}, {"sample_ms", 50}, {"probes", probes}}}};
  if (!expect.is_null()) plan["expect"] = expect;
  b.event(0, "run", {{"plan_name", "h"}, {"seed", 1}, {"plan", plan}});
  b.sample(100, "c1", "leader", 1, 50.0).puts(0, 2000, 100, 10).fault(2000, 1).puts(2000, 2500, 100, 10, "fail");
  b.sample(2400, "c2", "leader", 2, 2300.0).puts(2500, 8000, 100, 10);
  return b;
}

Json http_samples_failing_until(JournalBuilder& b, double until_ms) {
  for (double t = 100; t < 8000; t += 50) {
    const bool pass = t < 2000 || t >= until_ms;
    b.event(t, "probe", {{"name", "health"}, {"pass", pass}, {"value", pass ? 200 : 503}});
  }
  return Json();
}

const CheckResult* find(const Verdict& v, const std::string& objective) {
  for (const auto& c : v.checks) {
    if (c.objective == objective) return &c;
  }
  return nullptr;
}

TEST(Hypothesis, WithoutProbesTheWritesDecide) {
  auto b = journal(Json::array());
  const Verdict v = evaluate(history_from(b.events()));
  ASSERT_TRUE(v.rto.rto_ms);
  EXPECT_FALSE(v.rto.by_probes);
  EXPECT_NEAR(*v.rto.rto_ms, 510, 1);  // the first good write after 2500 completes at 2510
}

TEST(Hypothesis, ASlowProbeNotTheWritesDecidesTheRto) {
  auto b = journal(Json::array({{{"name", "ok"}, {"kind", "success_rate"}, {"min", 0.9}, {"window_ms", 500}, {"when", {"continuous"}}},
                                {{"name", "health"}, {"kind", "http"}, {"when", {"continuous"}}}}));
  http_samples_failing_until(b, 4000);
  const Verdict v = evaluate(history_from(b.events()));
  ASSERT_TRUE(v.rto.rto_ms) << v.rto.detail;
  EXPECT_TRUE(v.rto.by_probes);
  EXPECT_EQ(v.rto.held_back_by, "health");
  EXPECT_NEAR(*v.rto.rto_ms, 2000, 1);  // health holds again at 4000 ms
}

TEST(Hypothesis, TheSuccessRateAloneRecoversWithItsWindow) {
  auto b = journal(Json::array({{{"name", "ok"}, {"kind", "success_rate"}, {"min", 0.9}, {"window_ms", 500}, {"when", {"continuous"}}}}));
  const Verdict v = evaluate(history_from(b.events()));
  ASSERT_TRUE(v.rto.rto_ms);
  EXPECT_EQ(v.rto.held_back_by, "ok");
  // Failing writes complete 2010..2410; the 500 ms window is clean of them
  // once it starts after 2410, at the first 50 ms grid point past 2910 ms
  // where >= 90 % of its writes are ok.
  EXPECT_GT(*v.rto.rto_ms, 800);
  EXPECT_LT(*v.rto.rto_ms, 1000);
}

TEST(Hypothesis, ToleranceForgivesAShortBlip) {
  auto probes = Json::array({{{"name", "health"}, {"kind", "http"}, {"when", {"continuous"}}, {"tolerance_ms", 200}}});
  auto b = journal(probes);
  for (double t = 100; t < 8000; t += 50) {
    const bool pass = !(t >= 2000 && t < 2100);  // two failed samples: 100 ms
    b.event(t, "probe", {{"name", "health"}, {"pass", pass}});
  }
  const Verdict v = evaluate(history_from(b.events()));
  ASSERT_TRUE(v.rto.rto_ms);
  EXPECT_NEAR(*v.rto.rto_ms, 0, 1);
}

TEST(Hypothesis, AProbeFailingBeforeTheFaultMeansExitFour) {
  auto b = journal(Json::array({{{"name", "health"}, {"kind", "http"}, {"when", {"before", "continuous"}}}}));
  for (double t = 100; t < 8000; t += 50) b.event(t, "probe", {{"name", "health"}, {"pass", t > 1500}});
  const Verdict v = evaluate(history_from(b.events()));
  const CheckResult* before = find(v, "steady_state_before");
  ASSERT_NE(before, nullptr);
  EXPECT_FALSE(before->pass);
  EXPECT_NE(before->detail.find("not healthy before any fault"), std::string::npos);
  EXPECT_EQ(v.exit_code, kNotHealthyBeforeExitCode);
}

TEST(Hypothesis, WholeWorkloadObjectivesFailOnPurpose) {
  // 5 of 80 writes fail: 93.75 %.
  auto b = journal(Json::array(), {{"min_success_rate", 0.99}, {"max_p99_ms", 5}, {"rpo_ms", 100}});
  b.readback(9000, "k-p0", false, "");  // an acknowledged write lost
  const Verdict v = evaluate(history_from(b.events()));
  ASSERT_NE(find(v, "min_success_rate"), nullptr);
  EXPECT_FALSE(find(v, "min_success_rate")->pass);
  EXPECT_NEAR(*find(v, "min_success_rate")->measured, 75.0 / 80.0, 1e-9);
  EXPECT_FALSE(find(v, "max_p99_ms")->pass);  // every write took 10 ms
  EXPECT_FALSE(find(v, "rpo_ms")->pass);      // the lost write was acknowledged 1990 ms before the fault
  EXPECT_NEAR(*find(v, "rpo_ms")->measured, 1990, 1);
  EXPECT_EQ(v.exit_code, 1);
}

TEST(Hypothesis, ExpectFailPassesOnlyWhenTheNamedChecksFail) {
  auto failing = journal(Json::array(), {{"max_p99_ms", 5}}, {{"fail", {"max_p99_ms"}}});
  const Verdict v = evaluate(history_from(failing.events()));
  EXPECT_TRUE(v.pass) << "the demonstrated failure happened";
  EXPECT_TRUE(find(v, "max_p99_ms")->expected_to_fail);
  auto passing = journal(Json::array(), {{"max_p99_ms", 50}}, {{"fail", {"max_p99_ms"}}});
  const Verdict w = evaluate(history_from(passing.events()));
  EXPECT_FALSE(w.pass) << "the demonstration did not happen";
  EXPECT_EQ(w.failed, std::vector<std::string>{"max_p99_ms"});
}

}  // namespace
}  // namespace faultline::verify
