// End-to-end drills with worker nodes: routed calls of sticky sessions fail
// over when the busiest worker is killed or paused, and the failover checks
// measure it from the journal. Also: a run never reuses a folder.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/cli_process.hpp"

namespace faultline::testing {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

const std::string kPlan = std::string(FAULTLINE_SOURCE_DIR) + "/drills/library/worker-failover.json";

TEST(WorkerFailoverDrill, KilledWorkerSessionsFailOverWithNoLostCall) {
  const auto out = scratch_dir("worker-kill");
  const auto result = run_cli({"run", kPlan, "--out", (out / "run").string()}, 150s);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("Failover:"), std::string::npos) << result.out;

  const auto events = journal_events(out / "run" / "journal.jsonl");
  int calls_ok = 0, worker_exits = 0;
  std::string killed;
  for (const auto& e : events) {
    if (e["kind"] == "call.complete" && e["result"] == "ok") ++calls_ok;
    if (e["kind"] == "worker.exit") ++worker_exits;
    if (e["kind"] == "fault.inject") killed = e["targets"][0].get<std::string>();
  }
  EXPECT_GT(calls_ok, 100);
  EXPECT_EQ(worker_exits, 1);
  EXPECT_EQ(killed.front(), 'w');
  const Json failover = check_event(events, "failover_ms");
  ASSERT_TRUE(failover.is_object());
  ASSERT_TRUE(failover["measured"].is_number()) << failover.dump();
  EXPECT_GT(failover["measured"].get<double>(), 0.0);
  EXPECT_EQ(check_event(events, "calls_lost")["measured"], 0);
  EXPECT_EQ(check_event(events, "sessions_moved_without_cause")["measured"], 0);
  EXPECT_NE(read_file(out / "run" / "report.html").find("Failover"), std::string::npos);
  std::filesystem::remove_all(out);
}

TEST(WorkerFailoverDrill, PausedWorkerSessionsMoveOnlyAfterTheWorkerTimeout) {
  const auto dir = scratch_dir("worker-pause");
  Json plan = Json::parse(read_file(kPlan));
  plan["name"] = "worker-pause";
  plan["faults"] = Json::array(
      {Json{{"kind", "pause"}, {"target", "worker"}, {"at_ms", 2000}, {"resume_after_ms", 2000}}});
  plan["objectives"]["failover_ms"] = 3000;
  const auto plan_file = dir / "worker-pause.json";
  std::ofstream(plan_file) << plan.dump(2);
  const auto result = run_cli({"run", plan_file.string(), "--out", (dir / "run").string()}, 150s);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const auto events = journal_events(dir / "run" / "journal.jsonl");
  const Json failover = check_event(events, "failover_ms");
  ASSERT_TRUE(failover["measured"].is_number()) << failover.dump();
  // A paused worker still accepts connections: a call to it fails only after
  // worker_timeout_ms (500), so no session can have moved much sooner.
  EXPECT_GE(failover["measured"].get<double>(), 400.0);
  bool paused = false;
  for (const auto& e : events) {
    if (e["kind"] == "fault.inject") paused = e["fault_kind"] == "pause";
    EXPECT_NE(e.value("kind", ""), "worker.exit") << "a paused worker must not exit";
  }
  EXPECT_TRUE(paused);
  std::filesystem::remove_all(dir);
}

TEST(LeaderPauseDrill, APausedLeaderIsReplacedAndRejoinsWithoutLosingWrites) {
  const auto dir = scratch_dir("leader-pause");
  Json plan = Json::parse(read_file(std::string(FAULTLINE_SOURCE_DIR) + "/drills/library/leader-kill.json"));
  plan["name"] = "leader-pause";
  plan["faults"] = Json::array(
      {Json{{"kind", "pause"}, {"target", "leader"}, {"at_ms", 2500}, {"resume_after_ms", 1500}}});
  const auto plan_file = dir / "leader-pause.json";
  std::ofstream(plan_file) << plan.dump(2);
  const auto result = run_cli({"run", plan_file.string(), "--out", (dir / "run").string()}, 150s);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const auto events = journal_events(dir / "run" / "journal.jsonl");
  std::string paused;
  bool healed = false;
  for (const auto& e : events) {
    if (e["kind"] == "fault.inject") {
      EXPECT_EQ(e["fault_kind"], "pause");
      EXPECT_NE(e["confirmed"].get<std::string>().find("state T"), std::string::npos) << e.dump();
      paused = e["targets"][0].get<std::string>();
    }
    if (e["kind"] == "fault.heal") healed = true;
    EXPECT_NE(e.value("kind", ""), "member.exit") << "a paused member must not exit";
  }
  EXPECT_EQ(paused.front(), 'c');
  EXPECT_TRUE(healed);
  // The others elected a new leader while it was stopped: RTO was measured.
  const Json rto = check_event(events, "rto_ms");
  ASSERT_TRUE(rto["measured"].is_number()) << rto.dump();
  EXPECT_EQ(check_event(events, "rpo_writes")["measured"], 0);
  EXPECT_EQ(check_event(events, "term_monotonic")["measured"], 0);
  std::filesystem::remove_all(dir);
}

TEST(RunFolder, ANonEmptyFolderIsRefusedAndLeftAlone) {
  const auto dir = scratch_dir("run-folder");
  std::filesystem::create_directories(dir / "run");
  std::ofstream(dir / "run" / "journal.jsonl") << "{\"kind\":\"run\"}\n";
  const auto result = run_cli({"run", kPlan, "--out", (dir / "run").string()}, 30s);
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("is not empty"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("nothing was started"), std::string::npos) << result.err;
  EXPECT_EQ(read_file(dir / "run" / "journal.jsonl"), "{\"kind\":\"run\"}\n");
  EXPECT_FALSE(std::filesystem::exists(dir / "run" / "members"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace faultline::testing
