// Objectives written as percentiles: read into the model, written back,
// and every mistake named by its path.
#include <gtest/gtest.h>

#include "drills/plan/plan.hpp"
#include "tests/plan/plan_test_util.hpp"

namespace faultline::plan {
namespace {

using testing::joined;
using testing::kBase;
using testing::with;

const std::string kRto = R"("rto_ms": 3000)";

std::string only_error(const std::string& text) {
  const LoadResult r = parse_plan(text, "p.json");
  EXPECT_FALSE(r.plan);
  EXPECT_EQ(r.errors.size(), 1u) << joined(r);
  return r.errors.empty() ? "" : r.errors[0].to_string();
}

TEST(PercentileObjectives, AreReadIntoTheModel) {
  const LoadResult r =
      parse_plan(with(kBase, kRto, R"("rto_ms": {"p50": 500, "max": 1500}, "rpo_writes": {"p99": 2})"), "p.json");
  ASSERT_TRUE(r.plan) << joined(r);
  const Objectives& o = r.plan->objectives;
  EXPECT_FALSE(o.rto_ms.has_value()) << "a percentile objective has no plain limit";
  ASSERT_EQ(o.percentiles.count("rto_ms"), 1u);
  EXPECT_EQ(o.percentiles.at("rto_ms").p50, 500.0);
  EXPECT_EQ(o.percentiles.at("rto_ms").max, 1500.0);
  EXPECT_FALSE(o.percentiles.at("rto_ms").p90.has_value());
  EXPECT_EQ(o.percentiles.at("rpo_writes").p99, 2.0);
}

TEST(PercentileObjectives, SurviveToJsonAndBack) {
  const LoadResult r = parse_plan(with(kBase, kRto, R"("rto_ms": {"p90": 700.5}, "calls_lost": {"max": 3})"), "p");
  ASSERT_TRUE(r.plan) << joined(r);
  const nlohmann::json written = to_json(*r.plan);
  EXPECT_EQ(written["objectives"]["rto_ms"], (nlohmann::json{{"p90", 700.5}}));
  EXPECT_EQ(written["objectives"]["calls_lost"], (nlohmann::json{{"max", 3}}));
  const LoadResult again = parse_plan(written.dump(), "again");
  ASSERT_TRUE(again.plan) << joined(again);
  EXPECT_EQ(*again.plan, *r.plan);
}

TEST(PercentileObjectives, SetFromTheCommandLine) {
  const LoadResult r = parse_plan(kBase, "p.json", {"objectives.rto_ms={\"p50\": 400}"});
  ASSERT_TRUE(r.plan) << joined(r);
  EXPECT_EQ(r.plan->objectives.percentiles.at("rto_ms").p50, 400.0);
}

TEST(PercentileObjectives, MistakesNameTheirPath) {
  EXPECT_EQ(only_error(with(kBase, kRto, R"("rto_ms": {"p95": 500})")).rfind(
                "p.json:8: $.objectives.rto_ms.p95: unknown field \"p95\"", 0),
            0u);
  EXPECT_EQ(only_error(with(kBase, kRto, R"("rto_ms": {"p50": -1})")),
            "p.json:8: $.objectives.rto_ms.p50: must not be negative, got -1");
  EXPECT_EQ(only_error(with(kBase, kRto, R"("rpo_writes": {"max": 0.5})")),
            "p.json:8: $.objectives.rpo_writes.max: expected an integer, found number 0.5");
  EXPECT_NE(only_error(with(kBase, kRto, R"("rto_ms": {})")).find("$.objectives.rto_ms: give a limit as a number, "
                                                                  "or percentiles"),
            std::string::npos);
  EXPECT_EQ(only_error(with(kBase, kRto, R"("linearizable": {"p50": 1})")),
            "p.json:8: $.objectives.linearizable: expected true or false, found object");
}

}  // namespace
}  // namespace faultline::plan
