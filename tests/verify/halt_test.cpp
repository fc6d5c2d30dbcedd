// What the runner journals about the live steady state, judged and
// rendered: a halt fails the `halt` check (exit 1) and says why in every
// report; a run stopped before any fault judges only steady_state_before
// (exit 4) and shows the rest as not judged; rollbacks are listed without
// changing the verdict; "before any fault" ends at the fault's signal.
#include <gtest/gtest.h>

#include "drills/verify/objectives.hpp"
#include "reports/reports.hpp"
#include "tests/verify/journal_builder.hpp"

namespace faultline::verify {
namespace {

using testing::Json;
using testing::JournalBuilder;

const CheckResult* find(const Verdict& v, const std::string& objective) {
  for (const auto& c : v.checks) {
    if (c.objective == objective) return &c;
  }
  return nullptr;
}

JournalBuilder with_plan(const Json& probes, const Json& extra = Json::object()) {
  JournalBuilder b;
  Json plan{{"name", "steady"},
            {"objectives", Json::object()},
            {"steady_state", {{"stability_window_ms", 1000}, {"max_latency_ms", 500}, {"probes", probes}}}};
  for (const auto& [k, v] : extra.items()) plan[k] = v;
  b.event(0, "run", {{"plan_name", "steady"}, {"seed", 1}, {"plan", plan}});
  b.sample(100, "c1", "leader", 1, 50.0);
  return b;
}

const Json kHealth = Json::array({{{"name", "health"}, {"kind", "http"}, {"when", Json::array()}}});

TEST(Halt, AFiredHaltFailsItsCheckAndEveryReportSaysSo) {
  auto b = with_plan(kHealth, {{"halt", Json::array({{{"probe", "health"}, {"for_ms", 500}}})}});
  b.puts(0, 3000, 100, 10).fault(1000, 1).heal(1700);
  b.event(1600, "halt", {{"probe", "health"}, {"for_ms", 500}, {"reason", "probe health failed for 500 ms"}});
  b.event(1800, "rollback", {{"action", "command"}, {"argv", {"touch", "x"}}, {"ok", false}, {"detail", "exited with code 1"}});
  const History h = history_from(b.events());
  ASSERT_TRUE(h.halt);
  ASSERT_EQ(h.rollbacks.size(), 1u);
  const Verdict v = evaluate(h);
  const CheckResult* halt = find(v, "halt");
  ASSERT_NE(halt, nullptr);
  EXPECT_FALSE(halt->pass);
  EXPECT_NE(halt->detail.find("the drill was halted at 1600 ms: probe health failed"), std::string::npos);
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_EQ(v.failed, std::vector<std::string>{"halt"});
  const std::string console = reports::console_summary(h, v);
  EXPECT_EQ(console.rfind("HALTED  steady", 0), 0u) << console;
  EXPECT_NE(console.find("The drill was halted at 1.600 s"), std::string::npos) << console;
  EXPECT_NE(console.find("Rollbacks: command touch x FAILED (exited with code 1)"), std::string::npos) << console;
  EXPECT_NE(reports::render_markdown(h, v).find("The drill was halted"), std::string::npos);
  EXPECT_NE(reports::render_html(h, v).find("<p class='banner'>The drill was halted"), std::string::npos);
  EXPECT_NE(reports::render_junit(h, v).find("name=\"halt\""), std::string::npos);
}

TEST(Halt, DeclaredButNotFiredPasses) {
  auto b = with_plan(kHealth, {{"halt", Json::array({{{"probe", "health"}, {"for_ms", 500}}})}});
  b.puts(0, 3000, 100, 10);
  const Verdict v = evaluate(history_from(b.events()));
  ASSERT_NE(find(v, "halt"), nullptr);
  EXPECT_TRUE(find(v, "halt")->pass);
}

TEST(Unhealthy, OnlyTheSteadyStateBeforeIsJudgedAndTheRunExitsFour) {
  auto b = with_plan(Json::array({{{"name", "health"}, {"kind", "http"}, {"when", {"before"}}}}),
                     {{"objectives", {{"rto_ms", 3000}}}});
  b.puts(0, 500, 100, 10);
  b.event(300, "probe", {{"name", "health"}, {"pass", false}, {"detail", "status 404, expected 200"}});
  b.event(310, "unhealthy", {{"probe", "health"},
                             {"reason", "the steady state did not hold before any fault: probe health: status 404"}});
  const History h = history_from(b.events());
  const Verdict v = evaluate(h);
  EXPECT_EQ(v.exit_code, kNotHealthyBeforeExitCode);
  EXPECT_EQ(v.failed, std::vector<std::string>{"steady_state_before"});
  ASSERT_NE(find(v, "rto_ms"), nullptr);
  EXPECT_FALSE(find(v, "rto_ms")->pass) << "no fault, no RTO";
  const std::string junit = reports::render_junit(h, v);
  EXPECT_NE(junit.find("not judged: the run stopped before any fault"), std::string::npos) << junit;
  EXPECT_NE(junit.find("failures=\"1\""), std::string::npos) << junit;
  const std::string console = reports::console_summary(h, v);
  EXPECT_EQ(console.rfind("UNHEALTHY  steady", 0), 0u) << console;
  EXPECT_NE(console.find("The steady state did not hold before any fault: probe health"), std::string::npos);
  EXPECT_NE(console.find("skip  rto_ms"), std::string::npos) << console;
}

TEST(Unhealthy, BeforeAnyFaultEndsAtTheFaultsSignalNotItsConfirmation) {
  auto b = with_plan(Json::array({{{"name", "health"}, {"kind", "http"}, {"when", {"before", "continuous"}}}}));
  b.puts(0, 6000, 100, 10);
  // The kill's signal goes at 2000 ms and is confirmed at 2010 ms; the
  // probe sees the member gone at 2005 ms: that is the fault, not a system
  // that was unhealthy before it.
  b.event(2010, "fault.inject", {{"fault", 0}, {"fault_kind", "kill"}, {"effect", "down"}, {"targets", {"c1"}},
                                 {"signal_t_ns", testing::ms_ns(2000)}, {"term", 1}});
  for (double t = 100; t < 6000; t += 50) {
    b.event(t + 5, "probe", {{"name", "health"}, {"pass", t + 5 < 2000 || t > 3000}});
  }
  const Verdict v = evaluate(history_from(b.events()));
  ASSERT_NE(find(v, "steady_state_before"), nullptr);
  EXPECT_TRUE(find(v, "steady_state_before")->pass) << find(v, "steady_state_before")->detail;
}

}  // namespace
}  // namespace faultline::verify
