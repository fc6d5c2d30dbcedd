// What the process, clock and resource faults leave behind when a run is
// halted by a halt condition or interrupted (SIGINT: the faults are healed
// either way) or its runner is killed
// (SIGKILL: the kernel takes every helper and member with it): no stress-ng
// process, and no member still reading a libfaketime control file.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "chaos/faults/proc_usage.hpp"
#include "tests/support/cli_process.hpp"

namespace faultline::testing {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

std::optional<Json> first_of(const std::filesystem::path& journal, const std::string& kind) {
  for (const auto& e : journal_events(journal)) {
    if (e.value("kind", "") == kind) return e;
  }
  return std::nullopt;
}

// A bundled or written plan, run until its first fault is in force.
struct InFault {
  std::filesystem::path dir;
  std::filesystem::path journal;
  std::unique_ptr<CliProcess> process;
  Json inject;

  InFault(const std::string& name, const std::filesystem::path& plan, std::vector<std::string> sets) {
    dir = scratch_dir("fault-cleanup-" + name);
    journal = dir / "run" / "journal.jsonl";
    std::vector<std::string> args{"run", plan.string(), "--out", (dir / "run").string()};
    for (const auto& s : sets) args.insert(args.end(), {"--set", s});
    process = std::make_unique<CliProcess>(args, dir);
  }
  bool wait_for_fault() {
    const bool found = wait_until([&] { return first_of(journal, "fault.inject").has_value(); }, 60s);
    if (found) inject = *first_of(journal, "fault.inject");
    return found;
  }
  std::vector<int> member_pids() const {
    std::vector<int> pids;
    for (const auto& e : journal_events(journal)) {
      const std::string kind = e.value("kind", "");
      if (kind == "member.start" || kind == "worker.start") pids.push_back(e.value("pid", -1));
    }
    return pids;
  }
  void expect_no_member_left() const {
    for (int pid : member_pids()) {
      EXPECT_TRUE(wait_until([&] { return !process_alive(pid, "faultline"); }, 10s))
          << "member pid " << pid << " outlived the run";
    }
  }
};

const std::filesystem::path kCpuPlan = std::string(FAULTLINE_SOURCE_DIR) + "/drills/library/cpu-pressure.json";

void expect_stress_gone(int pgid) {
  EXPECT_TRUE(wait_until([&] { return faults::group_usage(pgid).pids.empty(); }, 10s))
      << "a stress-ng process of group " << pgid << " outlived the run";
}

TEST(FaultCleanup, SigintDuringCpuPressureHealsItAndStopsStressNg) {
  InFault run("cpu-sigint", kCpuPlan, {"faults[0].heal_after_ms=6000"});
  ASSERT_TRUE(run.wait_for_fault());
  const int pgid = run.inject["measured"]["helpers"][0]["pid"].get<int>();
  ASSERT_FALSE(faults::group_usage(pgid).pids.empty());
  run.process->signal(SIGINT);
  const auto result = run.process->wait(30s);
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  const auto heal = first_of(run.journal, "fault.heal");
  ASSERT_TRUE(heal.has_value()) << "the fault was not healed on the way out";
  EXPECT_EQ((*heal)["why"], "interrupted");
  expect_stress_gone(pgid);
  run.expect_no_member_left();
  std::filesystem::remove_all(run.dir);
}

// A probe that always fails, for halts only: a halt on it fires for certain
// `for_ms` into the first fault (the way out is under test, not detection).
const std::string kNeverHolds = R"({"name":"never","kind":"command","argv":["false"],"when":[]})";

TEST(FaultCleanup, AHaltDuringCpuPressureHealsItAndStopsStressNg) {
  InFault run("cpu-halt", kCpuPlan,
              {"faults[0].heal_after_ms=6000", "steady_state.probes=[" + kNeverHolds + "]",
               R"(halt=[{"probe":"never","for_ms":1000}])"});
  ASSERT_TRUE(run.wait_for_fault());
  const int pgid = run.inject["measured"]["helpers"][0]["pid"].get<int>();
  ASSERT_FALSE(faults::group_usage(pgid).pids.empty());
  const auto result = run.process->wait(60s);
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  ASSERT_TRUE(first_of(run.journal, "halt").has_value()) << result.out;
  const auto heal = first_of(run.journal, "fault.heal");
  ASSERT_TRUE(heal.has_value()) << "the halt did not heal the fault";
  EXPECT_EQ((*heal)["why"], "halt");
  expect_stress_gone(pgid);
  run.expect_no_member_left();
  std::filesystem::remove_all(run.dir);
}

TEST(FaultCleanup, SigkillOfTheRunnerTakesStressNgWithIt) {
  InFault run("cpu-sigkill", kCpuPlan, {"faults[0].heal_after_ms=6000"});
  ASSERT_TRUE(run.wait_for_fault());
  const int pgid = run.inject["measured"]["helpers"][0]["pid"].get<int>();
  const std::size_t processes = faults::group_usage(pgid).pids.size();
  EXPECT_GE(processes, 2u) << "stress-ng and its workers";
  run.process->signal(SIGKILL);
  EXPECT_EQ(run.process->wait(10s).signal, SIGKILL);
  // Its parent-death signal ends stress-ng, and stress-ng's own ends its workers.
  expect_stress_gone(pgid);
  run.expect_no_member_left();
  std::filesystem::remove_all(run.dir);
}

// A worker's wall clock 30 s ahead through libfaketime, until interrupted.
std::filesystem::path worker_clock_plan(const std::filesystem::path& dir) {
  Json plan{{"name", "worker-clock"},
            {"topology", {{"kind", "embedded"}, {"coordinators", 1}, {"workers", 1}}},
            {"workload", {{"clients", 2}, {"rate_per_s", 50}, {"duration_ms", 20000}}},
            {"faults", Json::array({{{"kind", "clock"}, {"target", "w1"}, {"mode", "offset"},
                                     {"offset_ms", 30000}, {"at_ms", 500}}})}};
  std::filesystem::create_directories(dir);
  const auto file = dir / "worker-clock.json";
  std::ofstream(file) << plan.dump(2);
  return file;
}

std::string control_file_text(const InFault& run) {
  std::ifstream in(run.dir / "run" / "members" / "w1" / "faketime.rc");
  std::string line;
  std::getline(in, line);
  return line;
}

TEST(FaultCleanup, SigintPutsAWorkersClockBackInItsControlFile) {
  const auto plans = scratch_dir("fault-cleanup-plans-int");
  InFault run("clock-sigint", worker_clock_plan(plans), {});
  ASSERT_TRUE(run.wait_for_fault());
  EXPECT_EQ(run.inject["measured"]["members"][0]["way"], "faketime");
  EXPECT_EQ(control_file_text(run), "+30.000");
  run.process->signal(SIGINT);
  const auto result = run.process->wait(30s);
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_EQ(control_file_text(run), "+0.000") << "the heal on the way out returns the clock to the true time";
  run.expect_no_member_left();
  std::filesystem::remove_all(run.dir);
  std::filesystem::remove_all(plans);
}

TEST(FaultCleanup, AHaltPutsAWorkersClockBackInItsControlFile) {
  const auto plans = scratch_dir("fault-cleanup-plans-halt");
  InFault run("clock-halt", worker_clock_plan(plans),
              {"steady_state.probes=[" + kNeverHolds + "]", R"(halt=[{"probe":"never","for_ms":1000}])"});
  ASSERT_TRUE(run.wait_for_fault());
  EXPECT_EQ(control_file_text(run), "+30.000");
  const auto result = run.process->wait(60s);
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  ASSERT_TRUE(first_of(run.journal, "halt").has_value()) << result.out;
  const auto heal = first_of(run.journal, "fault.heal");
  ASSERT_TRUE(heal.has_value()) << "the halt did not heal the clock fault";
  EXPECT_EQ((*heal)["why"], "halt");
  EXPECT_EQ(control_file_text(run), "+0.000") << "the halt's heal returns the clock to the true time";
  run.expect_no_member_left();
  std::filesystem::remove_all(run.dir);
  std::filesystem::remove_all(plans);
}

TEST(FaultCleanup, SigkillLeavesNoMemberReadingAShiftedControlFile) {
  const auto plans = scratch_dir("fault-cleanup-plans-kill");
  InFault run("clock-sigkill", worker_clock_plan(plans), {});
  ASSERT_TRUE(run.wait_for_fault());
  run.process->signal(SIGKILL);
  EXPECT_EQ(run.process->wait(10s).signal, SIGKILL);
  // The control file keeps its offset, but nothing reads it any more: the
  // members died with the runner, and a run folder is never reused.
  run.expect_no_member_left();
  std::filesystem::remove_all(run.dir);
  std::filesystem::remove_all(plans);
}

}  // namespace
}  // namespace faultline::testing
