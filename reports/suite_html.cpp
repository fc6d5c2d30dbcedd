// The suite's HTML page: the percentile objectives, the distribution of
// every measure over the trials (a table and a strip of one dot per trial),
// and every trial with a link to its own report.
#include <algorithm>
#include <cstdio>

#include "reports/format.hpp"
#include "reports/reports.hpp"
#include "reports/sections.hpp"
#include "reports/status.hpp"
#include "reports/suite_text.hpp"

namespace faultline::reports {
namespace {

constexpr double kStripWidth = 640;
constexpr double kStripHeight = 44;
constexpr double kMargin = 12;

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string cell(const std::string& text, const char* cls = nullptr) { return html_cell(text, cls); }

std::string verdict_class(const std::string& word) {
  if (word == "PASS") return "ok";
  if (word == "FAIL" || word == "ERROR") return "bad";
  return "skip";
}

// One dot per trial on a line from 0 to the largest value (or limit), the
// p50, p90 and max marked, the percentile limits of this measure dashed.
std::string strip_svg(const Suite& s, const verify::Distribution& d, std::size_t index) {
  std::vector<std::optional<double>> values;
  for (const auto& t : s.trials) {
    if (index < t.measures.size()) values.push_back(t.measures[index].value);
  }
  double top = d.max.value_or(0);
  for (const auto& p : s.plan.percentiles) {
    if (p.objective == d.name) top = std::max(top, p.limit);
  }
  if (top <= 0) top = 1;
  const double span = kStripWidth - 2 * kMargin;
  auto x = [&](double v) { return kMargin + span * v / top; };
  const double mid = kStripHeight / 2;
  std::string svg = "<svg xmlns='http://www.w3.org/2000/svg' width='" + num(kStripWidth) + "' height='" +
                    num(kStripHeight) + "' role='img' aria-label='" + html_escape(d.name) + " per trial'>";
  svg += "<line x1='" + num(kMargin) + "' y1='" + num(mid) + "' x2='" + num(kStripWidth - kMargin) + "' y2='" +
         num(mid) + "' stroke='#cbd5e1'/>";
  for (const auto& p : s.plan.percentiles) {
    if (p.objective != d.name) continue;
    svg += "<line x1='" + num(x(p.limit)) + "' y1='4' x2='" + num(x(p.limit)) + "' y2='" + num(kStripHeight - 4) +
           "' stroke='#dc2626' stroke-dasharray='3,2'><title>" + html_escape(p.name()) + " limit " +
           verify::format_number(p.limit) + "</title></line>";
  }
  for (const auto& [stat, colour] : {std::pair{"p50", "#2563eb"}, std::pair{"p90", "#d97706"}, std::pair{"max", "#475569"}}) {
    if (auto v = d.stat(stat)) {
      svg += "<line x1='" + num(x(*v)) + "' y1='8' x2='" + num(x(*v)) + "' y2='" + num(kStripHeight - 8) +
             "' stroke='" + colour + "' stroke-width='2'><title>" + stat + " " + verify::format_number(*v) + " " +
             html_escape(d.unit) + "</title></line>";
    }
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!values[i]) continue;
    svg += "<circle cx='" + num(x(*values[i])) + "' cy='" + num(mid) + "' r='4' fill='#16a34a' fill-opacity='0.55'><title>" +
           trial_name(s.trials[i].index) + ": " + verify::format_number(*values[i]) + " " + html_escape(d.unit) +
           "</title></circle>";
  }
  return svg + "</svg>";
}

std::string objectives_section(const Suite& s) {
  std::string out = "<h2>Objectives over the trials</h2>";
  if (s.verdict.checks.empty()) {
    return out + "<p>The plan names no percentile objective; each trial is judged on its own objectives.</p>";
  }
  out += "<table><tr><th>objective</th><th>declared</th><th>measured</th><th>result</th><th>detail</th></tr>";
  for (const auto& c : s.verdict.checks) {
    out += "<tr>" + cell(c.objective) + cell("≤ " + verify::format_number(c.limit) + (c.unit.empty() ? "" : " " + c.unit)) +
           cell(measured_text(c.measured, c.unit), "num") + cell(c.pass ? "pass" : "FAIL", c.pass ? "ok" : "bad") +
           cell(c.detail) + "</tr>";
  }
  return out + "</table>";
}

std::string distributions_section(const Suite& s) {
  std::string out = "<h2>Distributions</h2><p class='muted'>Nearest rank over the trials with a verdict; a trial that "
                    "could not measure a value ranks above every measured one. Dots: one per trial; blue p50, "
                    "orange p90, grey max; red dashes: the plan's limits.</p>";
  out += "<table><tr><th>measure</th><th>measured in</th><th>min</th><th>p50</th><th>p90</th><th>p99</th><th>max</th>"
         "<th>unit</th></tr>";
  const auto shown = shown_distributions(s);
  for (const auto* d : shown) {
    out += "<tr>" + cell(d->name) + cell(std::to_string(d->measured) + " of " + std::to_string(d->trials), "num");
    for (const char* stat : {"min", "p50", "p90", "p99", "max"}) out += cell(stat_text(d->stat(stat)), "num");
    out += cell(d->unit) + "</tr>";
  }
  out += "</table>";
  for (const auto* d : shown) {
    const auto index = static_cast<std::size_t>(d - s.verdict.distributions.data());
    out += "<h3>" + html_escape(d->name) + "</h3>" + strip_svg(s, *d, index);
  }
  return out;
}

std::string trials_section(const Suite& s) {
  std::string out = "<h2>Trials</h2><table><tr><th>trial</th><th>seed</th><th>verdict</th><th>rto_ms</th>"
                    "<th>rpo_writes</th><th>run time</th><th>detail</th></tr>";
  for (const auto& t : s.trials) {
    std::string rto = "-", rpo = "-";
    for (const auto& m : t.measures) {
      if (m.name == "rto_ms") rto = stat_text(m.value);
      if (m.name == "rpo_writes") rpo = stat_text(m.value);
    }
    std::string detail = t.error;
    for (const auto& c : t.checks) {
      if (!c.pass) detail += (detail.empty() ? "" : "; ") + c.detail;
    }
    const std::string word = trial_word(t);
    const std::string name = trial_name(t.index);
    out += "<tr><td><a href='" + html_escape(name) + "/report.html'>" + html_escape(name) + "</a></td>" +
           cell(t.seed, "num") + cell(word, verdict_class(word).c_str()) + cell(rto, "num") + cell(rpo, "num") +
           cell(verify::format_number(t.seconds) + " s", "num") + cell(detail) + "</tr>";
  }
  return out + "</table>";
}

}  // namespace

