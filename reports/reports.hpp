// Renders a checked run for people and for CI: a self-contained HTML report
// (inline CSS and SVG, no external assets), JUnit XML (one testsuite named
// after the plan, one testcase per check), a Markdown summary and a console
// summary. Reports read only the History and the Verdict, so a journal can be
// re-rendered at any time.
//
// Thread-safety: pure functions of their arguments, except write_reports,
// which writes files in `dir` and must not race with another writer there.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "drills/verify/history.hpp"
#include "drills/verify/objectives.hpp"

namespace faultline::reports {

using verify::History;
using verify::Verdict;

std::string render_html(const History& history, const Verdict& verdict);
std::string render_junit(const History& history, const Verdict& verdict);
std::string render_markdown(const History& history, const Verdict& verdict);

// Several lines: the verdict, each check with declared and measured value,
// the RTO parts and the RPO lost count. The caller adds the report paths.
std::string console_summary(const History& history, const Verdict& verdict);

// Writes report.html, junit.xml and summary.md into `dir` (created if
// missing). Returns an error naming the file that could not be written, or
// nullopt on success.
std::optional<std::string> write_reports(const std::filesystem::path& dir, const History& history,
                                         const Verdict& verdict);

}  // namespace faultline::reports
