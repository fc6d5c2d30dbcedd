// clock, disk, power_loss, cpu and memory over fakes: what each asks of the
// member's failpoints, what it confirms, and what it refuses.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <fstream>

#include "chaos/faults/registry.hpp"
#include "tests/faults/fake_environment.hpp"

namespace faultline::testing {
namespace {

double measured_skew(const FakeEnvironment& env, std::size_t member = 0) {
  return (*env.last("fault.inject"))["measured"]["members"][member]["measured_skew_ms"].get<double>();
}

TEST(ClockFault, OffsetIsSetThroughTheFailpointAndConfirmedFromOutside) {
  FakeEnvironment env({"c1", "c2", "c3"}, {}, "c1");
  faults::FaultRegistry registry(env);
  ASSERT_FALSE(registry.inject(request_for("clock", "leader", {{"mode", "offset"}, {"offset_ms", 5000}})));
  EXPECT_EQ(env.admin_calls[1], "PUT c1 /admin/failpoints/clock {\"mode\":\"offset\",\"offset_ms\":5000.0}");
  EXPECT_NEAR(measured_skew(env), 5000, 5);
  EXPECT_EQ((*env.last("fault.inject"))["effect"], "degraded");
  ASSERT_FALSE(registry.heal(0, "timeline"));
  EXPECT_EQ(env.failpoints["c1"].skew_ms, 0);
  EXPECT_NEAR((*env.last("fault.heal"))["measured"]["members"][0]["measured_skew_ms"].get<double>(), 0, 5);
}

TEST(ClockFault, JumpsAddUp) {
  FakeEnvironment env({"c1", "c2", "c3"}, {}, "c1");
  faults::FaultRegistry registry(env);
  ASSERT_FALSE(registry.inject(request_for("clock", "c2", {{"mode", "jump"}, {"offset_ms", -2000}}, 0)));
  ASSERT_FALSE(registry.inject(request_for("clock", "c2", {{"mode", "jump"}, {"offset_ms", -3000}}, 1)));
  EXPECT_NEAR(measured_skew(env), -5000, 5);
}

TEST(ClockFault, DriftIsMeasuredOverTwoReadings) {
  FakeEnvironment env({"c1", "c2", "c3"}, {}, "c1");
  faults::FaultRegistry registry(env);
  ASSERT_FALSE(registry.inject(request_for("clock", "c1", {{"mode", "drift"}, {"drift_pct", 50}})));
  const auto& m = (*env.last("fault.inject"))["measured"]["members"][0];
  EXPECT_NEAR(m["measured_drift_pct"].get<double>(), 50, m["tolerance_pct"].get<double>());
}

TEST(ClockFault, AWorkerUnderLibfaketimeIsShiftedThroughItsControlFileAndProbed) {
  const auto dir = std::filesystem::temp_directory_path() / ("faultline-faketime-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  FakeEnvironment env({"c1", "c2", "c3"}, {"w1"}, "c1");
  env.faketime_dir = dir;
  faults::FaultRegistry registry(env);
  ASSERT_FALSE(registry.inject(request_for("clock", "w1", {{"mode", "offset"}, {"offset_ms", 30000}})));
  std::ifstream in(dir / "w1.rc");
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "+30.000");
  EXPECT_NEAR(measured_skew(env), 30000, 50);
  EXPECT_EQ((*env.last("fault.inject"))["measured"]["members"][0]["way"], "faketime");
  ASSERT_FALSE(registry.heal(0, "timeline"));
  std::ifstream again(dir / "w1.rc");
  std::getline(again, line);
  EXPECT_EQ(line, "+0.000");
  // libfaketime applies a rate from the process's start: drift is refused.
  const auto refused = registry.inject(request_for("clock", "w1", {{"mode", "drift"}, {"drift_pct", 10}}, 1));
  ASSERT_TRUE(refused.has_value());
  EXPECT_NE(refused->find("use mode offset or jump"), std::string::npos) << *refused;
  std::filesystem::remove_all(dir);
}

TEST(ClockFault, AMemberWithNoWayToShiftItsClockStopsTheRunSayingWhy) {
  FakeEnvironment env({"c1", "c2", "c3"}, {"w1"}, "c1");
  faults::FaultRegistry registry(env);
  const auto error = registry.inject(request_for("clock", "w1", {{"mode", "offset"}, {"offset_ms", 1000}}));
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->find("started without libfaketime"), std::string::npos) << *error;
  EXPECT_EQ(registry.count_in_force(), 0u);
}

TEST(DiskFault, SlowFsyncIsConfirmedByTheMembersSyncLatency) {
  FakeEnvironment env({"c1", "c2", "c3"}, {}, "c1");
  faults::FaultRegistry registry(env);
  ASSERT_FALSE(registry.inject(request_for("disk", "leader", {{"mode", "slow_fsync"}, {"delay_ms", 25}})));
  EXPECT_EQ(env.failpoints["c1"].disk, "slow_fsync");
  EXPECT_EQ((*env.last("fault.inject"))["effect"], "degraded");
  EXPECT_GE((*env.last("fault.inject"))["measured"]["members"][0]["disk"]["mean_ms"].get<double>(), 25);
  ASSERT_FALSE(registry.heal(0, "timeline"));
  EXPECT_EQ(env.failpoints["c1"].disk, "off");
}

TEST(DiskFault, FailingFsyncTakesTheMemberDownAndTheHealRestartsIt) {
  FakeEnvironment env({"c1", "c2", "c3"}, {}, "c1");
  faults::FaultRegistry registry(env);
  ASSERT_FALSE(registry.inject(request_for("disk", "c3", {{"mode", "fail_fsync"}})));
  const auto* inject = env.last("fault.inject");
  EXPECT_EQ((*inject)["effect"], "down");
  EXPECT_NE((*inject)["confirmed"].get<std::string>().find("killed by signal 6"), std::string::npos);
  const auto* exit = env.last("member.exit");
  ASSERT_NE(exit, nullptr);
  EXPECT_EQ((*exit)["signal"], 6);
  EXPECT_FALSE(env.fake_processes().is_running("c3"));
  ASSERT_FALSE(registry.heal(0, "timeline"));
  EXPECT_TRUE(env.fake_processes().is_running("c3"));
}

TEST(DiskFault, ActsOnVotersOnly) {
  FakeEnvironment env({"c1", "c2", "c3"}, {"w1"}, "c1");
  faults::FaultRegistry registry(env);
  const auto error = registry.inject(request_for("disk", "w1", {{"mode", "slow_fsync"}}));
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->find("acts on voters only"), std::string::npos) << *error;
}

