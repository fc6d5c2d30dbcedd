// How the failover and RTO-from-heal figures reach the reports, and how their
// objectives are declared in a plan.
#include <gtest/gtest.h>

#include "drills/plan/plan.hpp"
#include "drills/verify/objectives.hpp"
#include "reports/reports.hpp"
#include "tests/verify/journal_builder.hpp"

namespace faultline::verify {
namespace {

using testing::JournalBuilder;

// s1 pinned to <w1>, killed at 1000 ms, moves to w2 at 1237 ms; s2 hops
// from w2 to w3 at 1530 ms for no reason. The worker ids carry markup.
History routed_history() {
  JournalBuilder b;
  b.run_with({{"failover_ms", 500}, {"sessions_moved_without_cause", 0}})
      .calls("s1", 100, 1000, 100, 10, "<w1>")
      .calls("s2", 100, 1500, 100, 10, "w2")
      .fault_on(1000, 0, "kill", "<w1>")
      .call("a", "s1", 1000, 1050.0, "fail", "")
      .call("c", "s1", 1200, 1237.0, "ok", "w2")
      .call("hop", "s2", 1520, 1530.0, "ok", "w3")
      .event(2000, "phase", {{"phase", "done"}});
  return history_from(b.events());
}

TEST(FailoverReport, HtmlShowsSectionEscaped) {
  const History h = routed_history();
  const Verdict v = evaluate(h);
  EXPECT_FALSE(v.pass);  // the hop
  const std::string html = reports::render_html(h, v);
  EXPECT_NE(html.find("<h2>Failover (routed calls)</h2>"), std::string::npos);
  EXPECT_NE(html.find("<h3>Faults on workers</h3>"), std::string::npos);
  EXPECT_NE(html.find("<h3>Pinned sessions</h3>"), std::string::npos);
  EXPECT_NE(html.find("<td class='num'>237 ms</td>"), std::string::npos);
  EXPECT_NE(html.find("<h3>Sessions moved without cause</h3><table>"), std::string::npos);
  EXPECT_NE(html.find("<td class='bad'>w3</td>"), std::string::npos);
  EXPECT_NE(html.find("&lt;w1&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<w1>"), std::string::npos);
}

TEST(FailoverReport, ConsoleAndMarkdownCarryTheSummaryLine) {
  const History h = routed_history();
  const Verdict v = evaluate(h);
  const std::string line =
      "Failover: 1 session(s) pinned to a faulted worker: 1 failed over (max 237 ms, median 237 ms), 0 recovered "
      "on the same worker, 0 not recovered; calls lost 1 of 26 (1 during a fault, 0 outside); 1 session move(s) "
      "without cause";
  const std::string text = reports::console_summary(h, v);
  EXPECT_NE(text.find("  " + line + "\n"), std::string::npos) << text;
  EXPECT_NE(text.find("FAIL  sessions_moved_without_cause"), std::string::npos) << text;
  EXPECT_NE(reports::render_markdown(h, v).find(line + ".\n"), std::string::npos);
}

TEST(FailoverReport, RtoOfAWorkerOnlyFaultIsShownAsNotApplicable) {
  const History h = routed_history();  // the one fault hits <w1>, a worker
  const Verdict v = evaluate(h);
  ASSERT_FALSE(v.rto.applicable);
  const std::string text = reports::console_summary(h, v);
  EXPECT_NE(text.find("  RTO: not applicable: the faults hit only workers (<w1>), no coordinator"), std::string::npos)
      << text;
  EXPECT_EQ(text.find("RTO parts"), std::string::npos) << text;
  const std::string md = reports::render_markdown(h, v);
  EXPECT_NE(md.find("RTO: not applicable: "), std::string::npos) << md;
  EXPECT_EQ(md.find("RTO parts"), std::string::npos) << md;
  const std::string html = reports::render_html(h, v);
  EXPECT_NE(html.find("<h2>Recovery (RTO)</h2><p>RTO: not applicable: the faults hit only workers (&lt;w1&gt;)"),
            std::string::npos);
  EXPECT_EQ(html.find("RTO parts"), std::string::npos);
  EXPECT_EQ(html.find(">t_f</text>"), std::string::npos);  // RTO counts from no instant
}

TEST(FailoverReport, JournalWithoutCallsRendersAsBefore) {
  JournalBuilder b;
  b.run(1000.0, std::nullopt).puts(0, 3000, 100, 10).fault(1000, 1);
  const History h = history_from(b.events());
  const Verdict v = evaluate(h);
  EXPECT_EQ(reports::render_html(h, v).find("Failover"), std::string::npos);
  EXPECT_EQ(reports::render_html(h, v).find("from the heal"), std::string::npos);  // never healed
  const std::string text = reports::console_summary(h, v);
  EXPECT_EQ(text.find("Failover"), std::string::npos);
  EXPECT_EQ(text.find("from the heal"), std::string::npos);
  EXPECT_EQ(reports::render_markdown(h, v).find("Failover"), std::string::npos);
}

TEST(FailoverReport, RtoFromHealShownWhenHealed) {
  JournalBuilder b;
  b.run(1000.0, std::nullopt).puts(0, 2000, 100, 10).fault(2000, 1).puts(2000, 2500, 100, 10, "fail");
  b.heal(2300).puts(2500, 5000, 100, 10).event(6000, "phase", {{"phase", "done"}});
  const History h = history_from(b.events());
  const Verdict v = evaluate(h);
  EXPECT_NE(reports::console_summary(h, v).find("  RTO from the heal: 210 ms\n"), std::string::npos);
  EXPECT_NE(reports::render_markdown(h, v).find("RTO from the heal: 210 ms.\n"), std::string::npos);
  EXPECT_NE(reports::render_html(h, v).find("<td>from the heal</td><td class='num'>210 ms</td>"),
            std::string::npos);
}

const char* kPlan = R"({
  "name": "routed",
  "topology": { "kind": "embedded" },
  "workload": { "duration_ms": 5000 },
  "objectives": { "rto_from_heal_ms": 800, "failover_ms": 1500.5, "calls_lost": 3,
                  "sessions_moved_without_cause": 0 }
})";

