// terminate, crash_loop and rolling_restart over fakes: what each asks of
// the processes, in which order, and what it journals.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "chaos/faults/registry.hpp"
#include "tests/faults/fake_environment.hpp"

namespace faultline::testing {
namespace {

using namespace std::chrono_literals;

// Steps the registry until `done` holds or 5 s pass (the kinds act on the
// steady clock: a crash loop's interval is real time).
bool step_until(faults::FaultRegistry& registry, const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!done()) {
    if (auto error = registry.step_all()) {
      ADD_FAILURE() << *error;
      return false;
    }
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

std::vector<faults::Json> steps(const FakeEnvironment& env) {
  std::vector<faults::Json> out;
  for (const auto& [kind, e] : env.events) {
    if (kind == "fault.step") out.push_back(e);
  }
  return out;
}

std::size_t count(const std::vector<std::string>& calls, const std::string& call) {
  return static_cast<std::size_t>(std::count(calls.begin(), calls.end(), call));
}

TEST(Terminate, StopsTheTargetAndSaysItExitedByItselfThenRestartsIt) {
  FakeEnvironment env({"c1", "c2", "c3"}, {}, "c1");
  faults::FaultRegistry registry(env);
  ASSERT_FALSE(registry.inject(request_for("terminate", "c2", {{"grace_ms", 500}})));
  EXPECT_EQ(env.fake_processes().calls, (std::vector<std::string>{"stop c2"}));
  const auto* inject = env.last("fault.inject");
  ASSERT_NE(inject, nullptr);
  EXPECT_EQ((*inject)["effect"], "down");
  EXPECT_EQ((*inject)["measured"]["members"][0]["exited_by_itself"], true);
  const auto* exit = env.last("member.exit");
  ASSERT_NE(exit, nullptr);
  EXPECT_EQ((*exit)["code"], 0);
  EXPECT_EQ((*exit)["expected"], true);
  ASSERT_FALSE(registry.heal(0, "timeline"));
  EXPECT_EQ(env.fake_processes().calls.back(), "spawn c2");
}

TEST(CrashLoop, KillsAndRestartsTheMemberCountTimesThenStops) {
  FakeEnvironment env({"c1", "c2", "c3"}, {}, "c1");
  faults::FaultRegistry registry(env);
  ASSERT_FALSE(registry.inject(request_for("crash_loop", "c3", {{"count", 3}, {"interval_ms", 100}})));
  const auto& calls = env.fake_processes().calls;
  EXPECT_EQ(count(calls, "kill c3 9"), 1u);
  ASSERT_TRUE(step_until(registry, [&] {
    const auto s = steps(env);
    return !s.empty() && s.back()["action"] == "done";
  }));
  EXPECT_EQ(count(calls, "kill c3 9"), 3u);
  EXPECT_EQ(count(calls, "spawn c3"), 3u);
  EXPECT_TRUE(env.fake_processes().is_running("c3"));
  std::size_t exits = 0;
  for (const auto& [kind, e] : env.events) if (kind == "member.exit") ++exits;
  EXPECT_EQ(exits, 3u);
  // Nothing more happens once it is done; the heal says so.
  registry.step_all();
  EXPECT_EQ(count(calls, "kill c3 9"), 3u);
  ASSERT_FALSE(registry.heal(0, "timeline"));
  EXPECT_EQ((*env.last("fault.heal"))["measured"]["restarts"], 3);
}

TEST(CrashLoop, AHealBeforeTheEndLeavesTheMemberRunning) {
  FakeEnvironment env({"c1", "c2", "c3"}, {}, "c1");
  faults::FaultRegistry registry(env);
  ASSERT_FALSE(registry.inject(
      request_for("crash_loop", "c2", {{"count", 10}, {"interval_ms", 10'000}, {"down_ms", 5'000}})));
  EXPECT_FALSE(env.fake_processes().is_running("c2"));
  ASSERT_FALSE(registry.heal(0, "timeline"));
  EXPECT_TRUE(env.fake_processes().is_running("c2"));
  EXPECT_EQ(count(env.fake_processes().calls, "kill c2 9"), 1u);
}

TEST(CrashLoop, RefusesADownTimeThatOutlastsTheInterval) {
  FakeEnvironment env({"c1", "c2", "c3"}, {}, "c1");
  faults::FaultRegistry registry(env);
  const auto error =
      registry.inject(request_for("crash_loop", "c2", {{"interval_ms", 500}, {"down_ms", 500}}));
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->find("must be shorter than interval_ms"), std::string::npos) << *error;
  EXPECT_TRUE(env.fake_processes().calls.empty());
}

TEST(RollingRestart, RestartsFollowersByIdThenTheLeaderWaitingForEachToCatchUp) {
  FakeEnvironment env({"c1", "c2", "c3"}, {}, "c2");
  faults::FaultRegistry registry(env);
  ASSERT_FALSE(registry.inject(request_for("rolling_restart", "all")));
  ASSERT_TRUE(step_until(registry, [&] {
    const auto s = steps(env);
    return !s.empty() && s.back()["action"] == "done";
  }));
  EXPECT_EQ(env.fake_processes().calls,
            (std::vector<std::string>{"stop c1", "spawn c1", "stop c3", "spawn c3", "stop c2", "spawn c2"}));
  std::vector<std::string> order;
  for (const auto& s : steps(env)) {
    if (s["action"] == "restarted") order.push_back(s["member"]);
  }
  EXPECT_EQ(order, (std::vector<std::string>{"c1", "c3", "c2"}));
  EXPECT_EQ(steps(env)[2]["was_leader"], true);
  EXPECT_EQ(steps(env)[0]["was_leader"], false);
}

TEST(RollingRestart, ByIdIgnoresWhoLeads) {
  FakeEnvironment env({"c1", "c2", "c3"}, {}, "c1");
  faults::FaultRegistry registry(env);
  ASSERT_FALSE(registry.inject(request_for("rolling_restart", "all", {{"order", "by_id"}})));
  ASSERT_TRUE(step_until(registry, [&] { return count(env.fake_processes().calls, "spawn c3") == 1; }));
  EXPECT_EQ(env.fake_processes().calls.front(), "stop c1");
}

TEST(RollingRestart, WaitsForAMemberThatHasNotCaughtUpAndStopsTheRunAfterItsLimit) {
  FakeEnvironment env({"c1", "c2", "c3"}, {}, "c2");
  env.lagging.insert("c1");
  faults::FaultRegistry registry(env);
  ASSERT_FALSE(registry.inject(request_for("rolling_restart", "all", {{"catch_up_timeout_ms", 200}})));
  std::optional<std::string> error;
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!error && std::chrono::steady_clock::now() < deadline) {
    error = registry.step_all();
    // Never past c1 while it lags.
    ASSERT_EQ(count(env.fake_processes().calls, "stop c3"), 0u);
    std::this_thread::sleep_for(5ms);
  }
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->find("c1 did not catch up within 200 ms"), std::string::npos) << *error;
}

}  // namespace
}  // namespace faultline::testing
