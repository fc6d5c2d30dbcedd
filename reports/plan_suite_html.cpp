// The HTML page of a suite of plans: the suite's verdict and one row per
// plan linking to that plan's own report.
#include <cstdio>
#include <filesystem>

#include "reports/format.hpp"
#include "reports/plan_suite.hpp"
#include "reports/sections.hpp"

namespace faultline::reports {
namespace {

std::string cell(const std::string& text, const char* cls = nullptr) { return html_cell(text, cls); }

const char* verdict_class(const std::string& word) {
  if (word == "PASS") return "ok";
  if (word == "FAIL" || word == "ERROR" || word == "ABORTED") return "bad";
  return "skip";
}

std::string seconds_text_of(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", s);
  return buf;
}

}  // namespace

std::string render_plan_suite_html(const PlanSuite& s) {
  const std::string word = plan_suite_word(s);
  const char* badge = word == "PASS" ? "pass" : word == "INTERRUPTED" ? "stopped" : "fail";
  std::string out = "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
                    "<meta name='viewport' content='width=device-width,initial-scale=1'><title>suite " +
                    html_escape(s.name) + " — " + word + "</title><style>" + report_css() +
                    "</style></head><body><main>";
  out += "<h1>Suite " + html_escape(s.name) + "<span class='badge " + badge + "'>" + word + "</span></h1>";
  out += "<p class='muted'>Faultline suite report. Exit code " + std::to_string(s.exit_code) + ". " +
         html_escape(plan_suite_counts(s)) + ", " + seconds_text_of(s.seconds) + " in all.</p>";
  if (!s.description.empty()) out += "<p>" + html_escape(s.description) + "</p>";
  if (!s.stop_reason.empty()) out += "<p class='banner'>Stopped early: " + html_escape(s.stop_reason) + "</p>";
  out += "<h2>Plans</h2><table><tr><th>#</th><th>plan</th><th>verdict</th><th>exit</th><th>RTO</th>"
         "<th>lost writes</th><th>time</th><th>plan file</th><th>detail</th></tr>";
  for (const auto& p : s.plans) {
    const std::string folder = std::filesystem::path(p.dir).filename().string();
    const std::string name = p.reports_written
                                 ? "<td><a href='" + html_escape(folder) + "/report.html'>" + html_escape(p.name) + "</a></td>"
                                 : cell(p.name);
    std::string file = p.file;
    for (const auto& o : p.overrides) file += " --set " + o;
    out += "<tr>" + cell(std::to_string(p.index), "num") + name + cell(p.word, verdict_class(p.word)) +
           cell(p.ran ? std::to_string(p.exit_code) : "-", "num") + cell(plain_ms(p.rto_ms), "num") +
           cell(p.lost_writes ? std::to_string(*p.lost_writes) + " of " + std::to_string(p.acknowledged) : "-", "num") +
           cell(p.ran ? seconds_text_of(p.seconds) : "-", "num") + cell(file) + cell(plan_outcome_trouble(p)) + "</tr>";
  }
  out += "</table>";
  out += "<p class='muted'>Each plan ran in its own folder beside this page, with its journal, junit.xml, "
         "summary.md and report.html. The suite's exit code is the worst of its plans': 3 (not carried out) "
         "above 4 (not healthy before any fault) above 1 (an objective missed) above 0.</p>";
  out += "</main></body></html>\n";
  return out;
}

}  // namespace faultline::reports
