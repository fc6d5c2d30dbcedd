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
  int calls_ok = 0;
  std::vector<std::string> killed, exited;
  for (const auto& e : events) {
    const std::string kind = e.value("kind", "");
    if (kind == "call.complete" && e.value("result", "") == "ok") ++calls_ok;
    if (kind == "worker.exit") exited.push_back(e.value("worker", ""));
    if (kind == "fault.inject") {
      for (const auto& target : e.value("targets", Json::array())) killed.push_back(target.get<std::string>());
    }
  }
  EXPECT_GT(calls_ok, 100);
  // One worker of the topology was killed, and it is the one that exited.
  ASSERT_EQ(killed.size(), 1u) << "expected one fault target in the journal";
  EXPECT_TRUE(killed[0] == "w1" || killed[0] == "w2" || killed[0] == "w3") << killed[0];
  EXPECT_EQ(exited, killed);
  const Json failover = check_event(events, "failover_ms");
  ASSERT_TRUE(failover.is_object()) << "the journal has no failover_ms check";
  ASSERT_TRUE(failover.value("measured", Json()).is_number()) << failover.dump();
  EXPECT_GT(failover.at("measured").get<double>(), 0.0);
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
  ASSERT_TRUE(failover.is_object()) << "the journal has no failover_ms check";
  ASSERT_TRUE(failover.value("measured", Json()).is_number()) << failover.dump();
  // A paused worker still accepts connections: a call to it fails only after
  // worker_timeout_ms (500), so no session can have moved much sooner.
  EXPECT_GE(failover.at("measured").get<double>(), 400.0);
  bool paused = false;
  for (const auto& e : events) {
    if (e.value("kind", "") == "fault.inject") paused = e.value("fault_kind", "") == "pause";
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
  std::vector<std::string> paused;
  bool healed = false;
  for (const auto& e : events) {
    const std::string kind = e.value("kind", "");
    if (kind == "fault.inject") {
      EXPECT_EQ(e.value("fault_kind", ""), "pause");
      EXPECT_NE(e.value("confirmed", "").find("state T"), std::string::npos) << e.dump();
      for (const auto& target : e.value("targets", Json::array())) paused.push_back(target.get<std::string>());
    }
    if (kind == "fault.heal") healed = true;
    EXPECT_NE(kind, "member.exit") << "a paused member must not exit";
  }
  // The leader is a coordinator of the topology (c1..c3), never a worker.
  ASSERT_EQ(paused.size(), 1u) << "expected one fault target in the journal";
  EXPECT_TRUE(paused[0] == "c1" || paused[0] == "c2" || paused[0] == "c3") << paused[0];
  EXPECT_TRUE(healed);
  // The others elected a new leader while it was stopped: RTO was measured.
  const Json rto = check_event(events, "rto_ms");
  ASSERT_TRUE(rto.is_object()) << "the journal has no rto_ms check";
  ASSERT_TRUE(rto.value("measured", Json()).is_number()) << rto.dump();
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
