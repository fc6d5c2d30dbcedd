// Loading valid plans: the bundled library plan, defaults, round trip, and
// file-level failures.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "drills/plan/plan.hpp"
#include "tests/plan/plan_test_util.hpp"

namespace faultline::plan {
namespace {

using testing::joined;
using testing::kBase;

const std::filesystem::path kLibrary =
    std::filesystem::path(FAULTLINE_SOURCE_DIR) / "drills/library";

TEST(PlanLoad, BundledLeaderKillParses) {
  const LoadResult r = load_plan(kLibrary / "leader-kill.json");
  ASSERT_TRUE(r.plan) << joined(r);
  const Plan& p = *r.plan;
  EXPECT_EQ(p.name, "leader-kill");
  EXPECT_EQ(p.seed, 42u);
  EXPECT_EQ(p.topology.coordinators, 3);
  EXPECT_EQ(p.topology.election_timeout_min_ms, 300);
  EXPECT_EQ(p.topology.election_timeout_max_ms, 600);
  EXPECT_EQ(p.workload.duration_ms, 8000);
  EXPECT_EQ(p.steady_state.max_latency_ms, 500);
  ASSERT_EQ(p.faults.size(), 1u);
  EXPECT_EQ(p.faults[0].kind, "kill");
  EXPECT_EQ(p.faults[0].target, "leader");
  EXPECT_EQ(p.faults[0].at_ms, 2500);
  EXPECT_EQ(p.faults[0].heal_after_ms, 1500);  // written as restart_after_ms, its alias
  EXPECT_EQ(p.objectives.rto_ms, 3000.0);
  EXPECT_EQ(p.objectives.rpo_writes, 0);
  EXPECT_FALSE(r.text.empty());
  EXPECT_NE(r.text.find("\"leader-kill\""), std::string::npos);
}

TEST(PlanLoad, DefaultsAreFilledIn) {
  const LoadResult r = parse_plan(kBase, "base.json");
  ASSERT_TRUE(r.plan) << joined(r);
  const Plan& p = *r.plan;
  EXPECT_EQ(p.description, "");
  EXPECT_FALSE(p.seed.has_value());
  EXPECT_EQ(p.topology.election_timeout_min_ms, 300);
  EXPECT_EQ(p.topology.election_timeout_max_ms, 600);
  EXPECT_EQ(p.topology.heartbeat_ms, 50);
  EXPECT_EQ(p.workload.clients, 4);
  EXPECT_EQ(p.workload.rate_per_s, 200.0);
  EXPECT_EQ(p.workload.max_ops, 4000);
  EXPECT_EQ(p.workload.keys, 0);
  EXPECT_EQ(p.workload.op_timeout_ms, 1000);
  EXPECT_EQ(p.workload.read_ratio, 0.0);
  EXPECT_EQ(p.steady_state.stability_window_ms, 1000);
  EXPECT_EQ(p.steady_state.max_latency_ms, 1000);
  ASSERT_EQ(p.faults.size(), 1u);
  EXPECT_FALSE(p.faults[0].heal_after_ms.has_value());
  EXPECT_FALSE(p.objectives.rpo_writes.has_value());
}

TEST(PlanLoad, MaxLatencyDefaultsToOpTimeout) {
  const std::string text = testing::with(kBase, R"("duration_ms": 8000)",
                                         R"("duration_ms": 8000, "op_timeout_ms": 250)");
  const LoadResult r = parse_plan(text, "p.json");
  ASSERT_TRUE(r.plan) << joined(r);
  EXPECT_EQ(r.plan->steady_state.max_latency_ms, 250);
}

TEST(PlanLoad, OptionalSectionsMayBeAbsentOrEmpty) {
  const LoadResult r = parse_plan(
      R"({"name":"x","topology":{"kind":"embedded"},"workload":{"duration_ms":1},"objectives":{}})",
      "p.json");
  ASSERT_TRUE(r.plan) << joined(r);
  EXPECT_TRUE(r.plan->faults.empty());
  EXPECT_EQ(r.plan->objectives, Objectives{});
}

TEST(PlanLoad, RoundTripsThroughToJson) {
  const LoadResult first = load_plan(kLibrary / "leader-kill.json");
  ASSERT_TRUE(first.plan) << joined(first);
  const nlohmann::json j = to_json(*first.plan);
  EXPECT_EQ(j["steady_state"]["max_latency_ms"], 500);
  const LoadResult second = parse_plan(j.dump(2), "round-trip.json");
  ASSERT_TRUE(second.plan) << joined(second);
  EXPECT_EQ(*second.plan, *first.plan);

  const LoadResult base = parse_plan(kBase, "base.json");
  ASSERT_TRUE(base.plan);
  const nlohmann::json bj = to_json(*base.plan);
  EXPECT_FALSE(bj.contains("seed"));
  ASSERT_EQ(bj.at("faults").size(), 1u);
  EXPECT_FALSE(bj["faults"][0].contains("restart_after_ms"));
  EXPECT_EQ(bj["workload"]["clients"], 4);
  const LoadResult again = parse_plan(bj.dump(), "again.json");
  ASSERT_TRUE(again.plan) << joined(again);
  EXPECT_EQ(*again.plan, *base.plan);
}

TEST(PlanLoad, MissingFileNamesFileAndReason) {
  const std::filesystem::path missing = kLibrary / "no-such-plan.json";
  const LoadResult r = load_plan(missing);
  EXPECT_FALSE(r.plan);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].file, missing.string());
  EXPECT_EQ(r.errors[0].line, 0);
  EXPECT_EQ(r.errors[0].to_string(),
            missing.string() + ": cannot read plan: No such file or directory");
}

