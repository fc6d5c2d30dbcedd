// The declared steady state on real runs of the embedded cluster, through
// the CLI: every probe kind holding on a healthy cluster and failing with
// its reason; RTO decided by a slow probe rather than the writes; halts
// that fire (on a member's health, on the workload's success rate), heal
// every fault and run the rollbacks; rollbacks after Ctrl-C; a `before`
// probe failing, so the run exits 4 with no fault.
#include <gtest/gtest.h>
#include <signal.h>

#include <nlohmann/json.hpp>

#include "tests/support/cli_process.hpp"

namespace faultline::testing {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

std::string plan(const std::string& name) { return std::string(FAULTLINE_SOURCE_DIR) + "/tests/drill/plans/" + name; }

std::vector<Json> of_kind(const std::vector<Json>& events, const std::string& kind) {
  std::vector<Json> out;
  for (const auto& e : events) {
    if (e.value("kind", "") == kind) out.push_back(e);
  }
  return out;
}

// The `probe` events of one probe.
std::vector<Json> samples(const std::vector<Json>& events, const std::string& name) {
  std::vector<Json> out;
  for (const auto& e : of_kind(events, "probe")) {
    if (e.value("name", "") == name) out.push_back(e);
  }
  return out;
}

void expect_no_member_left(const std::vector<Json>& events) {
  for (const auto& e : events) {
    const std::string kind = e.value("kind", "");
    if (kind != "member.start" && kind != "worker.start") continue;
    const int pid = e.value("pid", -1);
    EXPECT_TRUE(wait_until([&] { return !process_alive(pid, "faultline"); }, 10s))
        << "pid " << pid << " outlived the run";
  }
}

TEST(SteadyState, EverySampledAndComputedProbeHoldsOnAHealthyCluster) {
  const auto dir = scratch_dir("steady-holds");
  const auto run = dir / "run";
  const auto result = run_cli({"run", plan("steady-holds.json"), "--out", run.string()}, 120s);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const auto events = journal_events(run / "journal.jsonl");
  for (const char* name : {"health", "term", "leads", "one-leader", "low-term", "workers", "true", "ready"}) {
    const auto taken = samples(events, name);
    // 4 s of workload at one sample per 50 ms, and a command takes longer.
    EXPECT_GE(taken.size(), 20u) << name;
    std::size_t passed = 0;
    for (const auto& s : taken) passed += s.value("pass", false);
    EXPECT_GE(passed, taken.size() * 9 / 10) << name << ": " << (taken.empty() ? Json() : taken.back()).dump();
  }
  EXPECT_TRUE(samples(events, "term").back().value("value", Json()).is_number());
  EXPECT_EQ(samples(events, "one-leader").back().value("value", "").rfind("c", 0), 0u);
  EXPECT_EQ(samples(events, "true").back().value("value", Json()), 0);
  EXPECT_TRUE(samples(events, "writes-ok").empty()) << "computed probes are not journaled as samples";
  for (const char* check : {"steady_state_before", "steady_state_after"}) {
    const Json c = check_event(events, check);
    ASSERT_TRUE(c.is_object()) << check;
    EXPECT_TRUE(c.value("pass", false)) << c.dump();
  }
  EXPECT_NE(read_file(run / "report.html").find("Steady state (declared probes)"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(run / "probes" / "ready.out"));
  expect_no_member_left(events);
  std::filesystem::remove_all(dir);
}

TEST(SteadyState, EveryProbeKindFailsWithItsReason) {
  const auto dir = scratch_dir("steady-fails");
  const auto run = dir / "run";
  const auto result = run_cli({"run", plan("steady-fails.json"), "--out", run.string()}, 120s);
  ASSERT_EQ(result.exit_code, 1) << result.out << result.err;
  const auto events = journal_events(run / "journal.jsonl");
  const std::vector<std::pair<std::string, std::string>> reasons{
      {"missing-page", "status 404, expected 200"},
      {"wrong-member", "$.member is \"c"},
      {"huge-term", "expected > 1000000000"},
      {"no-such-metric", "the page has no metric faultline_nope"},
      {"term-zero", "is above 0"},
      {"five-workers", "active_nodes = 1, expected >= 5"},
      {"false", "exited with code 1, expected exit code 0"},
      {"busy", "does not match /^ready/"},
      {"slow", "no exit within 100 ms (killed)"},
  };
  for (const auto& [name, reason] : reasons) {
    const auto taken = samples(events, name);
    ASSERT_FALSE(taken.empty()) << name;
    for (const auto& s : taken) {
      EXPECT_FALSE(s.value("pass", true)) << name << ": " << s.dump();
      EXPECT_NE(s.value("detail", "").find(reason), std::string::npos) << name << ": " << s.dump();
    }
  }
  const Json after = check_event(events, "steady_state_after");
  ASSERT_TRUE(after.is_object());
  EXPECT_FALSE(after.value("pass", true));
  EXPECT_EQ(after.value("measured", 0.0), 11.0) << after.dump();
  for (const char* name : {"missing-page", "reads-ok", "p99-zero", "slow"}) {
    EXPECT_NE(after.value("detail", "").find(name), std::string::npos) << after.dump();
  }
  expect_no_member_left(events);
  std::filesystem::remove_all(dir);
}

TEST(SteadyState, ASlowProbeNotTheWritesDecidesTheRto) {
  const auto dir = scratch_dir("steady-rto");
  const auto run = dir / "run";
  const auto result = run_cli({"run", plan("steady-rto.json"), "--out", run.string(), "--json"}, 120s);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const Json out = Json::parse(result.out);
  const Json rto = out["rto"];
  ASSERT_TRUE(rto["rto_ms"].is_number()) << rto.dump();
  // c2 comes back 2.5 s after its kill; the writes were served all along or
  // after one election.
  EXPECT_GE(rto["rto_ms"].get<double>(), 2400) << rto.dump();
  EXPECT_LT(rto["rto_ms"].get<double>(), 6000) << rto.dump();
  ASSERT_TRUE(rto["first_ack_ms"].is_number()) << rto.dump();
  EXPECT_LT(rto["first_ack_ms"].get<double>(), 1500) << rto.dump();
  EXPECT_NE(read_file(run / "summary.md").find("Recovery was held back by probe c2-health"), std::string::npos)
      << read_file(run / "summary.md");
  // The probe saw c2 down, then up again.
  const auto events = journal_events(run / "journal.jsonl");
  std::size_t failed = 0;
  for (const auto& s : samples(events, "c2-health")) failed += !s.value("pass", true);
  EXPECT_GE(failed, 10u);
  EXPECT_TRUE(samples(events, "c2-health").back().value("pass", false));
  std::filesystem::remove_all(dir);
}

TEST(SteadyState, AHaltFiresHealsEveryFaultAndRunsTheRollbacks) {
  const auto dir = scratch_dir("steady-halt");
  const auto run = dir / "run";
  const auto marker = dir / "rolled-back";
  const auto result = run_cli({"run", plan("steady-halt.json"), "--out", run.string(), "--set",
                               "rollbacks[1].argv=[\"touch\",\"" + marker.string() + "\"]"},
                              120s);
  ASSERT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE(result.out.find("HALTED  steady-halt"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("The drill was halted at"), std::string::npos) << result.out;
  const auto events = journal_events(run / "journal.jsonl");
  const auto halts = of_kind(events, "halt");
  ASSERT_EQ(halts.size(), 1u) << result.out;
  const Json& halt = halts.front();
  EXPECT_EQ(halt.value("probe", ""), "c1-health");
  EXPECT_EQ(halt.value("for_ms", 0), 500);
  EXPECT_GE(halt.value("t_ns", std::int64_t{0}) - halt.value("since_ns", std::int64_t{0}), 500'000'000) << halt.dump();
  EXPECT_NE(halt.value("reason", "").find("c1: GET /health: no answer within 100 ms"), std::string::npos)
      << halt.dump();
  // Both faults in force were healed by the halt; the kill never came.
  const auto injected = of_kind(events, "fault.inject");
  ASSERT_EQ(injected.size(), 2u);
  std::size_t healed_by_halt = 0;
  for (const auto& h : of_kind(events, "fault.heal")) {
    EXPECT_GE(h.value("t_ns", std::int64_t{0}), halt.value("t_ns", std::int64_t{0}));
    healed_by_halt += h.value("why", "") == "halt";
    // Each heal says what it checked: the member runs again, no rule or toxic is left.
    EXPECT_FALSE(h.value("confirmed", "").empty()) << h.dump();
  }
  EXPECT_EQ(healed_by_halt, 2u);
  for (const auto& e : of_kind(events, "member.exit")) EXPECT_NE(e.value("member", ""), "c2") << e.dump();
  // The workload stopped at the halt, not at its 10 s.
  for (const auto& e : of_kind(events, "op.invoke")) {
    EXPECT_LT(e.value("t_ns", std::int64_t{0}), halt.value("t_ns", std::int64_t{0}) + 100'000'000);
  }
  const Json check = check_event(events, "halt");
  ASSERT_TRUE(check.is_object());
  EXPECT_FALSE(check.value("pass", true));
  const auto rollbacks = of_kind(events, "rollback");
  ASSERT_EQ(rollbacks.size(), 3u);
  for (const auto& r : rollbacks) EXPECT_TRUE(r.value("ok", false)) << r.dump();
  EXPECT_EQ(rollbacks[0].value("detail", ""), "no fault was in force");
  EXPECT_TRUE(std::filesystem::exists(marker));
  const std::string junit = read_file(run / "junit.xml");
  EXPECT_NE(junit.find("name=\"halt\""), std::string::npos);
  EXPECT_NE(read_file(run / "summary.md").find("The drill was halted at"), std::string::npos);
  EXPECT_NE(read_file(run / "report.html").find("<h2>Rollbacks</h2>"), std::string::npos);
  expect_no_member_left(events);
  std::filesystem::remove_all(dir);
}

TEST(SteadyState, AHaltOnTheWorkloadsSuccessRateRestartsTheKilledMembers) {
  const auto dir = scratch_dir("steady-halt-rate");
  const auto run = dir / "run";
  const auto result = run_cli({"run", plan("steady-halt-rate.json"), "--out", run.string()}, 120s);
  ASSERT_EQ(result.exit_code, 1) << result.out << result.err;
  const auto events = journal_events(run / "journal.jsonl");
  const auto halts = of_kind(events, "halt");
  ASSERT_EQ(halts.size(), 1u) << result.out;
  EXPECT_EQ(halts.front().value("probe", ""), "writes-ok");
  EXPECT_NE(halts.front().value("detail", "").find("below 90 %"), std::string::npos) << halts.front().dump();
  // Computed live from the operations, so not journaled as samples.
  EXPECT_TRUE(samples(events, "writes-ok").empty());
  // The kill is reverted too: both members are started again by the halt.
  const auto heals = of_kind(events, "fault.heal");
  ASSERT_EQ(heals.size(), 1u);
  EXPECT_EQ(heals.front().value("why", ""), "halt");
  std::size_t restarted = 0;
  for (const auto& e : of_kind(events, "member.start")) restarted += e.value("restart", false);
  EXPECT_EQ(restarted, 2u);
  // The writes timed out at 300 ms: the latency probe fails at the end.
  const Json after = check_event(events, "steady_state_after");
  ASSERT_TRUE(after.is_object());
  EXPECT_FALSE(after.value("pass", true));
  EXPECT_NE(after.value("detail", "").find("p99"), std::string::npos) << after.dump();
  expect_no_member_left(events);
  std::filesystem::remove_all(dir);
}

TEST(SteadyState, RollbacksRunAfterAnInterruptedRun) {
  const auto dir = scratch_dir("steady-rollback");
  const auto run = dir / "run";
  const auto marker = dir / "rolled-back";
  CliProcess process({"run", plan("steady-rollback.json"), "--out", run.string(), "--set",
                      "rollbacks[2].argv=[\"touch\",\"" + marker.string() + "\"]"},
                     dir);
  ASSERT_TRUE(wait_until([&] { return !of_kind(journal_events(run / "journal.jsonl"), "fault.inject").empty(); }, 60s));
  process.signal(SIGINT);
  const auto result = process.wait(60s);
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_NE(result.err.find("interrupted by Interrupt"), std::string::npos) << result.err;
  EXPECT_TRUE(std::filesystem::exists(marker)) << "the command rollback did not run";
  const auto events = journal_events(run / "journal.jsonl");
  const auto rollbacks = of_kind(events, "rollback");
  ASSERT_EQ(rollbacks.size(), 3u) << result.out;
  EXPECT_EQ(rollbacks[2].value("action", ""), "command");
  EXPECT_TRUE(rollbacks[2].value("ok", false)) << rollbacks[2].dump();
  EXPECT_EQ(rollbacks[1].value("action", ""), "restart");
  // Rollbacks come after the interruption and before the members stop.
  const auto aborted = of_kind(events, "aborted");
  ASSERT_EQ(aborted.size(), 1u);
  EXPECT_EQ(aborted.front().value("cause", ""), "interrupted");
  expect_no_member_left(events);
  std::filesystem::remove_all(dir);
}

TEST(SteadyState, ABeforeProbeFailingExitsFourWithNoFault) {
  const auto dir = scratch_dir("steady-unhealthy");
  const auto run = dir / "run";
  const auto result = run_cli({"run", plan("steady-unhealthy.json"), "--out", run.string()}, 120s);
  ASSERT_EQ(result.exit_code, 4) << result.out << result.err;
  // The probe asks the leader: the reason names it.
  EXPECT_NE(result.out.find("the steady state did not hold before any fault: probe missing: c"), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("status 404, expected 200"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("UNHEALTHY  steady-unhealthy"), std::string::npos) << result.out;
  const auto events = journal_events(run / "journal.jsonl");
  EXPECT_TRUE(of_kind(events, "fault.inject").empty()) << "a fault was injected";
  const auto unhealthy = of_kind(events, "unhealthy");
  ASSERT_EQ(unhealthy.size(), 1u);
  EXPECT_EQ(unhealthy.front().value("probe", ""), "missing");
  // It stopped at once, long before the fault was due at 1.5 s.
  for (const auto& e : of_kind(events, "op.invoke")) {
    EXPECT_LT(e.value("t_ns", std::int64_t{0}), unhealthy.front().value("t_ns", std::int64_t{0}) + 100'000'000);
  }
  const Json before = check_event(events, "steady_state_before");
  ASSERT_TRUE(before.is_object());
  EXPECT_FALSE(before.value("pass", true));
  const auto verdicts = of_kind(events, "verdict");
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_EQ(verdicts.front().value("exit_code", 0), 4);
  EXPECT_EQ(verdicts.front().value("failed", Json::array()), Json::array({"steady_state_before"}));
  EXPECT_EQ(of_kind(events, "rollback").size(), 1u);
  // The report says so, and the checks that need a fault are not judged.
  const std::string junit = read_file(run / "junit.xml");
  EXPECT_NE(junit.find("not judged: the run stopped before any fault"), std::string::npos) << junit;
  // `faultline report` gives the same code again.
  const auto again = run_cli({"report", (run / "journal.jsonl").string()}, 60s);
  EXPECT_EQ(again.exit_code, 4) << again.out << again.err;
  expect_no_member_left(events);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace faultline::testing
