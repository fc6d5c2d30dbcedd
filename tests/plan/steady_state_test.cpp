// Declared steady state, halts, rollbacks and expect: a full declaration
// loads with its defaults, and each mistake is reported at its path.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "drills/plan/plan.hpp"
#include "drills/plan/probes.hpp"
#include "tests/plan/plan_test_util.hpp"

namespace faultline::plan {
namespace {

using testing::joined;
using testing::kBase;
using testing::with;

std::string add(const std::string& sections) {
  return with(kBase, R"("objectives": { "rto_ms": 3000 })", R"("objectives": { "rto_ms": 3000 }, )" + sections);
}

std::vector<std::string> errors(const std::string& text) {
  const LoadResult r = parse_plan(text, "p.json");
  std::vector<std::string> out;
  for (const auto& e : r.errors) out.push_back(e.path + ": " + e.message);
  return out;
}

TEST(SteadyState, AFullDeclarationLoadsWithItsDefaults) {
  const std::string text = add(R"(
  "steady_state": { "probes": [
    { "name": "ok", "kind": "success_rate", "min": 0.995 },
    { "name": "health", "kind": "http", "member": "c2", "when": ["before", "continuous"], "tolerance_ms": 100 },
    { "name": "one-leader", "kind": "raft", "when": [] }
  ] },
  "halt": [ { "probe": "ok", "for_ms": 5000 } ],
  "rollbacks": [ { "action": "heal_all" }, { "action": "restart" }, { "action": "command", "argv": ["true"] } ],
  "expect": { "fail": ["rto_ms"] })");
  const LoadResult r = parse_plan(text, "p.json");
  ASSERT_TRUE(r.plan) << joined(r);
  const Plan& p = *r.plan;
  ASSERT_EQ(p.steady_state.probes.size(), 3u);
  EXPECT_EQ(p.steady_state.sample_ms, 50);
  const ProbeSpec& ok = p.steady_state.probes[0];
  EXPECT_EQ(ok.when, std::vector<std::string>{"continuous"});
  EXPECT_EQ(ok.params.at("of"), "writes");
  EXPECT_EQ(ok.params.at("window_ms"), 1000);
  EXPECT_EQ(p.steady_state.probes[1].params.at("path"), "/health");
  EXPECT_EQ(p.steady_state.probes[1].params.at("status"), 200);
  EXPECT_TRUE(p.steady_state.probes[2].when.empty());
  ASSERT_EQ(p.halts.size(), 1u);
  EXPECT_EQ(p.halts[0].for_ms, 5000);
  ASSERT_EQ(p.rollbacks.size(), 3u);
  EXPECT_EQ(p.rollbacks[1].target, "all");
  EXPECT_EQ(p.rollbacks[2].timeout_ms, 10'000);
  EXPECT_EQ(p.expect_fail, std::vector<std::string>{"rto_ms"});
  // And back.
  const LoadResult again = parse_plan(to_json(p).dump(), "again.json");
  ASSERT_TRUE(again.plan) << joined(again);
  EXPECT_EQ(*again.plan, p);
}

TEST(SteadyState, ProbeMistakesAreNamedAtTheirPaths) {
  const auto e = errors(add(R"(
  "steady_state": { "probes": [
    { "name": "a", "kind": "succes_rate", "min": 0.9 },
    { "name": "b", "kind": "latency" },
    { "name": "b", "kind": "http", "member": "c9", "when": ["always"] },
    { "name": "c", "kind": "raft", "check": "max_term" },
    { "name": "d", "kind": "command", "argv": [] }
  ] })"));
  const std::vector<std::string> want{
      "$.steady_state.probes[0].kind: unknown probe kind \"succes_rate\"; did you mean \"success_rate\"?; allowed: "
      "success_rate, latency, http, metric, raft, cluster, command",
      "$.steady_state.probes[1].max_ms: missing required field (the highest latency that holds)",
      "$.steady_state.probes[2].name: another probe is already called \"b\"",
      "$.steady_state.probes[2].when[0]: unknown \"always\"; allowed: before, continuous, after",
      "$.steady_state.probes[2].member: target \"c9\" is not a member of the topology (members: c1, c2, c3)",
      "$.steady_state.probes[3].value: missing required field (the largest term allowed)",
      "$.steady_state.probes[4].argv: expected a non-empty array of non-empty strings, found array",
  };
  for (const auto& w : want) EXPECT_NE(std::find(e.begin(), e.end(), w), e.end()) << w << "\nin:\n" << ::testing::PrintToString(e);
  EXPECT_EQ(e.size(), want.size()) << ::testing::PrintToString(e);
}

TEST(SteadyState, HaltsRollbacksAndExpectAreChecked) {
  const auto e = errors(add(R"(
  "steady_state": { "probes": [ { "name": "ok", "kind": "success_rate", "min": 0.9 } ] },
  "halt": [ { "probe": "ko" } ],
  "rollbacks": [ { "action": "reboot" }, { "action": "command" }, { "action": "restart", "target": "w1" } ],
  "expect": { "fail": ["linearizable"] })"));
  const std::vector<std::string> want{
      "$.halt[0].probe: no probe is called \"ko\" in steady_state.probes; did you mean \"ok\"?; declared: ok",
      "$.rollbacks[0].action: unknown rollback action \"reboot\"; allowed: heal_all, restart, command",
      "$.rollbacks[1].argv: missing required field \"argv\"",
      "$.rollbacks[2].target: target \"w1\" is not a worker of the topology (workers: none; set topology.workers)",
  };
  for (const auto& w : want) EXPECT_NE(std::find(e.begin(), e.end(), w), e.end()) << w << "\nin:\n" << ::testing::PrintToString(e);
  ASSERT_EQ(e.size(), 5u) << ::testing::PrintToString(e);
  EXPECT_NE(e.back().find("$.expect.fail[0]: \"linearizable\" is not checked by this plan"), std::string::npos) << e.back();
}

}  // namespace
}  // namespace faultline::plan

namespace faultline::plan {
namespace {

TEST(SteadyState, DocsCarryTheProbeTablesTheCodeDeclares) {
  std::ifstream in(std::string(FAULTLINE_SOURCE_DIR) + "/docs/plan.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const std::string begin = "<!-- probes: begin (generated by `faultline probe kinds --markdown`) -->\n";
  const auto from = doc.find(begin);
  const auto to = doc.find("<!-- probes: end -->");
  ASSERT_NE(from, std::string::npos);
  ASSERT_NE(to, std::string::npos);
  EXPECT_EQ(doc.substr(from + begin.size(), to - from - begin.size()), probe_kinds_markdown())
      << "regenerate the probe tables of docs/plan.md with `faultline probe kinds --markdown`";
}

}  // namespace
}  // namespace faultline::plan
