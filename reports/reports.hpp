// Renders a checked run for people and for CI: a self-contained HTML report
// (inline CSS and SVG, no external assets), JUnit XML (one testsuite named
// after the plan, one testcase per check), a Markdown summary and a console
// summary. Reports read only the History and the Verdict, so a journal can be
// re-rendered at any time. A run that stopped early (History::stopped) is
// rendered as such: a banner, the verdict word INTERRUPTED (or ABORTED,
// INCOMPLETE), and checks that had not passed shown as not judged.
//
// A suite of trials (`--trials N`, drills/verify/trials.hpp) has its own
// renderings, written into the suite's folder above the trials' own.
//
// Thread-safety: pure functions of their arguments, except write_reports,
// which writes files in `dir` and must not race with another writer there.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "drills/verify/history.hpp"
#include "drills/verify/objectives.hpp"
#include "drills/verify/trials.hpp"

namespace faultline::reports {

// The HTML report lists the first this many lost acknowledged writes and
// counts the rest ("N more not shown").
inline constexpr std::size_t kLostRowsShown = 100;

using verify::History;
using verify::Suite;
using verify::Verdict;

// How the console may look: ANSI colours only when the caller says the
// output is a terminal that wants them (never with NO_COLOR).
struct ConsoleStyle {
  bool color = false;
};

std::string render_html(const History& history, const Verdict& verdict);
std::string render_junit(const History& history, const Verdict& verdict);

// render_junit's <testsuite> element alone (indented by two, with its
// newline) and its counts, for a suite of plans (plan_suite.hpp).
struct JunitSuite {
  std::string xml;
  std::size_t tests = 0;
  std::size_t failures = 0;
  std::size_t errors = 0;
  std::size_t skipped = 0;
  double seconds = 0;
};
JunitSuite junit_testsuite(const History& history, const Verdict& verdict);
std::string render_markdown(const History& history, const Verdict& verdict);

// Several lines: the verdict, each check with declared and measured value,
// the RTO parts and the RPO lost count. The caller adds the report paths.
std::string console_summary(const History& history, const Verdict& verdict, ConsoleStyle style = {});
// Its first line alone ("PASS  leader-kill (seed 42)"), with a newline.
std::string verdict_line(const History& history, const Verdict& verdict, ConsoleStyle style = {});

// The verdict and every measure as one JSON object (`faultline run --json`):
// plan, seed, verdict, pass, exit_code, stopped, every check (objective,
// measured, limit, unit, pass, detail), rto with its parts, rpo, every
// measure by name, the workload's counts. The caller adds `files`.
nlohmann::json run_json(const History& history, const Verdict& verdict);

// Suites of trials (suite.cpp, suite_html.cpp).
std::string render_suite_html(const Suite& suite);
std::string render_suite_junit(const Suite& suite);
std::string render_suite_markdown(const Suite& suite);
std::string suite_console(const Suite& suite, ConsoleStyle style = {});
std::string suite_verdict_line(const Suite& suite, ConsoleStyle style = {});
nlohmann::json suite_json(const Suite& suite);
std::optional<std::string> write_suite_reports(const std::filesystem::path& dir, const Suite& suite);

// Writes report.html, junit.xml and summary.md into `dir` (created if
// missing). Returns an error naming the file that could not be written, or
// nullopt on success.
std::optional<std::string> write_reports(const std::filesystem::path& dir, const History& history,
                                         const Verdict& verdict);

}  // namespace faultline::reports
