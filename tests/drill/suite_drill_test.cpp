// `faultline run` with a suite file: every plan in its own run folder under
// the suite's, with the suite's set applied; one line per plan and the
// suite's reports at the end; the exit code the worst plan's; an interrupt
// stops the suite, reports the plans left as not run, and exits with 3.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "tests/support/cli_process.hpp"

namespace faultline::testing {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

const std::string kLeaderKill = std::string(FAULTLINE_SOURCE_DIR) + "/drills/library/leader-kill.json";

// leader-kill shortened to about 3 s of load; `extra` are more overrides.
Json short_leader_kill(Json extra = Json::object()) {
  Json set{{"workload.duration_ms", 3000}, {"faults[0].at_ms", 800}, {"faults[0].restart_after_ms", 400}};
  for (auto& [key, value] : extra.items()) set[key] = value;
  return Json{{"plan", kLeaderKill}, {"set", set}};
}

fs::path write_suite(const fs::path& dir, const Json& plans) {
  const fs::path file = dir / "suite.json";
  std::ofstream(file) << Json{{"suite", "drill-suite"}, {"plans", plans}}.dump(2);
  return file;
}

TEST(SuiteDrill, EachPlanInItsFolderAndTheWorstExitCode) {
  const auto dir = scratch_dir("suite-drill");
  const auto suite = write_suite(
      dir, Json::array({short_leader_kill(), short_leader_kill({{"name", "leader-kill-strict"}, {"objectives.rto_ms", 1}})}));
  const auto out = dir / "out";
  const auto result = run_cli({"run", suite.string(), "--out", out.string()}, 170s);
  ASSERT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE(result.out.find("== plan 1/2: leader-kill ("), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("== plan 2/2: leader-kill-strict ("), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("FAIL  suite drill-suite: 1 of 2 plans passed, 1 failed (exit 1, "), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("  PASS        leader-kill         RTO "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("missed rto_ms"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("junit:   " + (out / "junit.xml").string()), std::string::npos) << result.out;

  for (const char* folder : {"01-leader-kill", "02-leader-kill-strict"}) {
    const auto events = journal_events(out / folder / "journal.jsonl");
    ASSERT_FALSE(events.empty()) << folder;
    EXPECT_EQ(events.front().value("kind", ""), "run");
    EXPECT_EQ(events.front()["plan"]["workload"]["duration_ms"], 3000) << "the suite's set applies";
    EXPECT_TRUE(fs::exists(out / folder / "report.html")) << folder;
  }
  EXPECT_EQ(check_event(journal_events(out / "02-leader-kill-strict" / "journal.jsonl"), "rto_ms").value("pass", true),
            false);
  const std::string junit = read_file(out / "junit.xml");
  EXPECT_NE(junit.find("<testsuite name=\"leader-kill\""), std::string::npos) << junit;
  EXPECT_NE(junit.find("<testsuite name=\"leader-kill-strict\""), std::string::npos) << junit;
  EXPECT_NE(junit.find("failures=\"1\""), std::string::npos) << junit;
  EXPECT_NE(read_file(out / "summary.md").find("| 2 | leader-kill-strict | FAIL |"), std::string::npos);
  EXPECT_NE(read_file(out / "report.html").find("<a href='01-leader-kill/report.html'>"), std::string::npos);

  // The same suite again into the same folder is refused before anything starts.
  const auto again = run_cli({"run", suite.string(), "--out", out.string()}, 20s);
  EXPECT_EQ(again.exit_code, 2) << again.err;
  EXPECT_NE(again.err.find("is not empty"), std::string::npos) << again.err;
  fs::remove_all(dir);
}

TEST(SuiteDrill, JsonIsOneObjectForTheWholeSuite) {
  const auto dir = scratch_dir("suite-drill-json");
  const auto suite = write_suite(dir, Json::array({short_leader_kill()}));
  const auto result = run_cli({"run", suite.string(), "--out", (dir / "out").string(), "--json"}, 120s);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const Json j = Json::parse(result.out);
  EXPECT_EQ(j["suite"], "drill-suite");
  EXPECT_EQ(j["verdict"], "pass");
  EXPECT_EQ(j["exit_code"], 0);
  ASSERT_EQ(j["plans"].size(), 1u);
  EXPECT_EQ(j["plans"][0]["verdict"], "pass");
  EXPECT_EQ(j["plans"][0]["run"]["verdict"], "pass");
  EXPECT_TRUE(j["plans"][0]["rto_ms"].is_number());
  EXPECT_EQ(j["files"]["junit"], (dir / "out" / "junit.xml").string());
  fs::remove_all(dir);
}

TEST(SuiteDrill, AnInterruptStopsTheSuiteAndThePlansLeftAreNotRun) {
  const auto dir = scratch_dir("suite-drill-stop");
  const auto suite = write_suite(dir, Json::array({short_leader_kill(), short_leader_kill()}));
  const auto out = dir / "out";
  CliProcess run({"run", suite.string(), "--out", out.string()}, dir);
  const auto journal = out / "01-leader-kill" / "journal.jsonl";
  ASSERT_TRUE(wait_until(
      [&] {
        for (const Json& e : journal_events(journal)) {
          if (e.value("kind", "") == "phase" && e.value("phase", "") == "baseline") return true;
        }
        return false;
      },
      60s))
      << "the first plan never reached its workload";
  run.signal(SIGINT);
  const CliResult result = run.wait(60s);
  ASSERT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_NE(result.out.find("INTERRUPTED  suite drill-suite: 0 of 2 plans passed, 1 not carried out, 1 not run"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("not run: the suite stopped first"), std::string::npos) << result.out;
  EXPECT_FALSE(fs::exists(out / "02-leader-kill")) << "a plan ran after the interrupt";
  const std::string junit = read_file(out / "junit.xml");
  EXPECT_NE(junit.find("<skipped message=\"not run: interrupted by Interrupt"), std::string::npos) << junit;
  fs::remove_all(dir);
}


// Live processes whose command line mentions `part` (the suite's folder:
// the children's --out and the members' --config both hold it).
std::vector<int> processes_mentioning(const std::string& part) {
  std::vector<int> found;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmdline = read_file(entry.path() / "cmdline");
    for (char& c : cmdline) c = c == '\0' ? ' ' : c;
    if (cmdline.find(part) != std::string::npos && process_alive(std::stoi(name))) found.push_back(std::stoi(name));
  }
  return found;
}

TEST(SuiteDrill, JobsRunPlansSideBySideWithTheSameVerdictsAndReports) {
  const auto dir = scratch_dir("suite-drill-jobs");
  const auto suite = write_suite(
      dir, Json::array({short_leader_kill(), short_leader_kill({{"name", "leader-kill-strict"}, {"objectives.rto_ms", 1}})}));
  const auto out = dir / "out";
  const auto result = run_cli({"run", suite.string(), "--out", out.string(), "--jobs", "2"}, 170s);
  ASSERT_EQ(result.exit_code, 1) << result.out << result.err;
  // Both started before either ended.
  EXPECT_TRUE(std::regex_search(result.out, std::regex("== plan [12]/2: leader-kill(-strict)? started \\(2 running\\)")))
      << result.out;
  EXPECT_NE(result.out.find("   plan 2/2: leader-kill-strict FAIL (exit 1, "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("   plan 1/2: leader-kill PASS (exit 0, "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("FAIL  suite drill-suite: 1 of 2 plans passed, 1 failed (exit 1, "), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("missed rto_ms"), std::string::npos) << result.out;
  for (const char* folder : {"01-leader-kill", "02-leader-kill-strict"}) {
    const auto events = journal_events(out / folder / "journal.jsonl");
    ASSERT_FALSE(events.empty()) << folder;
    EXPECT_EQ(events.front()["plan"]["workload"]["duration_ms"], 3000) << "the suite's set applies";
    EXPECT_TRUE(fs::exists(out / folder / "report.html")) << folder;
    // Each child printed its verdict line into its console file.
    const std::string console = read_file(out / (std::string(folder) + ".console.txt"));
    EXPECT_TRUE(std::regex_search(console, std::regex("(PASS|FAIL)  leader-kill"))) << folder << ": " << console;
  }
  const std::string junit = read_file(out / "junit.xml");
  EXPECT_NE(junit.find("<testsuite name=\"leader-kill-strict\""), std::string::npos) << junit;
  EXPECT_NE(junit.find("failures=\"1\""), std::string::npos) << junit;
  EXPECT_NE(read_file(out / "summary.md").find("| 2 | leader-kill-strict | FAIL |"), std::string::npos);
  EXPECT_TRUE(processes_mentioning(out.string()).empty());
  fs::remove_all(dir);
}

TEST(SuiteDrill, AnInterruptStopsEveryRunningChildAndThePlansLeftAreNotRun) {
  const auto dir = scratch_dir("suite-drill-jobs-stop");
  const auto suite = write_suite(dir, Json::array({short_leader_kill(), short_leader_kill(), short_leader_kill()}));
  const auto out = dir / "out";
  CliProcess run({"run", suite.string(), "--out", out.string(), "--jobs", "2"}, dir);
  auto in_workload = [&](const char* folder) {
    for (const Json& e : journal_events(out / folder / "journal.jsonl")) {
      if (e.value("kind", "") == "phase" && e.value("phase", "") == "baseline") return true;
    }
    return false;
  };
  ASSERT_TRUE(wait_until([&] { return in_workload("01-leader-kill") && in_workload("02-leader-kill"); }, 90s))
      << "the first two plans never reached their workloads together";
  run.signal(SIGINT);
  const CliResult result = run.wait(90s);
  ASSERT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_NE(result.out.find("INTERRUPTED  suite drill-suite: 0 of 3 plans passed, 2 not carried out, 1 not run"),
            std::string::npos)
      << result.out;
  EXPECT_FALSE(fs::exists(out / "03-leader-kill")) << "a plan started after the interrupt";
  for (const char* folder : {"01-leader-kill", "02-leader-kill"}) {
    bool stopped = false;
    for (const Json& e : journal_events(out / folder / "journal.jsonl")) {
      if (e.value("kind", "") == "aborted" && e.value("cause", "") == "interrupted") stopped = true;
    }
    EXPECT_TRUE(stopped) << folder << ": the child did not journal its interrupt";
  }
  EXPECT_TRUE(processes_mentioning(out.string()).empty()) << "a child or a member outlived the suite";
  fs::remove_all(dir);
}

}  // namespace
}  // namespace faultline::testing