TEST(PowerLoss, KillsTogetherDropsWhatLyingDisksDidNotSyncAndRestartsTheLiarsFirst) {
  FakeEnvironment env({"c1", "c2", "c3"}, {}, "c1");
  faults::FaultRegistry registry(env);
  ASSERT_FALSE(registry.inject(request_for("disk", "c1", {{"mode", "lying_fsync"}}, 0)));
  ASSERT_FALSE(registry.inject(request_for("disk", "c2", {{"mode", "lying_fsync"}}, 1)));
  ASSERT_FALSE(registry.inject(request_for("power_loss", "all", {{"restart", "lying_first"}}, 2)));
  const auto* inject = env.last("fault.inject");
  EXPECT_EQ((*inject)["detail"]["power_loss"], true);
  EXPECT_EQ((*inject)["detail"]["lying"], faults::Json::array({"c1", "c2"}));
  EXPECT_EQ((*inject)["measured"]["members"][0]["restored"], true);
  EXPECT_EQ((*inject)["measured"]["members"][2]["restored"], false);
  EXPECT_EQ(env.dropped, (std::vector<std::string>{"c1", "c2", "c3"}));
  for (const auto& id : {"c1", "c2", "c3"}) EXPECT_FALSE(env.fake_processes().is_running(id));

  // The lying members come back, elect c1 in a new term and commit in it;
  // only then does c3 start.
  int reads = 0;
  env.log_script = [&](const std::string&) { return faults::LogPosition{true, ++reads > 2 ? 11u : 10u, 10}; };
  env.on_restart = [&](const std::string& id) {
    if (id == "c2") env.term = 4;
    EXPECT_TRUE(id != "c3" || env.term == 4) << "c3 restarted before the liars had a new leader";
  };
  ASSERT_FALSE(registry.heal(2, "timeline"));
  const auto& calls = env.fake_processes().calls;
  const std::vector<std::string> spawns(calls.end() - 3, calls.end());
  EXPECT_EQ(spawns, (std::vector<std::string>{"spawn c1", "spawn c2", "spawn c3"}));
  EXPECT_EQ((*env.last("fault.heal"))["measured"]["leader"], "c1");
}

TEST(PowerLoss, IsRefusedForWorkers) {
  FakeEnvironment env({"c1", "c2", "c3"}, {"w1"}, "c1");
  faults::FaultRegistry registry(env);
  EXPECT_TRUE(registry.inject(request_for("power_loss", "workers")).has_value());
}

TEST(Stress, BoundsStressNgByTheHealAndStopsItWhenItDoesNotRun) {
  FakeEnvironment env({"c1", "c2", "c3"}, {}, "c1");
  faults::FaultRegistry registry(env);
  auto request = request_for("cpu", "c2", {{"workers", 1}, {"load_pct", 50}});
  request.heal_after_ms = 3000;
  // The fake's helper is no process at all: the pressure cannot be
  // confirmed, and the helper is stopped before the error returns.
  const auto error = registry.inject(request);
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->find("did not reach the pressure"), std::string::npos) << *error;
  ASSERT_EQ(env.helpers.size(), 1u);
  const std::vector<std::string> argv = env.helpers[0];
  EXPECT_EQ(argv, (std::vector<std::string>{"stress-ng", "--cpu", "1", "--cpu-load", "50", "--timeout", "13s",
                                            "--quiet"}));
  EXPECT_EQ(env.fake_processes().calls.back(), "stop stress:cpu:0:c2");
}

}  // namespace
}  // namespace faultline::testing
