// The redis-sentinel topology: its defaults, its members (servers as voters,
// sentinels named by id), and the checks between its fields.
#include <gtest/gtest.h>

#include "drills/plan/plan.hpp"
#include "tests/plan/plan_test_util.hpp"

namespace faultline::plan {
namespace {

using testing::joined;
using testing::kBase;
using testing::with;

std::string redis_plan(const std::string& topology, const std::string& target = "leader") {
  return with(with(kBase, R"({ "kind": "embedded", "coordinators": 3 })", topology), R"("target": "leader")",
              R"("target": ")" + target + R"(")");
}

TEST(PlanRedis, DefaultsAreFilledInAndWrittenBack) {
  const LoadResult r = parse_plan(redis_plan(R"({ "kind": "redis-sentinel" })"), "p.json");
  ASSERT_TRUE(r.plan) << joined(r);
  const Topology& t = r.plan->topology;
  EXPECT_EQ(t.kind, "redis-sentinel");
  EXPECT_EQ(t.coordinators, 3);  // the servers
  EXPECT_EQ(t.options.value("replicas", 0), 2);
  EXPECT_EQ(t.options.value("sentinels", 0), 3);
  EXPECT_EQ(t.options.value("quorum", 0), 2);
  EXPECT_EQ(t.options.value("down_after_ms", 0), 1000);
  EXPECT_EQ(t.options.value("failover_timeout_ms", 0), 5000);
  EXPECT_EQ(t.options.value("min_replicas_to_write", -1), 0);
  EXPECT_EQ(t.options.value("min_replicas_max_lag_s", 0), 10);
  EXPECT_EQ(t.options.value("wait_replicas", -1), 0);
  EXPECT_EQ(t.options.value("wait_timeout_ms", 0), 100);
  const nlohmann::json written = to_json(*r.plan)["topology"];
  EXPECT_EQ(written.value("kind", ""), "redis-sentinel");
  EXPECT_EQ(written.value("quorum", 0), 2);
  EXPECT_FALSE(written.contains("coordinators"));
  const LoadResult again = parse_plan(to_json(*r.plan).dump(), "again.json");
  ASSERT_TRUE(again.plan) << joined(again);
  EXPECT_EQ(*again.plan, *r.plan);
}

TEST(PlanRedis, ServersVoteAndSentinelsAreNamedById) {
  const auto ids = member_ids(parse_plan(redis_plan(R"({ "kind": "redis-sentinel", "replicas": 3, "sentinels": 5 })"),
                                         "p.json").plan->topology);
  EXPECT_EQ(ids.voters, (std::vector<std::string>{"r1", "r2", "r3", "r4"}));
  EXPECT_TRUE(ids.workers.empty());
  EXPECT_EQ(ids.others, (std::vector<std::string>{"s1", "s2", "s3", "s4", "s5"}));
  EXPECT_TRUE(parse_plan(redis_plan(R"({ "kind": "redis-sentinel" })", "s2"), "p.json").plan);
  EXPECT_TRUE(parse_plan(redis_plan(R"({ "kind": "redis-sentinel" })", "r3"), "p.json").plan);
  const LoadResult wrong = parse_plan(redis_plan(R"({ "kind": "redis-sentinel" })", "c1"), "p.json");
  ASSERT_FALSE(wrong.plan);
  EXPECT_NE(joined(wrong).find("r1, r2, r3"), std::string::npos) << joined(wrong);
}

TEST(PlanRedis, FieldsAreCheckedAgainstEachOther) {
  const LoadResult quorum = parse_plan(redis_plan(R"({ "kind": "redis-sentinel", "quorum": 4 })"), "p.json");
  EXPECT_NE(joined(quorum).find("$.topology.quorum: must not exceed the number of sentinels (3), got 4"),
            std::string::npos)
      << joined(quorum);
  const LoadResult wait = parse_plan(redis_plan(R"({ "kind": "redis-sentinel", "wait_replicas": 3 })"), "p.json");
  EXPECT_NE(joined(wait).find("$.topology.wait_replicas: must not exceed the number of replicas (2), got 3"),
            std::string::npos)
      << joined(wait);
  const LoadResult embedded_field =
      parse_plan(redis_plan(R"({ "kind": "redis-sentinel", "coordinators": 3 })"), "p.json");
  EXPECT_NE(joined(embedded_field).find("unknown field \"coordinators\""), std::string::npos) << joined(embedded_field);
}

}  // namespace
}  // namespace faultline::plan
