// Invalid plans: every problem is reported with the right path, line and
// message, and all of them are collected.
#include <gtest/gtest.h>

#include "chaos/faults/spec.hpp"
#include "drills/plan/suggest.hpp"

#include "drills/plan/plan.hpp"
#include "tests/plan/plan_test_util.hpp"

namespace faultline::plan {
namespace {

using testing::joined;
using testing::kBase;
using testing::with;

// Parses `text` and expects exactly one error, returned as a string.
std::string only_error(const std::string& text) {
  const LoadResult r = parse_plan(text, "p.json");
  EXPECT_FALSE(r.plan);
  EXPECT_EQ(r.errors.size(), 1u) << joined(r);
  return r.errors.empty() ? "" : r.errors[0].to_string();
}

TEST(PlanErrors, MalformedJsonGivesLineColumnAndExpectation) {
  // Line 4 lacks the comma after the workload object.
  const std::string text = with(kBase, R"("duration_ms": 8000 },)", R"("duration_ms": 8000 })");
  const LoadResult r = parse_plan(text, "p.json");
  ASSERT_EQ(r.errors.size(), 1u) << joined(r);
  EXPECT_EQ(r.errors[0].line, 5);
  EXPECT_EQ(r.errors[0].path, "");
  EXPECT_EQ(r.errors[0].to_string(),
            "p.json:5: malformed JSON at column 3, while parsing object: unexpected string "
            "literal; expected '}' (is a ',' missing before it?)");
}

TEST(PlanErrors, TruncatedJson) {
  const LoadResult r = parse_plan("{\n  \"name\": \"x\",\n", "p.json");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line, 3);
  EXPECT_NE(r.errors[0].message.find("unexpected end of input"), std::string::npos)
      << r.errors[0].message;
  EXPECT_EQ(parse_plan("", "e.json").errors.at(0).line, 1);
}

TEST(PlanErrors, WrongTypeSaysExpectedAndFound) {
  EXPECT_EQ(only_error(with(kBase, R"("coordinators": 3)", R"("coordinators": "three")")),
            "p.json:3: $.topology.coordinators: expected an integer, found string \"three\"");
  EXPECT_EQ(only_error(with(kBase, R"("rto_ms": 3000)", R"("rto_ms": [1])")),
            "p.json:8: $.objectives.rto_ms: expected a number, found array");
  EXPECT_EQ(only_error(with(kBase, R"("at_ms": 2500)", R"("at_ms": 2.5)")),
            "p.json:6: $.faults[0].at_ms: expected an integer, found number 2.5");
  EXPECT_EQ(only_error(with(kBase, R"("name": "t")", R"("name": null)")),
            "p.json:2: $.name: expected a string, found null");
  EXPECT_EQ(only_error("[1, 2]"), "p.json:1: $: expected an object, found array");
}

TEST(PlanErrors, UnknownFieldSuggestsClosestName) {
  EXPECT_EQ(only_error(with(kBase, R"("at_ms": 2500)", R"("at_ms": 2500, "restart_afer_ms": 1)")),
            "p.json:6: $.faults[0].restart_afer_ms: unknown field \"restart_afer_ms\"; "
            "did you mean \"restart_after_ms\"?");
  // A misspelt required field is also missing; both are said, on its line.
  const LoadResult r = parse_plan(with(kBase, R"("at_ms": 2500)", R"("at_sm": 2500)"), "p.json");
  EXPECT_EQ(joined(r),
            "p.json:6: $.faults[0].at_sm: unknown field \"at_sm\"; did you mean \"at_ms\"?\n"
            "p.json:6: $.faults[0].at_ms: missing required field \"at_ms\"\n");
  EXPECT_EQ(only_error(with(kBase, R"("objectives")", R"("objective")")),
            "p.json:8: $.objective: unknown field \"objective\"; did you mean \"objectives\"?");
  EXPECT_EQ(only_error(with(kBase, R"("rto_ms": 3000)", R"("rto_ms": 3000, "zzz": 1)")),
            "p.json:8: $.objectives.zzz: unknown field \"zzz\"; known fields: rto_ms, rpo_writes, "
            "linearizable, leader_election_ms, max_elections, rto_from_heal_ms, failover_ms, "
            "calls_lost, sessions_moved_without_cause, min_success_rate, max_p99_ms, rpo_ms, min_lost_writes");
}

TEST(PlanErrors, NegativeDurations) {
  EXPECT_EQ(only_error(with(kBase, R"("at_ms": 2500)", R"("at_ms": 2500, "restart_after_ms": -5)")),
            "p.json:6: $.faults[0].restart_after_ms: must not be negative, got -5");
  EXPECT_EQ(only_error(with(kBase, R"("duration_ms": 8000)",
                            R"("duration_ms": 8000, "op_timeout_ms": -1)")),
            "p.json:4: $.workload.op_timeout_ms: must be positive, got -1");
  EXPECT_EQ(only_error(with(kBase, R"("rto_ms": 3000)", R"("rto_ms": -0.5)")),
            "p.json:8: $.objectives.rto_ms: must not be negative, got -0.5");
}

TEST(PlanErrors, FaultMustFireBeforeWorkloadEnds) {
  EXPECT_EQ(only_error(with(kBase, R"("at_ms": 2500)", R"("at_ms": 8000)")),
            "p.json:6: $.faults[0].at_ms: must be before the end of the workload "
            "(workload.duration_ms = 8000), got 8000");
}

TEST(PlanErrors, TargetMustExistInTopology) {
  EXPECT_EQ(only_error(with(kBase, R"("target": "leader")", R"("target": "c4")")),
            "p.json:6: $.faults[0].target: target \"c4\" is not a member of the topology "
            "(members: c1, c2, c3)");
  EXPECT_EQ(only_error(with(kBase, R"("target": "leader")", R"("target": "leadr")")),
            "p.json:6: $.faults[0].target: unknown target \"leadr\"; did you mean \"leader\"?; "
            "allowed: leader, follower, followers, minority, majority, all, c1..c3");
  const LoadResult ok = parse_plan(with(kBase, R"("target": "leader")", R"("target": "c3")"), "p");
  EXPECT_TRUE(ok.plan) << joined(ok);
}

TEST(PlanErrors, WorkersSessionsAndPauseAreCheckedAgainstTheTopology) {
  // Worker targets and sessions need workers.
  EXPECT_EQ(only_error(with(kBase, R"("target": "leader")", R"("target": "worker")")),
            "p.json:6: $.faults[0].target: target \"worker\" needs worker nodes: set "
            "topology.workers (1..16)");
  EXPECT_EQ(only_error(with(kBase, R"("target": "leader")", R"("target": "w1")")),
            "p.json:6: $.faults[0].target: target \"w1\" is not a worker of the topology "
            "(workers: none; set topology.workers)");
  EXPECT_EQ(only_error(with(kBase, R"("duration_ms": 8000)", R"("duration_ms": 8000, "sessions": 4)")),
            "p.json:4: $.workload.sessions: routed calls need worker nodes: set "
            "topology.workers (1..16) or sessions to 0");
  const std::string two_workers =
      with(kBase, R"("coordinators": 3)", R"("coordinators": 3, "workers": 2)");
  EXPECT_EQ(only_error(with(two_workers, R"("target": "leader")", R"("target": "w3")")),
            "p.json:6: $.faults[0].target: target \"w3\" is not a worker of the topology "
            "(workers: w1, w2)");
  // Each fault kind names its own heal.
  EXPECT_EQ(only_error(with(kBase, R"("at_ms": 2500)", R"("at_ms": 2500, "resume_after_ms": 5)")),
            "p.json:6: $.faults[0].resume_after_ms: does not apply to a kill fault; use "
            "heal_after_ms");
  const LoadResult pause = parse_plan(
      with(with(two_workers, R"("kind": "kill")", R"("kind": "pause")"), R"("target": "leader")",
           R"("target": "worker", "resume_after_ms": 1000)"),
      "p.json");
  ASSERT_TRUE(pause.plan) << joined(pause);
  ASSERT_EQ(pause.plan->faults.size(), 1u);
  EXPECT_EQ(pause.plan->faults[0].kind, "pause");
  EXPECT_EQ(pause.plan->faults[0].heal_after_ms, 1000);
  EXPECT_EQ(pause.plan->topology.workers, 2);
}

TEST(PlanErrors, EnumsListAllowedValues) {
  EXPECT_EQ(only_error(with(kBase, R"("kind": "kill")", R"("kind": "explode")")),
            "p.json:6: $.faults[0].kind: unknown fault kind \"explode\"; allowed: " +
                join(faults::kind_names()));
  EXPECT_EQ(only_error(with(kBase, R"("kind": "embedded")", R"("kind": "k8s")")),
            "p.json:3: $.topology.kind: unknown topology kind \"k8s\"; allowed: embedded, redis-sentinel, etcd, processes");
}

TEST(PlanErrors, MissingRequiredFieldPointsAtParent) {
  EXPECT_EQ(only_error(with(kBase, R"("duration_ms": 8000)", R"("clients": 2)")),
            "p.json:4: $.workload.duration_ms: missing required field \"duration_ms\"");
  EXPECT_EQ(only_error(with(kBase, "  \"name\": \"t\",\n", "")),
            "p.json:1: $.name: missing required field \"name\"");
}

TEST(PlanErrors, RangesAndCrossFieldRules) {
  EXPECT_EQ(only_error(with(kBase, R"("coordinators": 3)", R"("coordinators": 10)")),
            "p.json:3: $.topology.coordinators: must be between 1 and 9, got 10");
  EXPECT_EQ(only_error(with(kBase, R"("coordinators": 3)", R"("election_timeout_ms": [600, 300])")),
            "p.json:3: $.topology.election_timeout_ms: minimum 600 must not exceed maximum 300");
  EXPECT_EQ(only_error(with(kBase, R"("coordinators": 3)", R"("heartbeat_ms": 300)")),
            "p.json:3: $.topology.heartbeat_ms: must be less than the election timeout minimum "
            "(300 ms), got 300");
  EXPECT_EQ(only_error(with(kBase, R"("coordinators": 3)", R"("election_timeout_ms": [1])")),
            "p.json:3: $.topology.election_timeout_ms: expected an array of two integers "
            "[min, max], found an array of 1 elements");
  EXPECT_EQ(only_error(
                with(kBase, R"("duration_ms": 8000)", R"("duration_ms": 8000, "read_ratio": 1.5)")),
            "p.json:4: $.workload.read_ratio: must be between 0 and 1, got 1.5");
  EXPECT_EQ(only_error(with(kBase, R"("duration_ms": 8000)", R"("duration_ms": 3600001)")),
            "p.json:4: $.workload.duration_ms: must be between 1 and 3600000, got 3600001");
  EXPECT_EQ(only_error(with(kBase, R"("name": "t")", R"("name": "Leader Kill")")),
            "p.json:2: $.name: invalid name \"Leader Kill\": use lower-case letters, digits, "
            "'-', '_' and '.', starting with a letter or digit");
  EXPECT_EQ(only_error(with(kBase, R"("name": "t")", R"("name": "t", "seed": -1)")),
            "p.json:2: $.seed: must not be negative, got -1");
}

TEST(PlanErrors, CollectsAllErrorsInLineOrder) {
  const std::string text = R"({
  "name": "t",
  "topology": { "kind": "embedded", "coordinators": 2 },
  "workload": { "duration_ms": 1000,
                "clients": 0 },
  "faults": [
    { "kind": "kill", "target": "c3", "at_ms": 5000 },
    { "kind": "kill", "target": "follower", "at_ms": -1,
      "bogus": true }
  ]
})";
  const LoadResult r = parse_plan(text, "multi.json");
  EXPECT_FALSE(r.plan);
  ASSERT_EQ(r.errors.size(), 5u) << joined(r);
  EXPECT_EQ(joined(r),
            "multi.json:5: $.workload.clients: must be between 1 and 64, got 0\n"
            "multi.json:7: $.faults[0].target: target \"c3\" is not a member of the topology "
            "(members: c1, c2)\n"
            "multi.json:7: $.faults[0].at_ms: must be before the end of the workload "
            "(workload.duration_ms = 1000), got 5000\n"
            "multi.json:8: $.faults[1].at_ms: must not be negative, got -1\n"
            "multi.json:9: $.faults[1].bogus: unknown field \"bogus\"; known fields: kind, "
            "target, at_ms, heal_after_ms, restart_after_ms\n");
}

