// --set overrides: path syntax, value parsing, and how errors name them.
#include "drills/plan/overrides.hpp"

#include <gtest/gtest.h>

#include "drills/plan/plan.hpp"
#include "tests/plan/plan_test_util.hpp"

namespace faultline::plan {
namespace {

using nlohmann::json;
using testing::joined;
using testing::kBase;

TEST(Overrides, SetsNestedValuesParsedAsJson) {
  json doc = json::parse(kBase);
  EXPECT_TRUE(apply_override(doc, "objectives.rto_ms=1").ok);
  EXPECT_EQ(doc["objectives"]["rto_ms"], 1);
  EXPECT_TRUE(apply_override(doc, "faults[0].target=follower").ok);
  EXPECT_EQ(doc["faults"][0]["target"], "follower");
  EXPECT_TRUE(apply_override(doc, "faults[0].target=\"c2\"").ok);
  EXPECT_EQ(doc["faults"][0]["target"], "c2");
  EXPECT_TRUE(apply_override(doc, "topology.election_timeout_ms=[100,200]").ok);
  EXPECT_EQ(doc["topology"]["election_timeout_ms"], json::array({100, 200}));
  EXPECT_TRUE(apply_override(doc, "steady_state.max_latency_ms=250").ok);  // creates the object
  EXPECT_EQ(doc["steady_state"]["max_latency_ms"], 250);
  EXPECT_TRUE(apply_override(doc, "description=").ok);
  EXPECT_EQ(doc["description"], "");
}

TEST(Overrides, IndexMayAppendOneElement) {
  json doc = json::parse(kBase);
  const OverrideResult r =
      apply_override(doc, R"(faults[1]={"kind":"kill","target":"c1","at_ms":0})");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(doc["faults"].size(), 2u);
  EXPECT_EQ(r.path, (JsonPath{std::string("faults"), std::size_t{1}}));
  const OverrideResult far = apply_override(doc, "faults[5].at_ms=1");
  EXPECT_FALSE(far.ok);
  EXPECT_EQ(far.error, "$.faults has 2 elements, cannot set [5]");
}

TEST(Overrides, BadStringsLeaveDocumentUnchanged) {
  const json original = json::parse(kBase);
  for (const char* bad : {"objectives.rto_ms", "=1", ".a=1", "a..b=1", "a.=1", "a[x]=1", "a[]=1",
                          "name.first=1", "faults.kind=1", "topology[0]=1", "a b=1"}) {
    json doc = original;
    const OverrideResult r = apply_override(doc, bad);
    EXPECT_FALSE(r.ok) << bad;
    EXPECT_FALSE(r.error.empty()) << bad;
    EXPECT_EQ(doc, original) << bad;
  }
  json doc = original;
  EXPECT_EQ(apply_override(doc, "name.first=1").error,
            "$.name is not an object, cannot set field \"first\"");
  EXPECT_EQ(apply_override(doc, "objectives.rto_ms").error, "expected PATH=VALUE");
}

TEST(Overrides, AppliedBeforeValidation) {
  const LoadResult r = parse_plan(kBase, "p.json", {"objectives.rto_ms=1", "workload.clients=8"});
  ASSERT_TRUE(r.plan) << joined(r);
  EXPECT_EQ(r.plan->objectives.rto_ms, 1.0);
  EXPECT_EQ(r.plan->workload.clients, 8);
  // An override can also fix an invalid file.
  const LoadResult fixed = parse_plan(testing::with(kBase, R"("at_ms": 2500)", R"("at_ms": 9000)"),
                                      "p.json", {"faults[0].at_ms=100"});
  EXPECT_TRUE(fixed.plan) << joined(fixed);
}

TEST(Overrides, BadOverrideIsAnErrorNamingIt) {
  const LoadResult r = parse_plan(kBase, "p.json", {"objectives/rto_ms=1"});
  EXPECT_FALSE(r.plan);
  ASSERT_EQ(r.errors.size(), 1u) << joined(r);
  EXPECT_EQ(r.errors[0].to_string(),
            "p.json: invalid --set \"objectives/rto_ms=1\": expected '.' or '[' at position 11");
}

TEST(Overrides, InvalidOverriddenValueSaysWhereItCameFrom) {
  const LoadResult r = parse_plan(kBase, "p.json", {"faults[0].at_ms=-3"});
  ASSERT_EQ(r.errors.size(), 1u) << joined(r);
  EXPECT_EQ(r.errors[0].to_string(),
            "p.json: $.faults[0].at_ms: must not be negative, got -3 "
            "(set by --set \"faults[0].at_ms=-3\")");
  const LoadResult unknown = parse_plan(kBase, "p.json", {"workload.clinets=2"});
  ASSERT_EQ(unknown.errors.size(), 1u) << joined(unknown);
  EXPECT_EQ(unknown.errors[0].message,
            "unknown field \"clinets\"; did you mean \"clients\"? "
            "(set by --set \"workload.clinets=2\")");
}

}  // namespace
}  // namespace faultline::plan
