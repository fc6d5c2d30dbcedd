// Every process, clock, disk and resource fault is reverted when a halt
// condition stops the drill with it in force: the halt heals it (`fault.heal`
// with `why` `halt` and what the heal confirmed: the member runs again, the
// clock reads true, the fsyncs are honest again, stress-ng is gone), the run
// exits 1 (HALTED), and no member or helper process outlives it.
//
// The halt's probe never holds (a command that exits 1, used by the halt
// only), so the halt fires for certain a second into the fault: what is under
// test is the way out, not detection (tests/drill/steady_drill_test.cpp has
// halts on probes that real faults break). cpu and the worker's faketime
// clock are in fault_cleanup_test.cpp beside their SIGINT and SIGKILL cases.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "chaos/faults/proc_usage.hpp"
#include "tests/support/cli_process.hpp"

namespace faultline::testing {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

struct HaltCase {
  std::string name;
  Json fault;  // injected at 1 s, in force until the halt heals it
};

std::ostream& operator<<(std::ostream& os, const HaltCase& c) { return os << c.name; }

Json halted_plan(const HaltCase& c) {
  Json fault = c.fault;
  fault["at_ms"] = 1000;
  return Json{{"name", "halt-" + c.name},
              {"seed", 21},
              {"topology", {{"kind", "embedded"}, {"coordinators", 3}}},
              {"workload", {{"clients", 2}, {"rate_per_s", 100}, {"duration_ms", 12000}, {"keys", 10}}},
              {"steady_state",
               {{"probes", Json::array({{{"name", "never"}, {"kind", "command"}, {"argv", {"false"}},
                                         {"when", Json::array()}}})}}},
              {"faults", Json::array({fault})},
              {"halt", Json::array({{{"probe", "never"}, {"for_ms", 1000}}})},
              {"objectives", {{"rpo_writes", 0}}}};
}

class HaltRevert : public ::testing::TestWithParam<HaltCase> {};

TEST_P(HaltRevert, TheHaltHealsTheFaultAndLeavesNothingRunning) {
  const HaltCase& c = GetParam();
  const auto dir = scratch_dir("halt-revert-" + c.name);
  const auto plan_file = dir / "plan.json";
  std::ofstream(plan_file) << halted_plan(c).dump(2);
  const auto result = run_cli({"run", plan_file.string(), "--out", (dir / "run").string()}, 120s);
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE(result.out.find("HALTED"), std::string::npos) << result.out;

  const auto events = journal_events(dir / "run" / "journal.jsonl");
  std::vector<Json> injected;
  std::vector<Json> healed;
  std::vector<int> member_pids;
  std::size_t halts = 0;
  for (const auto& e : events) {
    const std::string kind = e.value("kind", "");
    if (kind == "fault.inject") injected.push_back(e);
    if (kind == "fault.heal") healed.push_back(e);
    if (kind == "halt") ++halts;
    if (kind == "member.start") member_pids.push_back(e.value("pid", -1));
  }
  EXPECT_EQ(halts, 1u);
  ASSERT_EQ(injected.size(), 1u) << result.out;
  ASSERT_EQ(healed.size(), 1u) << "the halt did not heal the fault in force:\n" << result.out;
  EXPECT_EQ(healed[0].value("why", ""), "halt") << healed[0].dump();
  EXPECT_FALSE(healed[0].value("confirmed", "").empty()) << "the heal confirmed nothing: " << healed[0].dump();
  EXPECT_TRUE(healed[0].value("error", "").empty()) << healed[0].dump();

  // stress-ng's process group, when the fault had one.
  const Json helpers = injected[0].value("measured", Json::object()).value("helpers", Json::array());
  for (const auto& h : helpers) {
    const int pgid = h.value("pid", -1);
    EXPECT_TRUE(wait_until([&] { return faults::group_usage(pgid).pids.empty(); }, 10s))
        << "a helper process of group " << pgid << " outlived the run";
  }
  for (int pid : member_pids) {
    EXPECT_TRUE(wait_until([&] { return !process_alive(pid, "faultline"); }, 10s))
        << "member pid " << pid << " outlived the run";
  }
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(
    EveryKind, HaltRevert,
    ::testing::Values(
        HaltCase{"terminate", {{"kind", "terminate"}, {"target", "follower"}, {"heal_after_ms", 8000}}},
        HaltCase{"crash_loop",
                 {{"kind", "crash_loop"}, {"target", "follower"}, {"count", 6}, {"interval_ms", 1000}}},
        HaltCase{"rolling_restart", {{"kind", "rolling_restart"}, {"target", "all"}, {"settle_ms", 2000}}},
        HaltCase{"clock", {{"kind", "clock"}, {"target", "leader"}, {"mode", "offset"}, {"offset_ms", 30000}}},
        HaltCase{"slow_fsync", {{"kind", "disk"}, {"target", "leader"}, {"mode", "slow_fsync"}, {"delay_ms", 40}}},
        HaltCase{"lying_fsync", {{"kind", "disk"}, {"target", "follower"}, {"mode", "lying_fsync"}}},
        HaltCase{"power_loss", {{"kind", "power_loss"}, {"target", "follower"}, {"heal_after_ms", 8000}}},
        HaltCase{"memory", {{"kind", "memory"}, {"target", "follower"}, {"workers", 1}, {"mb", 128}}}),
    [](const ::testing::TestParamInfo<HaltCase>& p) { return p.param.name; });

}  // namespace
}  // namespace faultline::testing