std::string render_suite_html(const Suite& s) {
  const std::string name = s.plan.name.empty() ? "unnamed plan" : s.plan.name;
  const std::string word = suite_word(s);
  const char* badge = word == "PASS" ? "pass" : word == "FAIL" || word == "ERROR" ? "fail" : "stopped";
  std::string out = "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
                    "<meta name='viewport' content='width=device-width,initial-scale=1'><title>" +
                    html_escape(name) + " trials — " + word + "</title><style>" + report_css() +
                    "</style></head><body><main>";
  out += "<h1>" + html_escape(name) + ": " + std::to_string(s.planned) + " trials<span class='badge " + badge + "'>" +
         word + "</span></h1>";
  out += "<p class='muted'>Faultline suite report. Exit code " + std::to_string(s.verdict.exit_code) + ". " +
         html_escape(suite_counts(s)) + ".</p>";
  if (!s.stop_reason.empty()) out += "<p class='banner'>Stopped early: " + html_escape(s.stop_reason) + "</p>";
  out += "<table class='facts'>";
  out += "<tr>" + cell("plan file") + cell(s.plan.file) + "</tr>";
  out += "<tr>" + cell("plan hash") + cell(s.plan.hash) + "</tr>";
  out += "<tr>" + cell("seeds") + cell("trial k: the k-th output of SplitMix64 seeded with " + s.base_seed) + "</tr>";
  out += "<tr>" + cell("run time") + cell(verify::format_number(s.seconds) + " s") + "</tr>";
  out += "<tr>" + cell("version") + cell(s.plan.version) + "</tr>";
  out += "</table>";
  out += objectives_section(s);
  out += distributions_section(s);
  out += trials_section(s);
  out += "</main></body></html>\n";
  return out;
}

}  // namespace faultline::reports