TEST(PlanLoad, DirectoryIsNotAPlan) {
  const LoadResult r = load_plan(kLibrary);
  EXPECT_FALSE(r.plan);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].message.find("is a directory"), std::string::npos);
}

TEST(PlanLoad, ReadsFromDisk) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("faultline-plan-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::filesystem::path file = dir / "p.json";
  std::ofstream(file) << testing::with(kBase, R"("at_ms": 2500)", R"("at_ms": -1)");
  const LoadResult r = load_plan(file);
  std::filesystem::remove_all(dir);
  EXPECT_FALSE(r.plan);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].to_string(),
            file.string() + ":6: $.faults[0].at_ms: must not be negative, got -1");
}

TEST(PlanError, FormatLeavesOutUnknownLineAndEmptyPath) {
  EXPECT_EQ((PlanError{"f.json", 3, "$.a", "bad"}).to_string(), "f.json:3: $.a: bad");
  EXPECT_EQ((PlanError{"f.json", 0, "$.a", "bad"}).to_string(), "f.json: $.a: bad");
  EXPECT_EQ((PlanError{"f.json", 2, "", "bad"}).to_string(), "f.json:2: bad");
}

TEST(PlanLoad, BundledStaleReadsParses) {
  const LoadResult r = load_plan(kLibrary / "stale-reads.json");
  ASSERT_TRUE(r.plan) << joined(r);
  EXPECT_TRUE(r.plan->topology.stale_reads);
  EXPECT_TRUE(r.plan->objectives.linearizable);
  EXPECT_EQ(r.plan->objectives.rpo_writes, 0);
  EXPECT_EQ(r.plan->workload.keys, 5);
  // A demonstration: it passes when the linearizability check fails.
  EXPECT_EQ(r.plan->expect_fail, std::vector<std::string>{"linearizable"});
  const LoadResult plain = load_plan(kLibrary / "stale-reads.json", {"expect=null"});
  ASSERT_TRUE(plain.plan) << joined(plain);
  EXPECT_TRUE(plain.plan->expect_fail.empty());
}

TEST(PlanLoad, StaleReadsAndElectionObjectivesDefaultOff) {
  const LoadResult r = parse_plan(kBase, "base.json");
  ASSERT_TRUE(r.plan) << joined(r);
  EXPECT_FALSE(r.plan->topology.stale_reads);
  EXPECT_FALSE(r.plan->objectives.linearizable);
  EXPECT_FALSE(r.plan->objectives.leader_election_ms.has_value());
  EXPECT_FALSE(r.plan->objectives.max_elections.has_value());
}

TEST(PlanLoad, NewFieldsReadAndRoundTrip) {
  const LoadResult r = parse_plan(kBase, "base.json",
                                  {"topology.stale_reads=true", "objectives.linearizable=true",
                                   "objectives.leader_election_ms=1500",
                                   "objectives.max_elections=3"});
  ASSERT_TRUE(r.plan) << joined(r);
  EXPECT_TRUE(r.plan->topology.stale_reads);
  EXPECT_TRUE(r.plan->objectives.linearizable);
  EXPECT_EQ(r.plan->objectives.leader_election_ms, 1500.0);
  EXPECT_EQ(r.plan->objectives.max_elections, 3);
  const LoadResult again = parse_plan(to_json(*r.plan).dump(2), "again.json");
  ASSERT_TRUE(again.plan) << joined(again);
  EXPECT_EQ(*again.plan, *r.plan);
}

TEST(PlanLoad, BooleanFieldsRejectOtherTypes) {
  const LoadResult r = parse_plan(kBase, "p.json", {"topology.stale_reads=1"});
  ASSERT_FALSE(r.plan);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].to_string().find("$.topology.stale_reads: expected true or false, found"),
            std::string::npos)
      << r.errors[0].to_string();
}

TEST(PlanModel, MemberIds) {
  EXPECT_EQ(member_id(0), "c1");
  EXPECT_EQ(member_id(8), "c9");
}

}  // namespace
}  // namespace faultline::plan
