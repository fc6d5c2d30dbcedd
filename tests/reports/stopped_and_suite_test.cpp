// Reports of a run that stopped early (marked, its unmet checks not judged),
// the --json object, and the renderings of a suite of trials.
#include <gtest/gtest.h>

#include "reports/reports.hpp"
#include "tests/reports/xml_check.hpp"
#include "tests/verify/journal_builder.hpp"

namespace faultline::reports {
namespace {

using testing::JournalBuilder;
using Json = nlohmann::json;

// A run interrupted 2 s in, before any fault or read-back.
History interrupted_history() {
  JournalBuilder b;
  b.run(3000.0, 0.0)
      .sample(100, "c1", "leader", 1, 50.0)
      .puts(0, 2000, 100, 10)
      .event(2000, "aborted", {{"cause", "interrupted"}, {"reason", "interrupted by Interrupt"}});
  return verify::history_from(b.events());
}

verify::Verdict stopped_verdict(const History& h) {
  verify::Verdict v = verify::evaluate(h);
  v.pass = false;
  v.exit_code = 3;
  v.failed.clear();
  return v;
}

TEST(StoppedRun, EveryReportSaysItWasInterrupted) {
  const History h = interrupted_history();
  ASSERT_TRUE(h.stopped.has_value());
  const verify::Verdict v = stopped_verdict(h);

  const std::string console = console_summary(h, v);
  EXPECT_EQ(console.rfind("INTERRUPTED  leader-kill", 0), 0u) << console;
  EXPECT_NE(console.find("The run was interrupted at 2.000 s (interrupted by Interrupt)"), std::string::npos) << console;
  EXPECT_NE(console.find("skip  rto_ms"), std::string::npos) << "an unmeasured RTO is not judged:\n" << console;
  EXPECT_NE(console.find("pass  election_safety"), std::string::npos) << console;

  const std::string md = render_markdown(h, v);
  EXPECT_NE(md.find(": INTERRUPTED"), std::string::npos) << md;
  EXPECT_NE(md.find("| rto_ms | ≤ 3000 ms | not measured | not judged |"), std::string::npos) << md;

  const std::string html = render_html(h, v);
  EXPECT_NE(html.find("class='badge stopped'>INTERRUPTED<"), std::string::npos);
  EXPECT_NE(html.find("<p class='banner'>The run was interrupted"), std::string::npos);
  EXPECT_NE(html.find("run aborted: interrupted by Interrupt"), std::string::npos) << "the notes say why";

  const std::string xml = render_junit(h, v);
  EXPECT_EQ(testing::xml_problem(xml), "") << xml;
  EXPECT_NE(xml.find("<testcase classname=\"faultline.leader-kill\" name=\"run\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<error message=\"The run was interrupted"), std::string::npos) << xml;
  EXPECT_NE(xml.find("type=\"interrupted\">interrupted by Interrupt</error>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<skipped message=\"not judged: the run interrupted;"), std::string::npos) << xml;
  EXPECT_NE(xml.find("errors=\"1\""), std::string::npos);
  EXPECT_NE(xml.find("failures=\"0\""), std::string::npos);
}

TEST(RunJson, HoldsEveryCheckAndMeasure) {
  JournalBuilder b;
  b.run(1000.0, 0.0).puts(0, 3000, 100, 10).fault(1000, 1).heal(1500);
  b.readback(3100, "k-p0", true, "v-p0");
  const History h = verify::history_from(b.events());
  const verify::Verdict v = verify::evaluate(h);
  const Json j = Json::parse(run_json(h, v).dump());
  EXPECT_EQ(j["verdict"], v.pass ? "pass" : "fail");
  EXPECT_EQ(j["exit_code"], v.exit_code);
  EXPECT_TRUE(j["stopped"].is_null());
  ASSERT_EQ(j["checks"].size(), v.checks.size());
  for (std::size_t i = 0; i < v.checks.size(); ++i) {
    EXPECT_EQ(j["checks"][i]["objective"], v.checks[i].objective);
    EXPECT_EQ(j["checks"][i]["measured"], v.checks[i].measured ? Json(*v.checks[i].measured) : Json());
    EXPECT_EQ(j["checks"][i]["limit"], v.checks[i].limit);
  }
  EXPECT_EQ(j["rto"]["rto_ms"], *v.rto.rto_ms);
  EXPECT_TRUE(j["rto"].contains("detect_ms"));
  EXPECT_EQ(j["rpo"]["lost_writes"], *v.rpo.lost_count());
  EXPECT_EQ(j["measures"]["rto_ms"], *v.rto.rto_ms);
}

Suite two_trials() {
  Suite s;
  s.plan.name = "leader-kill <&>";
  s.plan.percentiles = {{"rto_ms", "p50", 250}, {"rto_ms", "max", 500}};
  s.base_seed = "42";
  s.planned = 3;
  for (int i = 1; i <= 2; ++i) {
    verify::TrialRecord t;
    t.index = i;
    t.seed = std::to_string(100 + i);
    t.dir = "out/trial-0" + std::to_string(i);
    t.exit_code = 0;
    t.seconds = 5;
    t.measures = {{"rto_ms", "ms", 200.0 * i}, {"rpo_writes", "writes", 0.0}, {"failover_ms", "ms", std::nullopt}};
    s.trials.push_back(t);
  }
  verify::TrialRecord broken;
  broken.index = 3;
  broken.seed = "103";
  broken.error = "no leader was elected within 15 s";
  s.trials.push_back(broken);
  s.verdict = verify::judge_trials(s.plan, s.trials, false);
  return s;
}

TEST(Suite, JunitHasATestcasePerTrialAndPerObjective) {
  const Suite s = two_trials();
  const std::string xml = render_suite_junit(s);
  EXPECT_EQ(testing::xml_problem(xml), "") << xml;
  for (const char* name : {"trial-01", "trial-02", "trial-03", "rto_ms.p50", "rto_ms.max"}) {
    EXPECT_NE(xml.find("name=\"" + std::string(name) + "\""), std::string::npos) << name << "\n" << xml;
  }
  EXPECT_NE(xml.find("<error message=\"no leader was elected within 15 s\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("errors=\"1\""), std::string::npos);
  EXPECT_EQ(s.verdict.exit_code, 3);
}

TEST(Suite, TextRenderingsShowTheDistributionAndEveryTrial) {
  const Suite s = two_trials();
  const std::string console = suite_console(s);
  EXPECT_EQ(console.rfind("ERROR  leader-kill <&>: 2 of 3 trials passed, 1 not carried out", 0), 0u) << console;
  EXPECT_NE(console.find("pass  rto_ms.p50"), std::string::npos) << console;
  EXPECT_NE(console.find("rto_ms"), std::string::npos);
  EXPECT_EQ(console.find("failover_ms"), std::string::npos) << "a measure no trial took is left out";
  EXPECT_NE(console.find("trial-03 (seed 103): ERROR: no leader"), std::string::npos) << console;
  const std::string md = render_suite_markdown(s);
  EXPECT_NE(md.find("| rto_ms | 2 of 2 | 200 | 200 | 400 | 400 | 400 | ms |"), std::string::npos) << md;
  EXPECT_NE(md.find("| trial-03 | 103 | ERROR |"), std::string::npos) << md;
  const std::string html = render_suite_html(s);
  EXPECT_NE(html.find("leader-kill &lt;&amp;&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<&>"), std::string::npos);
  EXPECT_NE(html.find("<a href='trial-01/report.html'>"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  const Json j = Json::parse(suite_json(s).dump());
  EXPECT_EQ(j["distributions"]["rto_ms"]["p50"], 200.0);
  EXPECT_EQ(j["checks"].size(), 2u);
  EXPECT_EQ(j["trials"].size(), 3u);
  EXPECT_EQ(j["verdict"], "error");
}

}  // namespace
}  // namespace faultline::reports
