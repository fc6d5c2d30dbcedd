// The renderings of a suite of plans: the exit-code rule (the worst plan's,
// 3 above 4 above 1 above 0), one console line per plan, JUnit with every
// plan's own <testsuite> (and an error or skipped one for a plan without a
// verdict), Markdown and HTML linking each plan's folder, the JSON object.
#include <gtest/gtest.h>

#include "reports/plan_suite.hpp"
#include "tests/reports/xml_check.hpp"
#include "tests/verify/journal_builder.hpp"

namespace faultline::reports {
namespace {

using Json = nlohmann::json;
using testing::JournalBuilder;

TEST(PlanSuiteExit, IsTheWorstOfThePlans) {
  EXPECT_EQ(plan_suite_exit_code({}, false), 0);
  EXPECT_EQ(plan_suite_exit_code({0, 0, 0}, false), 0);
  EXPECT_EQ(plan_suite_exit_code({0, 1, 0}, false), 1);
  EXPECT_EQ(plan_suite_exit_code({1, 4, 0}, false), 4);
  EXPECT_EQ(plan_suite_exit_code({4, 3, 1}, false), 3);
  EXPECT_EQ(plan_suite_exit_code({3, 1}, false), 3);
  EXPECT_EQ(plan_suite_exit_code({0, 7}, false), 7);  // unforeseen codes rank as not carried out
  EXPECT_EQ(plan_suite_exit_code({0, 0}, true), 3);   // stopped early: the rest was not judged
  EXPECT_EQ(plan_suite_exit_code({1}, true), 3);
}

// A checked run of a one-fault plan that recovered and lost nothing.
PlanOutcome passed(int index, const std::string& dir) {
  JournalBuilder b;
  b.run(1000.0, 0.0).puts(0, 3000, 100, 10).fault(1000, 1).heal(1500);
  for (int i = 0; i < 30; ++i) {
    b.readback(3100, "k-p" + std::to_string(i), true, "v-p" + std::to_string(i));
  }
  const verify::History h = verify::history_from(b.events());
  const verify::Verdict v = verify::evaluate(h);
  PlanOutcome p;
  p.index = index;
  p.file = "drills/library/leader-kill.json";
  p.dir = dir;
  p.ran = true;
  p.exit_code = v.exit_code;
  p.seconds = 12.5;
  p.reports_written = true;
  fill_outcome(p, h, v);
  for (const auto& c : v.checks) {
    if (!c.pass) ADD_FAILURE() << c.objective << ": " << c.detail;
  }
  return p;
}

PlanSuite three_plans() {
  PlanSuite s;
  s.name = "ci";
  s.description = "the chaos job";
  s.plans.push_back(passed(1, "runs/ci/01-leader-kill"));
  PlanOutcome broken;
  broken.index = 2;
  broken.name = "etcd-leader-kill";
  broken.file = "drills/library/etcd-leader-kill.json";
  broken.dir = "runs/ci/02-etcd-leader-kill";
  broken.ran = true;
  broken.exit_code = 3;
  broken.word = "ERROR";
  broken.error = "etcd is not installed <here>";
  broken.seconds = 0.5;
  s.plans.push_back(broken);
  PlanOutcome later;
  later.index = 3;
  later.name = "stale-reads";
  later.file = "drills/library/stale-reads.json";
  later.dir = "runs/ci/03-stale-reads";
  later.word = "NOT RUN";
  s.plans.push_back(later);
  s.stopped_early = true;
  s.stop_reason = "interrupted by Interrupt";
  s.seconds = 13;
  s.exit_code = plan_suite_exit_code({0, 3}, true);
  return s;
}

TEST(PlanSuiteReports, ConsoleHasALinePerPlan) {
  const PlanSuite s = three_plans();
  ASSERT_EQ(s.plans[0].word, "PASS") << s.plans[0].missed.size();
  const std::string text = plan_suite_console(s);
  EXPECT_EQ(text.rfind("INTERRUPTED  suite ci: 1 of 3 plans passed, 1 not carried out, 1 not run (exit 3, 13.0 s)\n", 0), 0u)
      << text;
  EXPECT_NE(text.find("stopped early: interrupted by Interrupt"), std::string::npos) << text;
  EXPECT_NE(text.find("  PASS        leader-kill       RTO "), std::string::npos) << text;
  EXPECT_NE(text.find("lost 0 of "), std::string::npos) << text;
  EXPECT_NE(text.find("12.5 s    runs/ci/01-leader-kill"), std::string::npos) << text;
  EXPECT_NE(text.find("  ERROR       etcd-leader-kill  RTO -"), std::string::npos) << text;
  EXPECT_NE(text.find("etcd is not installed <here>"), std::string::npos) << text;
  EXPECT_NE(text.find("  NOT RUN     stale-reads       not run: the suite stopped first"), std::string::npos) << text;
  EXPECT_EQ(plan_suite_verdict_line(s), text.substr(0, text.find('\n') + 1));
}

TEST(PlanSuiteReports, JunitHoldsEveryPlansTestsuite) {
  const PlanSuite s = three_plans();
  const std::string xml = render_plan_suite_junit(s);
  EXPECT_EQ(faultline::testing::xml_problem(xml), "") << xml;
  EXPECT_EQ(xml.rfind("<?xml", 0), 0u);
  EXPECT_NE(xml.find("<testsuites name=\"faultline.ci\""), std::string::npos) << xml;
  EXPECT_NE(xml.find(s.plans[0].junit.xml), std::string::npos) << "the plan's own element, as its junit.xml has it";
  EXPECT_NE(xml.find("<testsuite name=\"etcd-leader-kill\" tests=\"1\" failures=\"0\" errors=\"1\""), std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<error message=\"etcd is not installed &lt;here&gt;\" type=\"not_carried_out\">"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<skipped message=\"not run: interrupted by Interrupt\"/>"), std::string::npos) << xml;
  const std::size_t tests = s.plans[0].junit.tests + 2;
  EXPECT_NE(xml.find("tests=\"" + std::to_string(tests) + "\""), std::string::npos) << xml;
}

TEST(PlanSuiteReports, MarkdownHtmlAndJsonLinkAndCarryEveryPlan) {
  const PlanSuite s = three_plans();
  const std::string md = render_plan_suite_markdown(s);
  EXPECT_EQ(md.rfind("## Suite ci: INTERRUPTED\n", 0), 0u) << md;
  EXPECT_NE(md.find("| 1 | leader-kill | PASS |"), std::string::npos) << md;
  EXPECT_NE(md.find("[01-leader-kill](01-leader-kill/summary.md)"), std::string::npos) << md;
  EXPECT_NE(md.find("| 3 | stale-reads | NOT RUN | - | - | - | - |"), std::string::npos) << md;

  const std::string html = render_plan_suite_html(s);
  EXPECT_NE(html.find("<a href='01-leader-kill/report.html'>leader-kill</a>"), std::string::npos) << html;
  EXPECT_NE(html.find("etcd is not installed &lt;here&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<here>"), std::string::npos);
  EXPECT_NE(html.find("class='badge stopped'>INTERRUPTED<"), std::string::npos);

  const Json j = Json::parse(plan_suite_json(s).dump());
  EXPECT_EQ(j["suite"], "ci");
  EXPECT_EQ(j["verdict"], "interrupted");
  EXPECT_EQ(j["exit_code"], 3);
  ASSERT_EQ(j["plans"].size(), 3u);
  EXPECT_EQ(j["plans"][0]["verdict"], "pass");
  EXPECT_EQ(j["plans"][0]["run"]["verdict"], "pass");
  EXPECT_EQ(j["plans"][1]["exit_code"], 3);
  EXPECT_TRUE(j["plans"][1]["run"].is_null());
  EXPECT_TRUE(j["plans"][2]["exit_code"].is_null());
  EXPECT_EQ(j["plans"][2]["verdict"], "not run");
}

}  // namespace
}  // namespace faultline::reports
