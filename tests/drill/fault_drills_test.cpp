// The bundled drills of the process, clock, disk and resource faults, run
// end to end by the `faultline` binary: each passes, its journal shows what
// its fault did, and each of its objectives is shown failing on purpose —
// the passing journal re-checked against objectives it cannot meet (and the
// power-loss journal against rpo_writes 0, which no loss-free run can fail).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "drills/verify/history.hpp"
#include "drills/verify/objectives.hpp"
#include "tests/support/cli_process.hpp"

namespace faultline::testing {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

std::string library(const std::string& name) {
  return std::string(FAULTLINE_SOURCE_DIR) + "/drills/library/" + name + ".json";
}

struct DrillRun {
  std::filesystem::path dir;
  CliResult result;
  std::vector<Json> events;

  std::vector<Json> of(const std::string& kind) const {
    std::vector<Json> out;
    for (const auto& e : events) {
      if (e.value("kind", "") == kind) out.push_back(e);
    }
    return out;
  }
};

DrillRun run_drill(const std::string& name, std::vector<std::string> extra = {}) {
  DrillRun r;
  r.dir = scratch_dir("fault-drill-" + name);
  std::vector<std::string> args{"run", library(name), "--out", (r.dir / "run").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  r.result = run_cli(args, 150s);
  r.events = journal_events(r.dir / "run" / "journal.jsonl");
  return r;
}

// Re-checks the run's journal with `objectives` replacing the plan's, and
// returns the checks of the objectives it names.
std::vector<verify::CheckResult> recheck(const DrillRun& run, const Json& objectives) {
  std::vector<Json> events = run.events;
  for (auto& e : events) {
    if (e.value("kind", "") == "run") e["plan"]["objectives"] = objectives;
    if (e.value("kind", "") == "check") e["kind"] = "old-check";
  }
  const verify::Verdict v = verify::evaluate(verify::history_from(events));
  std::vector<verify::CheckResult> named;
  for (const auto& c : v.checks) {
    if (objectives.contains(c.objective)) named.push_back(c);
  }
  return named;
}

// Every declared objective of the plan fails with limits it cannot meet.
void expect_each_objective_can_fail(const DrillRun& run, const Json& unmeetable) {
  const auto checks = recheck(run, unmeetable);
  EXPECT_EQ(checks.size(), unmeetable.size());
  for (const auto& c : checks) EXPECT_FALSE(c.pass) << c.objective << ": " << c.detail;
}

void expect_passed(const DrillRun& run) {
  ASSERT_EQ(run.result.exit_code, 0) << run.result.out << run.result.err;
  EXPECT_NE(run.result.out.find("PASS"), std::string::npos) << run.result.out;
}

TEST(FaultDrills, RollingRestartOfEveryCoordinatorLeaderLast) {
  const DrillRun run = run_drill("rolling-restart");
  expect_passed(run);
  std::vector<Json> restarted;
  for (const auto& s : run.of("fault.step")) {
    if (s["action"] == "restarted") restarted.push_back(s);
  }
  ASSERT_EQ(restarted.size(), 3u);
  EXPECT_EQ(restarted[0]["was_leader"], false);
  EXPECT_EQ(restarted[1]["was_leader"], false);
  EXPECT_EQ(restarted[2]["was_leader"], true) << "the leader is restarted last";
  EXPECT_NE(run.result.out.find("rolling restart step 3"), std::string::npos) << run.result.out;
  EXPECT_NE(read_file(run.dir / "run" / "report.html").find("Rolling restart"), std::string::npos);
  EXPECT_EQ(check_event(run.events, "rpo_writes")["measured"], 0);
  EXPECT_LE(check_event(run.events, "max_elections")["measured"].get<int>(), 2);
  expect_each_objective_can_fail(run, {{"rto_ms", 0}, {"max_elections", 0}});
  std::filesystem::remove_all(run.dir);
}

TEST(FaultDrills, CrashLoopOfAFollower) {
  const DrillRun run = run_drill("crash-loop-follower");
  expect_passed(run);
  std::size_t restarts = 0;
  for (const auto& e : run.of("member.start")) restarts += e["restart"] == true;
  EXPECT_EQ(restarts, 3u);
  EXPECT_EQ(run.of("member.exit").size(), 3u);
  expect_each_objective_can_fail(run, {{"rto_ms", 0}, {"max_elections", 0}});
  std::filesystem::remove_all(run.dir);
}

TEST(FaultDrills, ClockDriftOnTheLeader) {
  const DrillRun run = run_drill("clock-drift-leader");
  expect_passed(run);
  const auto injected = run.of("fault.inject");
  ASSERT_EQ(injected.size(), 1u);
  const Json m = injected[0]["measured"]["members"][0];
  EXPECT_NEAR(m["measured_drift_pct"].get<double>(), -60, m["tolerance_pct"].get<double>());
  const auto healed = run.of("fault.heal");
  ASSERT_EQ(healed.size(), 1u);
  EXPECT_GT(healed[0]["measured"]["members"][0]["slewed_ms"].get<double>(), 0.0);
  expect_each_objective_can_fail(run, {{"rto_ms", 0}, {"max_elections", 0}});
  std::filesystem::remove_all(run.dir);
}

TEST(FaultDrills, SlowFsyncOnTheLeaderWithALatencySteadyState) {
  const DrillRun run = run_drill("slow-fsync-leader");
  expect_passed(run);
  const Json disk = run.of("fault.inject")[0]["measured"]["members"][0]["disk"];
  EXPECT_GE(disk["mean_ms"].get<double>(), 40.0) << disk.dump();
  // The fault's fsync figures at the heal, over the whole fault.
  const Json during = run.of("fault.heal")[0]["measured"]["members"][0]["during"];
  EXPECT_GE(during["mean_ms"].get<double>(), 40.0) << during.dump();
  EXPECT_GT(during["syncs_in_mode"].get<int>(), 10);
  // Commit latency rises by about the delay, and the report says so.
  EXPECT_NE(read_file(run.dir / "run" / "report.html").find("write latency during the first fault"),
            std::string::npos);
  const auto events = run.events;
  std::vector<double> during_fault, before;
  std::map<std::string, double> invoked;
  const double t_f = run.of("fault.inject")[0]["t_ns"].get<double>();
  const double t_h = run.of("fault.heal")[0]["t_ns"].get<double>();
  for (const auto& e : events) {
    if (e.value("kind", "") == "op.invoke") invoked[e["op"].dump()] = e["t_ns"].get<double>();
    if (e.value("kind", "") != "op.complete" || e.value("result", "") != "ok") continue;
    const double start = invoked[e["op"].dump()];
    const double ms = (e["t_ns"].get<double>() - start) / 1e6;
    if (start >= t_f && start < t_h) during_fault.push_back(ms);
    if (start < t_f) before.push_back(ms);
  }
  ASSERT_FALSE(during_fault.empty());
  ASSERT_FALSE(before.empty());
  std::sort(during_fault.begin(), during_fault.end());
  std::sort(before.begin(), before.end());
  const double p50_during = during_fault[during_fault.size() / 2];
  const double p50_before = before[before.size() / 2];
  EXPECT_GE(p50_during - p50_before, 30.0) << "a 40 ms fsync delay on the leader, p50 before " << p50_before
                                            << " ms, during " << p50_during << " ms";
  expect_each_objective_can_fail(run, {{"rto_ms", 0}, {"max_elections", 0}});
  std::filesystem::remove_all(run.dir);
}

TEST(FaultDrills, FailingFsyncOnAFollower) {
  const DrillRun run = run_drill("fail-fsync-follower");
  expect_passed(run);
  const auto exits = run.of("member.exit");
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_EQ(exits[0]["signal"], 6) << "the member stopped itself at the failed fsync";
  EXPECT_EQ(run.of("fault.inject")[0]["effect"], "down");
  expect_each_objective_can_fail(run, {{"rto_ms", 0}, {"max_elections", 0}});
  std::filesystem::remove_all(run.dir);
}

TEST(FaultDrills, PowerLossWithLyingFsyncOnAMajorityLosesAcknowledgedWrites) {
  const DrillRun run = run_drill("power-loss-lying-fsync");
  expect_passed(run);
  const Json lost = check_event(run.events, "min_lost_writes");
  ASSERT_TRUE(lost["measured"].is_number()) << lost.dump();
  EXPECT_GE(lost["measured"].get<int>(), 1);
  EXPECT_EQ(lost["comparison"], ">=");
  EXPECT_NE(lost["detail"].get<std::string>().find("acknowledged at"), std::string::npos) << lost.dump();
  EXPECT_NE(run.result.out.find("declared >= 1 writes"), std::string::npos) << run.result.out;
  // The lost writes, with their times, are in the report.
  EXPECT_NE(read_file(run.dir / "run" / "report.html").find("why lost"), std::string::npos);
  // A power loss explains the lying members' commit index going back.
  EXPECT_EQ(check_event(run.events, "commit_monotonic")["pass"], true);
  expect_each_objective_can_fail(run, {{"min_lost_writes", 100000}, {"rpo_writes", 0}});
  std::filesystem::remove_all(run.dir);
}

TEST(FaultDrills, PowerLossDrillFailsWhenNothingIsLost) {
  // Without the lie the power loss drops nothing: the drill that expects a
  // loss must fail, not pass with an RPO of 0.
  const DrillRun run = run_drill("power-loss-lying-fsync",
                            {"--set", "faults[0].mode=slow_fsync", "--set", "faults[1].mode=slow_fsync"});
  ASSERT_EQ(run.result.exit_code, 1) << run.result.out << run.result.err;
  const Json lost = check_event(run.events, "min_lost_writes");
  EXPECT_EQ(lost["measured"], 0) << lost.dump();
  EXPECT_EQ(lost["pass"], false);
  std::filesystem::remove_all(run.dir);
}

TEST(FaultDrills, CpuPressureBesideTheLeader) {
  const DrillRun run = run_drill("cpu-pressure");
  expect_passed(run);
  const Json helper = run.of("fault.inject")[0]["measured"]["helpers"][0];
  EXPECT_GT(helper["cores"].get<double>(), 0.3) << helper.dump();
  const Json used = run.of("fault.heal")[0]["measured"]["helpers"][0];
  EXPECT_GT(used["cpu_seconds"].get<double>(), 1.0) << used.dump();
  EXPECT_FALSE(process_alive(helper["pid"].get<int>(), "stress-ng"));
  expect_each_objective_can_fail(run, {{"rto_ms", 0}, {"max_elections", 0}});
  std::filesystem::remove_all(run.dir);
}

}  // namespace
}  // namespace faultline::testing
