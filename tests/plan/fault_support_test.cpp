// Faults that cannot act on a plan's members are refused when the plan is
// validated (exit 2), never run as faults that do nothing: a kind the
// topology's members cannot take, a voters-only kind aimed at workers, and
// the objective that expects a loss.
#include <gtest/gtest.h>

#include "drills/plan/plan.hpp"
#include "drills/plan/validate.hpp"
#include "tests/plan/plan_test_util.hpp"

namespace faultline::plan {
namespace {

using testing::joined;
using testing::kBase;
using testing::with;

std::string only_error(const std::string& text) {
  const LoadResult r = parse_plan(text, "p.json");
  EXPECT_FALSE(r.plan);
  EXPECT_EQ(r.errors.size(), 1u) << joined(r);
  return r.errors.empty() ? "" : r.errors[0].to_string();
}

// The faults section read for a topology of kind `kind`.
Issues issues_for(const std::string& kind, const nlohmann::json& faults) {
  FaultContext context;
  context.topology_known = true;
  context.topology_kind = kind;
  context.voters = {"e1", "e2", "e3"};
  context.duration_ms = 8000;
  Issues issues;
  read_faults(&faults, {}, context, issues);
  return issues;
}

TEST(FaultSupport, AClockFaultOnEtcdIsRefusedSayingWhy) {
  const auto issues = issues_for("etcd", nlohmann::json::array(
                                             {{{"kind", "clock"}, {"target", "e1"}, {"offset_ms", 1000}, {"at_ms", 10}}}));
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_NE(issues[0].message.find("cannot act on topology kind etcd"), std::string::npos) << issues[0].message;
  EXPECT_NE(issues[0].message.find("statically linked"), std::string::npos) << issues[0].message;
  // The same fault on the reference cluster is fine.
  EXPECT_TRUE(issues_for("embedded", nlohmann::json::array({{{"kind", "clock"}, {"target", "e1"},
                                                             {"offset_ms", 1000}, {"at_ms", 10}}}))
                  .empty());
}

TEST(FaultSupport, DiskAndPowerLossActOnlyOnTheReferenceCluster) {
  const auto disk = issues_for("etcd", nlohmann::json::array({{{"kind", "disk"}, {"target", "e1"}, {"at_ms", 10}}}));
  ASSERT_EQ(disk.size(), 1u);
  EXPECT_NE(disk[0].message.find("acts only on topology kind embedded"), std::string::npos) << disk[0].message;
  EXPECT_EQ(issues_for("redis-sentinel", nlohmann::json::array({{{"kind", "power_loss"}, {"at_ms", 10}}})).size(), 1u);
}

TEST(FaultSupport, AVotersOnlyKindAimedAtWorkersIsRefused) {
  const std::string plan = with(with(kBase, R"("coordinators": 3 })", R"("coordinators": 3, "workers": 2 })"),
                                R"({ "kind": "kill", "target": "leader", "at_ms": 2500 })",
                                R"({ "kind": "disk", "target": "w1", "at_ms": 2500 })");
  EXPECT_EQ(only_error(plan),
            "p.json:6: $.faults[0].target: a disk fault acts on voters only (c1, c2, c3); \"w1\" names workers");
}

TEST(FaultSupport, MinLostWritesIsAtLeastOneAndRoundTrips) {
  EXPECT_NE(only_error(with(kBase, R"("rto_ms": 3000)", R"("min_lost_writes": 0)")).find("$.objectives.min_lost_writes"),
            std::string::npos);
  const LoadResult r = parse_plan(with(kBase, R"("rto_ms": 3000)", R"("min_lost_writes": 5)"), "p.json");
  ASSERT_TRUE(r.plan) << joined(r);
  EXPECT_EQ(r.plan->objectives.min_lost_writes, 5);
  EXPECT_EQ(to_json(*r.plan)["objectives"]["min_lost_writes"], 5);
}

TEST(FaultSupport, EveryBundledDrillOfTheNewKindsIsValid) {
  for (const char* name : {"rolling-restart", "crash-loop-follower", "clock-drift-leader", "slow-fsync-leader",
                           "fail-fsync-follower", "power-loss-lying-fsync", "cpu-pressure"}) {
    const LoadResult r = load_plan(std::string(FAULTLINE_SOURCE_DIR) + "/drills/library/" + name + ".json", {});
    EXPECT_TRUE(r.plan) << name << ": " << joined(r);
  }
}

}  // namespace
}  // namespace faultline::plan