TEST(FailoverPlan, ObjectivesValidateAndRoundTrip) {
  const plan::LoadResult r = plan::parse_plan(kPlan, "p.json");
  ASSERT_TRUE(r.plan.has_value()) << (r.errors.empty() ? "" : r.errors[0].to_string());
  const plan::Objectives& o = r.plan->objectives;
  EXPECT_EQ(o.rto_from_heal_ms, 800.0);
  EXPECT_EQ(o.failover_ms, 1500.5);
  EXPECT_EQ(o.calls_lost, 3);
  EXPECT_EQ(o.sessions_moved_without_cause, 0);
  const plan::LoadResult again = plan::parse_plan(plan::to_json(*r.plan).dump(), "again.json");
  ASSERT_TRUE(again.plan.has_value());
  EXPECT_EQ(*again.plan, *r.plan);

  // The run event's plan is what the checkers read back.
  JournalBuilder b;
  b.event(0, "run", {{"plan", plan::to_json(*r.plan)}});
  const History h = history_from(b.events());
  EXPECT_EQ(h.plan.rto_from_heal_ms, 800.0);
  EXPECT_EQ(h.plan.failover_ms, 1500.5);
  EXPECT_EQ(h.plan.calls_lost, 3.0);
  EXPECT_EQ(h.plan.sessions_moved_without_cause, 0.0);
}

TEST(FailoverPlan, NegativeAndFractionalLimitsAreRejected) {
  std::string text = kPlan;
  text.replace(text.find("\"calls_lost\": 3"), 15, "\"calls_lost\": 2.5");
  const plan::LoadResult r = plan::parse_plan(text, "p.json");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].to_string().find("$.objectives.calls_lost"), std::string::npos);
  text = kPlan;
  text.replace(text.find("\"failover_ms\": 1500.5"), 21, "\"failover_ms\": -1");
  const plan::LoadResult neg = plan::parse_plan(text, "p.json");
  ASSERT_EQ(neg.errors.size(), 1u);
  EXPECT_NE(neg.errors[0].to_string().find("$.objectives.failover_ms: must not be negative"), std::string::npos);
}

}  // namespace
}  // namespace faultline::verify