TEST(PlanErrors, InvalidSectionDoesNotCascade) {
  // With the topology broken, targets are only checked for form, and with the
  // duration broken, fault times are not compared to it.
  const std::string text = with(with(kBase, R"("coordinators": 3)", R"("coordinators": 0)"),
                                R"("duration_ms": 8000)", R"("duration_ms": "long")");
  const LoadResult r = parse_plan(with(text, R"("target": "leader")", R"("target": "c7")"), "p");
  ASSERT_EQ(r.errors.size(), 2u) << joined(r);
  EXPECT_EQ(r.errors[0].path, "$.topology.coordinators");
  EXPECT_EQ(r.errors[1].path, "$.workload.duration_ms");
}

TEST(PlanErrors, OddKeysArePrintedQuoted) {
  EXPECT_EQ(only_error(with(kBase, R"("name": "t")", R"("name": "t", "a b": 1)")),
            "p.json:2: $[\"a b\"]: unknown field \"a b\"; known fields: name, description, seed, "
            "topology, workload, steady_state, faults, objectives, halt, rollbacks, expect, $schema");
}

TEST(PlanErrors, DeepNestingIsHarmless) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_EQ(only_error(deep), "p.json:1: $: expected an object, found array");
  const std::string fault = with(kBase, R"({ "kind": "kill", "target": "leader", "at_ms": 2500 })",
                                 std::string(50000, '[') + std::string(50000, ']'));
  EXPECT_EQ(only_error(fault), "p.json:6: $.faults[0]: expected an object, found array");
  const LoadResult open = parse_plan(std::string(100000, '{'), "p.json");
  ASSERT_EQ(open.errors.size(), 1u);
  EXPECT_EQ(open.errors[0].line, 1);
}

}  // namespace
}  // namespace faultline::plan

