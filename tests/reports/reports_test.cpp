#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "drills/verify/objectives.hpp"
#include "reports/format.hpp"
#include "reports/reports.hpp"
#include "tests/reports/xml_check.hpp"
#include "tests/verify/journal_builder.hpp"

namespace faultline::reports {
namespace {

using testing::JournalBuilder;

const std::string kHostileName = "drill <script>alert(\"x\" & 'y')</script>";

// A failing run with hostile text in every field that reaches a report:
// RTO missed, one lost write, a member id and a key with markup in them.
History hostile_history() {
  JournalBuilder b;
  b.run(1.0, 0.0, 1000, 500, kHostileName)
      .sample(100, "c1", "leader", 1, 50.0)
      .sample(100, "<c2>", "follower", 1, 50.0)
      .puts(0, 2000, 100, 10, "ok", "k")
      .put("lost&1", "<key>", "\"v\" <b>", 1500, 1550.0)
      .fault(2000, 1)
      .puts(2000, 2500, 100, 10, "fail", "k")
      .sample(2400, "<c2>", "leader", 2, 2300.0)
      .puts(2500, 5000, 100, 10, "ok", "k")
      .heal(3000)
      .event(4000, "note", {{"text", "watch <this> & that"}})
      .readback(5000, "<key>", false, "");
  b.readback(5000, "k", true, b.last_value());
  return verify::history_from(b.events());
}

TEST(Format, EscapesMarkup) {
  EXPECT_EQ(html_escape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
  EXPECT_EQ(xml_escape(std::string("a<b>&\"'\x01") + "\n"), "a&lt;b&gt;&amp;&quot;&apos;&#10;");
  EXPECT_EQ(md_cell("a|b\nc"), "a\\|b c");
}

TEST(Junit, IsWellFormedWithOneTestcasePerCheck) {
  const History h = hostile_history();
  const verify::Verdict v = verify::evaluate(h);
  ASSERT_FALSE(v.pass);
  const std::string xml = render_junit(h, v);
  EXPECT_EQ(testing::xml_problem(xml), "") << xml;
  EXPECT_NE(xml.find("<testsuite name=\"drill &lt;script&gt;alert(&quot;x&quot; &amp; &apos;y&apos;)"),
            std::string::npos);
  std::size_t testcases = 0;
  for (std::size_t at = xml.find("<testcase "); at != std::string::npos; at = xml.find("<testcase ", at + 1)) {
    ++testcases;
  }
  EXPECT_EQ(testcases, v.checks.size());
  EXPECT_NE(xml.find("<failure message=\"RTO 510 ms exceeds the objective of 1 ms by 509 ms\""), std::string::npos);
  EXPECT_NE(xml.find("failures=\"2\""), std::string::npos);
}

// Checks a target cannot feed (no roles reported) are shown as n/a and
// skipped, never as passes or failures.
TEST(Reports, NotAvailableChecksAreShownAsSuch) {
  JournalBuilder b;
  b.run(std::nullopt, std::nullopt).event(0, "target", {{"target", "processes"}, {"roles", false}});
  b.puts(0, 1000, 100, 10);
  const History h = verify::history_from(b.events());
  const verify::Verdict v = verify::evaluate(h);
  ASSERT_TRUE(v.pass);
  const std::string xml = render_junit(h, v);
  EXPECT_EQ(testing::xml_problem(xml), "") << xml;
  EXPECT_NE(xml.find("skipped=\"4\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<skipped message=\"not available: "), std::string::npos) << xml;
  EXPECT_NE(xml.find("failures=\"0\""), std::string::npos);
  EXPECT_NE(console_summary(h, v).find("  n/a   election_safety"), std::string::npos) << console_summary(h, v);
  EXPECT_NE(render_markdown(h, v).find("| n/a |"), std::string::npos);
}

TEST(Junit, CheckerCatchesBrokenXml) {
  EXPECT_NE(testing::xml_problem("<a><b></a>"), "");
  EXPECT_NE(testing::xml_problem("<a>x < y</a>"), "");
  EXPECT_NE(testing::xml_problem("<a t=\"&bogus;\"/>"), "");
  EXPECT_EQ(testing::xml_problem("<a t=\"&lt;\"><b/>x &amp; y</a>"), "");
}

TEST(Html, HasVerdictChartAndNoUnescapedUserText) {
  const History h = hostile_history();
  const verify::Verdict v = verify::evaluate(h);
  const std::string html = render_html(h, v);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("class='badge fail'>FAIL<"), std::string::npos);
  EXPECT_NE(html.find(">t_f</text>"), std::string::npos);
  EXPECT_NE(html.find(">t_r</text>"), std::string::npos);
  EXPECT_NE(html.find("drill &lt;script&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<key>"), std::string::npos);
  EXPECT_EQ(html.find("<c2>"), std::string::npos);
  EXPECT_EQ(html.find("<this>"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("&lt;key&gt;"), std::string::npos);  // the lost write's row
  EXPECT_NE(html.find("lost&amp;1"), std::string::npos);
  EXPECT_EQ(html.find("http"), html.find("http://www.w3.org/2000/svg"));  // no external assets
}

TEST(Html, PassingRunShowsPassBadge) {
  JournalBuilder b;
  b.run(1000.0, std::nullopt).puts(0, 3000, 100, 10).fault(1000, 1).heal(1500);
  const History h = verify::history_from(b.events());
  const verify::Verdict v = verify::evaluate(h);
  ASSERT_TRUE(v.pass);
  const std::string html = render_html(h, v);
  EXPECT_NE(html.find("class='badge pass'>PASS<"), std::string::npos);
}

TEST(Markdown, TableOfChecks) {
  const History h = hostile_history();
  const verify::Verdict v = verify::evaluate(h);
  const std::string md = render_markdown(h, v);
  EXPECT_NE(md.find("| objective | declared | measured | result | detail |"), std::string::npos);
  EXPECT_NE(md.find("| rto_ms | ≤ 1 ms | 510 ms | **FAIL** |"), std::string::npos);
  EXPECT_NE(md.find("| election_safety | ≤ 0 terms | 0 terms | pass |"), std::string::npos);
}

TEST(Console, ListsVerdictChecksPartsAndLostWrites) {
  const History h = hostile_history();
  const verify::Verdict v = verify::evaluate(h);
  const std::string text = console_summary(h, v);
  EXPECT_EQ(text.rfind("FAIL  ", 0), 0u);
  EXPECT_NE(text.find("rto_ms"), std::string::npos);
  EXPECT_NE(text.find("declared <= 1 ms"), std::string::npos);
  EXPECT_NE(text.find("measured 510 ms"), std::string::npos);
  // Every part, in order, then the lost writes.
  const auto parts = text.find("RTO parts: detect ");
  ASSERT_NE(parts, std::string::npos) << text;
  const auto new_leader = text.find(", new leader ", parts);
  const auto first_ack = text.find(", first ack ", parts);
  const auto stable = text.find(", stable ", parts);
  EXPECT_LT(new_leader, first_ack) << text;
  EXPECT_LT(first_ack, stable) << text;
  EXPECT_NE(stable, std::string::npos) << text;
  EXPECT_NE(text.find("RPO: 1 of"), std::string::npos) << text;
}

TEST(Html, ElectionsAndLinearizabilitySectionsEscapeTheirText) {
  const History h = hostile_history();
  verify::LinearizabilityResult lin;
  lin.verdict = "violation";
  lin.keys = 1;
  lin.ops = 3;
  lin.evidence = "key <k> is not linearizable.\n  read -> \"v1\" & more\n";
  const verify::Verdict v = verify::evaluate(h, lin);
  const std::string html = render_html(h, v);
  EXPECT_NE(html.find("<h2>Elections</h2>"), std::string::npos);
  EXPECT_NE(html.find("<h3>Leader losses</h3>"), std::string::npos);
  EXPECT_NE(html.find("&lt;c2&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<c2>"), std::string::npos);
  EXPECT_NE(html.find("<h2>Linearizability</h2>"), std::string::npos);
  EXPECT_NE(html.find("<pre>key &lt;k&gt; is not linearizable.\n  read -&gt; &quot;v1&quot; &amp; more\n</pre>"),
            std::string::npos);
  EXPECT_EQ(html.find("<k>"), std::string::npos);
}

TEST(Html, NoLinearizabilitySectionWhenNotAskedFor) {
  const History h = hostile_history();
  EXPECT_EQ(render_html(h, verify::evaluate(h)).find("Linearizability"), std::string::npos);
}

TEST(Console, MultiLineDetailIsIndentedBelowTheCheck) {
  JournalBuilder b;
  b.event(0, "run", {{"plan_name", "p"}, {"plan", {{"objectives", {{"linearizable", true}}}}}});
  verify::LinearizabilityResult lin;
  lin.verdict = "violation";
  lin.evidence = "key k is not linearizable.\nnone of these can be linearized next:\n";
  const History h = verify::history_from(b.events());
  const std::string text = console_summary(h, verify::evaluate(h, lin));
  EXPECT_NE(text.find("(not linearizable; evidence below)\n        key k is not linearizable.\n"
                      "        none of these can be linearized next:\n"),
            std::string::npos)
      << text;
}

TEST(WriteReports, WritesTheThreeFiles) {
  const History h = hostile_history();
  const verify::Verdict v = verify::evaluate(h);
  const auto dir = std::filesystem::temp_directory_path() /
                   ("faultline-reports-test-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                    "-" + std::to_string(reinterpret_cast<std::uintptr_t>(&h)));
  std::filesystem::remove_all(dir);
  EXPECT_EQ(write_reports(dir / "nested", h, v), std::nullopt);
  for (const char* name : {"report.html", "junit.xml", "summary.md"}) {
    std::ifstream in(dir / "nested" / name);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_FALSE(text.str().empty()) << name;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace faultline::reports
