// Percentile objectives and trials: nearest-rank statistics, unmeasured
// trials ranking last, single-run checks of a percentile objective, the
// suite's verdict and the derived seeds.
#include "drills/verify/trials.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "tests/verify/journal_builder.hpp"

namespace faultline::verify {
namespace {

using testing::JournalBuilder;

TEST(NearestRank, OfTwentyValues) {
  std::vector<std::optional<double>> values;
  for (int i = 1; i <= 20; ++i) values.push_back(i);
  std::shuffle(values.begin(), values.end(), std::mt19937(7));
  const Distribution d = distribution("rto_ms", "ms", values);
  EXPECT_EQ(d.min, 1.0);
  EXPECT_EQ(d.p50, 10.0);  // ceil(0.5 * 20) = 10th
  EXPECT_EQ(d.p90, 18.0);
  EXPECT_EQ(d.p99, 20.0);
  EXPECT_EQ(d.max, 20.0);
  EXPECT_EQ(d.trials, 20u);
  EXPECT_EQ(d.measured, 20u);
}

TEST(NearestRank, AnUnmeasuredTrialRanksAboveEveryValue) {
  const Distribution d = distribution("rto_ms", "ms", {3.0, std::nullopt, 1.0});
  EXPECT_EQ(d.min, 1.0);
  EXPECT_EQ(d.p50, 3.0);          // 2nd of 1, 3, (none)
  EXPECT_EQ(d.max, std::nullopt);  // falls on the unmeasured trial
  EXPECT_EQ(d.measured, 2u);
  EXPECT_EQ(nearest_rank({}, 50), std::nullopt);
}

TEST(TrialSeed, IsSplitMix64SeededWithTheBase) {
  // The reference outputs of splitmix64.c (Vigna) seeded with 1234567.
  EXPECT_EQ(trial_seed(1234567, 1), 6457827717110365317ULL);
  EXPECT_EQ(trial_seed(1234567, 2), 3203168211198807973ULL);
  EXPECT_EQ(trial_seed(1234567, 3), 9817491932198370423ULL);
  EXPECT_NE(trial_seed(42, 1), trial_seed(43, 1));
}

// A run that recovers at 1010 ms after a fault at 1000 ms (RTO 10 ms),
// judged by `objectives`, in `trials` trials.
History recovering_run(const Json& objectives, int trials = 1) {
  JournalBuilder b;
  b.run_with(objectives).puts(0, 3000, 100, 10).fault(1000, 1).heal(1500);
  std::vector<Json> events = b.events();
  if (trials > 1) events[0]["trial"] = Json{{"index", 1}, {"of", trials}};
  return history_from(events);
}

const CheckResult* find(const Verdict& v, const std::string& objective) {
  for (const auto& c : v.checks) {
    if (c.objective == objective) return &c;
  }
  return nullptr;
}

TEST(PercentileObjective, OneRunIsCheckedAgainstItsSingleValue) {
  const History h = recovering_run(Json{{"rto_ms", {{"p50", 500}, {"max", 5}}}});
  ASSERT_EQ(h.plan.percentiles.size(), 2u);
  const Verdict v = evaluate(h);
  const CheckResult* p50 = find(v, "rto_ms.p50");
  const CheckResult* max = find(v, "rto_ms.max");
  ASSERT_NE(p50, nullptr);
  ASSERT_NE(max, nullptr);
  ASSERT_TRUE(v.rto.rto_ms.has_value());
  EXPECT_EQ(p50->measured, v.rto.rto_ms);
  EXPECT_TRUE(p50->pass) << p50->detail;
  EXPECT_FALSE(max->pass) << "a single value above the max limit misses it";
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_EQ(find(v, "rto_ms"), nullptr) << "no plain rto_ms objective was declared";
}

TEST(PercentileObjective, ATrialOfASuiteLeavesItToTheSuite) {
  const Verdict v = evaluate(recovering_run(Json{{"rto_ms", {{"max", 5}}}}, 3));
  EXPECT_EQ(find(v, "rto_ms.max"), nullptr);
  EXPECT_TRUE(v.pass);
}

TrialRecord trial(int index, std::optional<double> rto, int exit_code = 0) {
  TrialRecord t;
  t.index = index;
  t.seed = std::to_string(index);
  t.exit_code = exit_code;
  t.measures = {{"rto_ms", "ms", rto}, {"rpo_writes", "writes", 0.0}};
  return t;
}

PlanFacts facts_with(std::vector<PercentileLimit> limits) {
  PlanFacts p;
  p.name = "leader-kill";
  p.percentiles = std::move(limits);
  return p;
}

TEST(JudgeTrials, PercentilesOverTheTrials) {
  const auto plan = facts_with({{"rto_ms", "p50", 250}, {"rto_ms", "max", 500}});
  const SuiteVerdict v = judge_trials(plan, {trial(1, 100.0), trial(2, 900.0), trial(3, 200.0)}, false);
  ASSERT_EQ(v.checks.size(), 2u);
  EXPECT_EQ(v.checks[0].objective, "rto_ms.p50");
  EXPECT_EQ(v.checks[0].measured, 200.0);
  EXPECT_TRUE(v.checks[0].pass);
  EXPECT_EQ(v.checks[1].objective, "rto_ms.max");
  EXPECT_EQ(v.checks[1].measured, 900.0);
  EXPECT_FALSE(v.checks[1].pass);
  EXPECT_NE(v.checks[1].detail.find("exceeds the objective of 500 ms by 400 ms"), std::string::npos)
      << v.checks[1].detail;
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_EQ(v.failed, std::vector<std::string>{"rto_ms.max"});
  ASSERT_FALSE(v.distributions.empty());
  EXPECT_EQ(v.distributions[0].name, "rto_ms");
  EXPECT_EQ(v.distributions[0].min, 100.0);
}

TEST(JudgeTrials, AllMetIsZeroAFailedTrialIsOneATrialNotRunIsThree) {
  const auto plan = facts_with({{"rto_ms", "p90", 1000}});
  EXPECT_EQ(judge_trials(plan, {trial(1, 100.0), trial(2, 200.0)}, false).exit_code, 0);
  const SuiteVerdict failed = judge_trials(plan, {trial(1, 100.0), trial(2, 200.0, 1)}, false);
  EXPECT_EQ(failed.exit_code, 1);
  EXPECT_EQ(failed.failed, std::vector<std::string>{"trial-02"});
  TrialRecord not_run;
  not_run.index = 3;
  const SuiteVerdict broken = judge_trials(plan, {trial(1, 100.0), not_run}, false);
  EXPECT_EQ(broken.exit_code, 3);
  EXPECT_EQ(broken.trials_not_run, 1u);
  EXPECT_EQ(judge_trials(plan, {trial(1, 100.0)}, /*interrupted=*/true).exit_code, 3);
}

TEST(JudgeTrials, AStatisticOnAnUnmeasuredTrialFails) {
  const SuiteVerdict v =
      judge_trials(facts_with({{"rto_ms", "max", 1e9}}), {trial(1, 100.0), trial(2, std::nullopt)}, false);
  ASSERT_EQ(v.checks.size(), 1u);
  EXPECT_FALSE(v.checks[0].pass);
  EXPECT_EQ(v.checks[0].measured, std::nullopt);
  EXPECT_NE(v.checks[0].detail.find("1 of 2 not measured"), std::string::npos) << v.checks[0].detail;
}

TEST(Measures, EveryRunHasTheSameNamesInTheSameOrder) {
  const Verdict measured = evaluate(recovering_run(Json::object()));
  const Verdict empty = evaluate(history_from({}));
  const auto a = measures(measured);
  const auto b = measures(empty);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].name, b[i].name);
  EXPECT_EQ(a.front().name, "rto_ms");
  EXPECT_EQ(a.front().value, measured.rto.rto_ms);
  EXPECT_NE(std::find_if(a.begin(), a.end(), [](const Measure& m) { return m.name == "rto_detect_ms"; }), a.end());
}

}  // namespace
}  // namespace faultline::verify