namespace faultline::plan {
namespace {

TEST(PlanErrors, McpChoicesAreCheckedByName) {
  EXPECT_EQ(only_error(with(kBase, R"("coordinators": 3)", R"("coordinators": 3, "sticky_strategy": "sticky")")),
            "p.json:3: $.topology.sticky_strategy: expected one of consistent-hash, cookie, header, found \"sticky\"");
  EXPECT_EQ(only_error(with(kBase, R"("duration_ms": 8000)", R"("duration_ms": 8000, "calls": "grpc")")),
            "p.json:4: $.workload.calls: expected \"routed\" (POST /api/calls) or \"mcp\" (MCP tool calls over "
            "sessions), found \"grpc\"");
  const LoadResult ok = parse_plan(
      with(with(kBase, R"("coordinators": 3)", R"("coordinators": 3, "workers": 2, "balancing": "least-connections")"),
           R"("duration_ms": 8000)", R"("duration_ms": 8000, "sessions": 4, "calls": "mcp")"),
      "p.json");
  ASSERT_TRUE(ok.plan) << joined(ok);
  EXPECT_EQ(ok.plan->topology.options.value("balancing", ""), "least-connections");
  EXPECT_EQ(ok.plan->workload.calls, "mcp");
}

}  // namespace
}  // namespace faultline::plan
