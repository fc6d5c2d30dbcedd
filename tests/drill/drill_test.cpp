// End-to-end drills: the real `faultline` binary runs the bundled plan against
// real coordinator processes, and its verdict, exit code, reports and cleanup
// are checked.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "drills/plan/plan.hpp"
#include "faultline/version.hpp"
#include "tests/support/cli_process.hpp"

namespace faultline::testing {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

const std::string kPlan = std::string(FAULTLINE_SOURCE_DIR) + "/drills/library/leader-kill.json";

bool journal_has(const std::filesystem::path& file, const std::string& kind) {
  for (const auto& e : journal_events(file)) {
    if (e.value("kind", "") == kind) return true;
  }
  return false;
}

std::vector<int> member_pids(const std::filesystem::path& file) {
  std::vector<int> pids;
  for (const auto& e : journal_events(file)) {
    if (e.value("kind", "") == "member.start") pids.push_back(e.value("pid", -1));
  }
  return pids;
}

TEST(LeaderKillDrill, PassesWithMeasuredRtoAndNoLostWrite) {
  const auto out = scratch_dir("drill-pass");
  const auto result = run_cli({"run", kPlan, "--out", (out / "run").string()}, 120s);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("PASS"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("RTO parts: detect"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("RPO: 0 of"), std::string::npos) << result.out;

  const auto events = journal_events(out / "run" / "journal.jsonl");
  int injected = 0, acknowledged = 0;
  std::string plan_hash, version;
  for (const auto& e : events) {
    const std::string kind = e.value("kind", "");
    if (kind == "run") {
      plan_hash = e.value("plan_hash", "");
      version = e.value("version", "");
    }
    if (kind == "fault.inject") ++injected;
    if (kind == "op.complete" && e.value("result", "") == "ok") ++acknowledged;
  }
  EXPECT_EQ(injected, 1);
  EXPECT_GT(acknowledged, 100);
  // FNV-1a 64 of the plan file (tests/plan/plan_hash_test.cpp checks the hash).
  EXPECT_EQ(plan_hash, plan::plan_hash(read_file(kPlan)));
  EXPECT_EQ(version, faultline::kVersion);
  // The plan declares both objectives, so the journal must hold both checks.
  const Json rto = check_event(events, "rto_ms");
  ASSERT_TRUE(rto.is_object()) << "the journal has no rto_ms check";
  ASSERT_TRUE(rto.value("measured", Json()).is_number()) << rto.dump();
  EXPECT_GT(rto.at("measured").get<double>(), 0.0);
  EXPECT_EQ(rto.value("pass", false), true) << rto.dump();
  const Json rpo = check_event(events, "rpo_writes");
  ASSERT_TRUE(rpo.is_object()) << "the journal has no rpo_writes check";
  EXPECT_EQ(rpo.value("measured", Json()), 0) << rpo.dump();
  const auto html = read_file(out / "run" / "report.html");
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(read_file(out / "run" / "junit.xml").find("<testsuite"), std::string::npos);
  std::filesystem::remove_all(out);
}

TEST(LeaderKillDrill, UnmeetableObjectiveExitsOneAndSaysByHowMuch) {
  const auto out = scratch_dir("drill-fail");
  const auto result = run_cli({"run", kPlan, "--out", (out / "run").string(), "--set",
                               "objectives.rto_ms=1", "--set", "workload.duration_ms=6000"},
                              120s);
  ASSERT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE(result.out.find("FAIL"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("exceeds the objective of 1 ms by"), std::string::npos) << result.out;
  const auto junit = read_file(out / "run" / "junit.xml");
  EXPECT_NE(junit.find("<failure"), std::string::npos);
  EXPECT_NE(read_file(out / "run" / "report.html").find("rto_ms"), std::string::npos);
  std::filesystem::remove_all(out);
}

TEST(Cli, VersionIsTheProjectVersionFromCMake) {
  const auto result = run_cli({"--version"}, 30s);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, std::string("faultline ") + faultline::kVersion + "\n");
}

struct BadPlan {
  std::string name;
  std::string text;          // empty: the file does not exist
  std::string expected_path; // what the error must name
};

void PrintTo(const BadPlan& plan, std::ostream* os) { *os << plan.name; }

class BadInput : public ::testing::TestWithParam<BadPlan> {};

TEST_P(BadInput, ExitsTwoNamingFileAndPathAndStartsNothing) {
  const auto dir = scratch_dir("bad-input");
  const auto plan = dir / (GetParam().name + ".json");
  if (!GetParam().text.empty()) std::ofstream(plan) << GetParam().text;
  const auto run_dir = dir / "run";
  const auto result = run_cli({"run", plan.string(), "--out", run_dir.string()}, 30s);
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find(plan.filename().string()), std::string::npos) << result.err;
  EXPECT_NE(result.err.find(GetParam().expected_path), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("nothing was started"), std::string::npos) << result.err;
  EXPECT_FALSE(std::filesystem::exists(run_dir)) << "a run folder was created";
  std::filesystem::remove_all(dir);
}

std::string valid_plan_with(const std::string& from, const std::string& to) {
  std::string text = read_file(kPlan);
  const auto at = text.find(from);
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

INSTANTIATE_TEST_SUITE_P(
    Plans, BadInput,
    ::testing::Values(
        BadPlan{"missing", "", "missing.json"},
        BadPlan{"malformed", "{\n  \"name\": \"x\",\n  \"topology\": {\n}", "malformed.json:4"},
        BadPlan{"wrong_type", valid_plan_with("\"clients\": 4", "\"clients\": \"four\""),
                "$.workload.clients"},
        BadPlan{"unknown_field", valid_plan_with("\"rto_ms\": 3000", "\"rto_msec\": 3000"),
                "$.objectives.rto_msec"},
        BadPlan{"negative_duration", valid_plan_with("\"restart_after_ms\": 1500",
                                                     "\"restart_after_ms\": -1500"),
                "$.faults[0].restart_after_ms"}),
    [](const ::testing::TestParamInfo<BadPlan>& plan) { return plan.param.name; });

// Starts the bundled drill and waits until its fault has been injected.
struct DrillInFault {
  std::filesystem::path dir = scratch_dir("drill-interrupt");
  std::filesystem::path journal = dir / "run" / "journal.jsonl";
  CliProcess process{{"run", kPlan, "--out", (dir / "run").string(), "--set",
                      "faults[0].restart_after_ms=4000"},
                     dir};

  bool wait_for_fault() {
    return wait_until([&] { return journal_has(journal, "fault.inject"); }, 60s);
  }
  void expect_no_member_left() {
    const auto pids = member_pids(journal);
    ASSERT_GE(pids.size(), 3u);
    for (int pid : pids) {
      EXPECT_TRUE(wait_until([&] { return !process_alive(pid, "coordinator"); }, 10s))
          << "member pid " << pid << " outlived the run";
    }
  }
};

TEST(Cleanup, SigintMidFaultStopsEveryMember) {
  DrillInFault drill;
  ASSERT_TRUE(drill.wait_for_fault());
  ASSERT_FALSE(journal_has(drill.journal, "fault.heal"));
  drill.process.signal(SIGINT);
  const auto result = drill.process.wait(30s);
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_NE(result.err.find("interrupted"), std::string::npos) << result.err;
  drill.expect_no_member_left();
  // What was recorded is reported, marked interrupted; the fault is in it.
  const auto run = drill.dir / "run";
  const std::string junit = read_file(run / "junit.xml");
  EXPECT_NE(junit.find("<testcase classname=\"faultline.leader-kill\" name=\"run\""), std::string::npos) << junit;
  EXPECT_NE(junit.find("type=\"interrupted\""), std::string::npos) << junit;
  const std::string html = read_file(run / "report.html");
  EXPECT_NE(html.find(">INTERRUPTED</span>"), std::string::npos);
  EXPECT_NE(html.find("SIGKILL to process group of pid"), std::string::npos) << "the report lacks the injected fault";
  EXPECT_NE(read_file(run / "summary.md").find("## leader-kill: INTERRUPTED"), std::string::npos);
  std::filesystem::remove_all(drill.dir);
}

TEST(Cleanup, SigkillOfTheRunnerTakesEveryMemberWithIt) {
  DrillInFault drill;
  ASSERT_TRUE(drill.wait_for_fault());
  drill.process.signal(SIGKILL);
  const auto result = drill.process.wait(10s);
  EXPECT_EQ(result.signal, SIGKILL);
  drill.expect_no_member_left();
  std::filesystem::remove_all(drill.dir);
}

}  // namespace
}  // namespace faultline::testing
