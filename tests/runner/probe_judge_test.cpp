// Judging sampled probes from what was read, and the live workload probes
// over a window of operations: each rule holds on an answer that meets it
// and fails, with a reason, on one that does not.
#include <gtest/gtest.h>

#include "cluster/coordinator/metrics.hpp"
#include "drills/runner/op_window.hpp"
#include "drills/runner/probe_judge.hpp"

namespace faultline::runner {
namespace {

const char* kMetrics =
    "# HELP faultline_raft_term The member's current Raft term.\n"
    "# TYPE faultline_raft_term gauge\n"
    "faultline_raft_term{member=\"c1\"} 3\n"
    "faultline_raft_role{member=\"c1\",role=\"leader\"} 1\n"
    "faultline_raft_role{member=\"c1\",role=\"follower\"} 0\n"
    "plain_total 12.5 1700000000000\n";

TEST(ProbeJudge, HttpStatusJsonPathAndRegex) {
  EXPECT_TRUE(judge_http({{"status", 200}}, 200, "{}").pass);
  const auto wrong = judge_http({{"status", 200}}, 404, "not here");
  EXPECT_FALSE(wrong.pass);
  EXPECT_EQ(wrong.detail, "status 404, expected 200: not here");
  EXPECT_EQ(wrong.value, 404);

  const Json at{{"status", 200}, {"json_path", "$.data.stats.nodes"}, {"equals", 2}};
  EXPECT_TRUE(judge_http(at, 200, R"({"data":{"stats":{"nodes":2}}})").pass);
  const auto other = judge_http(at, 200, R"({"data":{"stats":{"nodes":1}}})");
  EXPECT_FALSE(other.pass);
  EXPECT_EQ(other.detail, "$.data.stats.nodes is 1, expected 2");
  EXPECT_FALSE(judge_http(at, 200, R"({"data":{}})").pass);
  EXPECT_FALSE(judge_http(at, 200, "not json").pass);
  // Without `equals`, the value must exist and not be null.
  EXPECT_TRUE(judge_http({{"status", 200}, {"json_path", "$.status"}}, 200, R"({"status":"ok"})").pass);
  EXPECT_FALSE(judge_http({{"status", 200}, {"json_path", "$.status"}}, 200, R"({"status":null})").pass);

  EXPECT_TRUE(judge_http({{"status", 200}, {"regex", "\"member\":\"c[0-9]\""}}, 200, R"({"member":"c2"})").pass);
  const auto no_match = judge_http({{"status", 200}, {"regex", "^ok$"}}, 200, "ko");
  EXPECT_FALSE(no_match.pass);
  EXPECT_NE(no_match.detail.find("does not match /^ok$/"), std::string::npos);
  const auto bad_regex = judge_http({{"status", 200}, {"regex", "("}}, 200, "x");
  EXPECT_FALSE(bad_regex.pass);
  EXPECT_NE(bad_regex.detail.find("is not valid"), std::string::npos);
}

TEST(ProbeJudge, MetricLinesWithLabels) {
  std::string error;
  EXPECT_EQ(find_metric(kMetrics, "faultline_raft_term", Json::object(), error), 3.0);
  EXPECT_EQ(find_metric(kMetrics, "faultline_raft_role", {{"role", "follower"}}, error), 0.0);
  EXPECT_EQ(find_metric(kMetrics, "plain_total", Json::object(), error), 12.5);
  EXPECT_FALSE(find_metric(kMetrics, "faultline_raft_role", {{"role", "candidate"}}, error));
  EXPECT_EQ(error, "no line of faultline_raft_role carries {role=\"candidate\"}");
  EXPECT_FALSE(find_metric(kMetrics, "nope", Json::object(), error));
  EXPECT_EQ(error, "the page has no metric nope");

  const Json holds{{"metric", "faultline_raft_role"}, {"labels", {{"role", "leader"}}}, {"op", "=="}, {"value", 1}};
  EXPECT_TRUE(judge_metric(holds, 200, kMetrics).pass);
  const Json fails{{"metric", "faultline_raft_term"}, {"op", ">"}, {"value", 5}};
  const auto o = judge_metric(fails, 200, kMetrics);
  EXPECT_FALSE(o.pass);
  EXPECT_EQ(o.detail, "faultline_raft_term = 3, expected > 5");
  EXPECT_FALSE(judge_metric(holds, 404, "").pass);
}

TEST(CoordinatorMetrics, EveryGaugeReadsBackThroughTheMetricProbe) {
  const Json raft{{"id", "c2"}, {"term", 7}, {"role", "leader"}, {"commit_index", 41}, {"applied_index", 40},
                  {"last_index", 42}};
  const Json cluster{{"success", true}, {"data", {{"stats", {{"nodes", 3}, {"activeNodes", 2}, {"sessions", 9}}}}}};
  const std::string page = coordinator::metrics_text(raft, cluster);
  std::string error;
  const Json c2{{"member", "c2"}};
  EXPECT_EQ(find_metric(page, "faultline_raft_term", c2, error), 7.0) << error;
  EXPECT_EQ(find_metric(page, "faultline_raft_commit_index", c2, error), 41.0) << error;
  EXPECT_EQ(find_metric(page, "faultline_raft_applied_index", c2, error), 40.0) << error;
  EXPECT_EQ(find_metric(page, "faultline_raft_last_index", c2, error), 42.0) << error;
  EXPECT_EQ(find_metric(page, "faultline_raft_role", {{"role", "leader"}}, error), 1.0) << error;
  EXPECT_EQ(find_metric(page, "faultline_raft_role", {{"role", "follower"}}, error), 0.0) << error;
  EXPECT_EQ(find_metric(page, "faultline_raft_leader", c2, error), 1.0) << error;
  EXPECT_EQ(find_metric(page, "faultline_cluster_nodes", c2, error), 3.0) << error;
  EXPECT_EQ(find_metric(page, "faultline_cluster_active_nodes", c2, error), 2.0) << error;
  EXPECT_EQ(find_metric(page, "faultline_cluster_sessions", c2, error), 9.0) << error;
  EXPECT_NE(page.find("# TYPE faultline_raft_term gauge\n"), std::string::npos);
}

TEST(ProbeJudge, ClusterCounts) {
  const std::string body = R"({"success":true,"data":{"stats":{"nodes":3,"activeNodes":2,"sessions":7}}})";
  EXPECT_TRUE(judge_cluster({{"field", "active_nodes"}, {"op", ">="}, {"value", 2}}, 200, body).pass);
  const auto o = judge_cluster({{"field", "sessions"}, {"op", "<"}, {"value", 5}}, 200, body);
  EXPECT_FALSE(o.pass);
  EXPECT_EQ(o.detail, "sessions = 7, expected < 5");
  EXPECT_FALSE(judge_cluster({{"field", "nodes"}, {"op", "=="}, {"value", 3}}, 200, "{}").pass);
}

targets::MemberStatus member(bool up, const std::string& role, std::uint64_t term,
                             std::optional<std::string> leader) {
  targets::MemberStatus s;
  s.up = up;
  s.role = up ? role : "";
  s.term = term;
  s.leader = std::move(leader);
  return s;
}

TEST(ProbeJudge, RaftOneLeaderNamedByAMajority) {
  const Json one{{"check", "one_leader"}};
  EXPECT_TRUE(judge_raft(one, {{"c1", member(true, "leader", 2, "c1")},
                               {"c2", member(true, "follower", 2, "c1")},
                               {"c3", member(false, "", 0, std::nullopt)}})
                  .pass);
  // The old leader cut off in a minority still says it leads.
  const auto two = judge_raft(one, {{"c1", member(true, "leader", 2, "c1")},
                                    {"c2", member(true, "leader", 3, "c2")},
                                    {"c3", member(true, "follower", 3, "c2")}});
  EXPECT_FALSE(two.pass);
  EXPECT_EQ(two.detail, "2 voters say they lead: c1 (term 2), c2 (term 3)");
  // A leader only it knows about.
  const auto alone = judge_raft(one, {{"c1", member(true, "leader", 4, "c1")},
                                      {"c2", member(true, "candidate", 5, std::nullopt)},
                                      {"c3", member(false, "", 0, std::nullopt)}});
  EXPECT_FALSE(alone.pass);
  EXPECT_EQ(alone.detail, "only 1 of 3 voters name c1 as leader");
  EXPECT_FALSE(judge_raft(one, {{"c1", member(false, "", 0, std::nullopt)}}).pass);

  const Json term{{"check", "max_term"}, {"value", 3}};
  EXPECT_TRUE(judge_raft(term, {{"c1", member(true, "leader", 3, "c1")}}).pass);
  const auto high = judge_raft(term, {{"c1", member(true, "leader", 4, "c1")}});
  EXPECT_FALSE(high.pass);
  EXPECT_EQ(high.value, 4);
}

TEST(ProbeJudge, CommandExitAndOutput) {
  process::ExitStatus ok;
  ok.code = 0;
  process::ExitStatus one;
  one.code = 1;
  process::ExitStatus killed;
  killed.signal = 9;
  EXPECT_TRUE(judge_command({{"exit_code", 0}}, ok, "").pass);
  EXPECT_TRUE(judge_command({{"exit_code", 1}}, one, "").pass);
  const auto o = judge_command({{"exit_code", 0}}, one, "boom\n");
  EXPECT_FALSE(o.pass);
  EXPECT_EQ(o.detail, "exited with code 1, expected exit code 0: boom ");
  EXPECT_FALSE(judge_command({{"exit_code", 0}}, killed, "").pass);
  EXPECT_TRUE(judge_command({{"exit_code", 0}, {"output_regex", "leader=c[0-9]"}}, ok, "leader=c2\n").pass);
  EXPECT_FALSE(judge_command({{"exit_code", 0}, {"output_regex", "leader=c[0-9]"}}, ok, "leader=?\n").pass);
}

Json op(const char* kind, int id, std::int64_t t_ms, const char* f, const char* result = "ok") {
  Json e{{"t_ns", t_ms * 1'000'000}, {"op", id}, {"f", f}};
  if (std::string(kind) == "op.complete") e["result"] = result;
  return e;
}

TEST(OpWindow, SuccessRateAndLatencyOverTheLastWindow) {
  OpWindow w(5'000'000'000);
  const Json rate{{"min", 0.75}, {"of", "writes"}, {"window_ms", 1000}};
  const Json p99{{"max_ms", 50}, {"percentile", 99}, {"of", "writes"}, {"window_ms", 1000}};
  // Writes every 100 ms taking 10 ms; from 1000 ms on, every other one fails after 100 ms.
  for (int i = 0; i < 30; ++i) {
    const std::int64_t t = i * 100;
    const bool bad = t >= 1000 && i % 2 == 1;
    w.on_event("op.invoke", op("op.invoke", i, t, "put"));
    w.on_event("op.complete", op("op.complete", i, t + (bad ? 100 : 10), "put", bad ? "fail" : "ok"));
    if (i == 5) {
      // Not a whole window since the first invocation yet.
      EXPECT_FALSE(w.evaluate("success_rate", rate, 510'000'000));
    }
    if (i == 10) {
      const auto before = w.evaluate("success_rate", rate, 1'015'000'000);
      ASSERT_TRUE(before);
      EXPECT_TRUE(before->pass) << before->detail;
      EXPECT_TRUE(w.evaluate("latency", p99, 1'015'000'000)->pass);
    }
  }
  // Over (2000, 3000] ms half the writes failed, and took 100 ms.
  const auto after = w.evaluate("success_rate", rate, 3'000'000'000);
  ASSERT_TRUE(after);
  EXPECT_FALSE(after->pass);
  EXPECT_NEAR(after->value.get<double>(), 0.5, 0.11);
  EXPECT_NE(after->detail.find("below 75 %"), std::string::npos) << after->detail;
  const auto slow = w.evaluate("latency", p99, 3'000'000'000);
  ASSERT_TRUE(slow);
  EXPECT_FALSE(slow->pass);
  EXPECT_EQ(slow->value, 100.0);
  // Reads are not writes: none completed.
  const auto reads = w.evaluate("success_rate", {{"min", 0.5}, {"of", "reads"}, {"window_ms", 1000}}, 3'000'000'000);
  ASSERT_TRUE(reads);
  EXPECT_FALSE(reads->pass);
  EXPECT_EQ(reads->detail, "no reads completed over the last 1000 ms");
}

}  // namespace
}  // namespace faultline::runner
