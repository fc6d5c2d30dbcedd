// The registry over fakes: what it journals, the order it heals in, and
// that nothing in force survives it.
#include <gtest/gtest.h>

#include "chaos/faults/registry.hpp"
#include "tests/faults/fake_environment.hpp"

namespace faultline::testing {
namespace {

TEST(Registry, InjectJournalsEffectTargetsAndMeasurementThenTheExit) {
  FakeEnvironment env({"c1", "c2", "c3"}, {}, "c2");
  faults::FaultRegistry registry(env);
  ASSERT_FALSE(registry.inject(request_for("kill", "leader")));
  const auto* inject = env.last("fault.inject");
  ASSERT_NE(inject, nullptr);
  EXPECT_EQ((*inject)["effect"], "down");
  EXPECT_EQ((*inject)["targets"], faults::Json::array({"c2"}));
  EXPECT_EQ((*inject)["term"], 3);
  EXPECT_EQ((*inject)["measured"]["reaped"][0]["member"], "c2");
  // member.exit follows fault.inject.
  std::size_t at_inject = 0, at_exit = 0;
  for (std::size_t i = 0; i < env.events.size(); ++i) {
    if (env.events[i].first == "fault.inject") at_inject = i;
    if (env.events[i].first == "member.exit") at_exit = i;
  }
  EXPECT_GT(at_exit, at_inject);
}

TEST(Registry, HealAllHealsNewestFirstAndLetsAnUnhealedKillGo) {
  FakeEnvironment env({"c1", "c2", "c3"}, {"w1"}, "c1");
  {
    faults::FaultRegistry registry(env);
    ASSERT_FALSE(registry.inject(request_for("pause", "c3", {}, 0)));
    ASSERT_FALSE(registry.inject(request_for("partition", "leader", {}, 1)));
    ASSERT_FALSE(registry.inject(request_for("kill", "w1", {}, 2)));
    EXPECT_EQ(registry.count_in_force(), 3u);
  }  // destroyed: heal_all
  std::vector<std::int64_t> healed;
  for (const auto& [kind, e] : env.events) {
    if (kind == "fault.heal") healed.push_back(e["fault"].get<std::int64_t>());
  }
  EXPECT_EQ(healed, (std::vector<std::int64_t>{1, 0}));  // the kill is not restarted
  EXPECT_TRUE(env.fake_links().owners.empty());
  EXPECT_EQ(env.fake_processes().calls.back(), "resume c3");
}

TEST(Registry, AFailedInjectionLeavesNothingInForce) {
  FakeEnvironment env({"c1", "c2", "c3"}, {}, "c1");
  env.fake_processes().refuse_pause.insert("c1");
  faults::FaultRegistry registry(env);
  const auto error = registry.inject(request_for("pause", "leader"));
  ASSERT_TRUE(error);
  EXPECT_NE(error->find("SIGSTOP of c1 was not confirmed"), std::string::npos);
  EXPECT_EQ(registry.count_in_force(), 0u);
  EXPECT_EQ(env.last("fault.inject"), nullptr);
}

TEST(Registry, HealAtEndSparesKillsAndHealsPauses) {
  FakeEnvironment env({"c1", "c2", "c3"}, {}, "c1");
  faults::FaultRegistry registry(env);
  ASSERT_FALSE(registry.inject(request_for("kill", "c2", {}, 0)));
  ASSERT_FALSE(registry.inject(request_for("pause", "c3", {}, 1)));
  EXPECT_TRUE(registry.heal_at_end().empty());
  EXPECT_TRUE(registry.in_force(0));
  EXPECT_FALSE(registry.in_force(1));
  EXPECT_EQ((*env.last("fault.heal"))["why"], "end of workload");
}

TEST(Registry, LatencyIsConfirmedByTheRoundTrip) {
  FakeEnvironment env({"c1", "c2", "c3"}, {}, "c1");
  faults::FaultRegistry registry(env);
  ASSERT_FALSE(registry.inject(request_for("latency", "leader", {{"delay_ms", 100}})));
  const auto* inject = env.last("fault.inject");
  EXPECT_EQ((*inject)["measured"]["expected_added_ms"], 200.0);
  EXPECT_EQ((*inject)["detail"]["links"].size(), 4u);  // c1 <-> c2, c1 <-> c3
  // A backend that adds 60 ms too much fails the confirmation.
  FakeEnvironment slow({"c1", "c2", "c3"}, {}, "c1");
  slow.fake_links().rtt_ms = 60;
  faults::FaultRegistry second(slow);
  const auto error = second.inject(request_for("latency", "leader", {{"delay_ms", 100}}));
  ASSERT_TRUE(error);
  EXPECT_NE(error->find("expected 200"), std::string::npos) << *error;
  EXPECT_TRUE(slow.fake_links().owners.empty());
}

}  // namespace
}  // namespace faultline::testing
