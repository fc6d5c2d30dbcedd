// The renderings of a suite of trials (`faultline run PLAN --trials N`):
// console, summary.md, junit.xml and the JSON object; the HTML page is in
// suite_html.cpp. Each trial keeps its own reports in its own folder.
#include <cstdio>

#include "reports/format.hpp"
#include "reports/reports.hpp"
#include "reports/status.hpp"
#include "reports/suite_text.hpp"

namespace faultline::reports {
namespace {

using Json = nlohmann::json;

std::string pad(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

std::string attr(const std::string& name, const std::string& value) {
  return " " + name + "=\"" + xml_escape(value) + "\"";
}

Json number_or_null(const std::optional<double>& value) { return value ? Json(*value) : Json(nullptr); }

}  // namespace

std::string suite_word(const Suite& s) {
  if (s.interrupted) return "INTERRUPTED";
  if (s.verdict.trials_not_run > 0) return "ERROR";
  return s.verdict.pass ? "PASS" : "FAIL";
}

std::string trial_name(int index) {
  char name[32];
  std::snprintf(name, sizeof name, "trial-%02d", index);
  return name;
}

std::string trial_word(const verify::TrialRecord& t) {
  if (t.interrupted) return "INTERRUPTED";
  if (!t.has_verdict() || t.exit_code == 3) return "ERROR";
  return t.exit_code == 0 ? "PASS" : "FAIL";
}

std::string suite_counts(const Suite& s) {
  const auto& v = s.verdict;
  std::string text = std::to_string(v.trials_passed) + " of " + std::to_string(s.planned) + " trials passed";
  if (v.trials_failed > 0) text += ", " + std::to_string(v.trials_failed) + " failed";
  if (v.trials_not_run > 0) text += ", " + std::to_string(v.trials_not_run) + " not carried out";
  const std::size_t ran = s.trials.size();
  if (ran < static_cast<std::size_t>(s.planned)) text += ", " + std::to_string(s.planned - static_cast<int>(ran)) + " not started";
  return text;
}

std::vector<const verify::Distribution*> shown_distributions(const Suite& s) {
  std::vector<const verify::Distribution*> out;
  for (const auto& d : s.verdict.distributions) {
    if (d.measured > 0) out.push_back(&d);
  }
  return out;
}

std::string stat_text(const std::optional<double>& value) { return value ? verify::format_number(*value) : "-"; }

std::string suite_verdict_line(const Suite& s, ConsoleStyle style) {
  const std::string name = s.plan.name.empty() ? "unnamed plan" : s.plan.name;
  const std::string word = suite_word(s);
  return paint(word, verdict_tone(word), style) + "  " + name + ": " + suite_counts(s) + " (seeds derived from " +
         s.base_seed + ")\n";
}

std::string suite_console(const Suite& s, ConsoleStyle style) {
  std::string out = suite_verdict_line(s, style);
  if (!s.stop_reason.empty()) out += "  stopped early: " + s.stop_reason + "\n";
  std::size_t width = 10;
  for (const auto& c : s.verdict.checks) width = std::max(width, c.objective.size());
  for (const auto& c : s.verdict.checks) {
    const std::string label = c.pass ? "pass" : "FAIL";
    out += "  " + paint(label, verdict_tone(label), style) + "  " + pad(c.objective, width) + "  declared " +
           pad("<= " + verify::format_number(c.limit) + (c.unit.empty() ? "" : " " + c.unit), 16) + " measured " +
           measured_text(c.measured, c.unit) + (c.pass ? "" : "  (" + c.detail + ")") + "\n";
  }
  const auto shown = shown_distributions(s);
  if (!shown.empty()) {
    std::size_t name_width = 7;
    for (const auto* d : shown) name_width = std::max(name_width, d->name.size());
    out += "  " + pad("measure", name_width) + "  " + pad("trials", 7);
    for (const char* stat : {"min", "p50", "p90", "p99", "max"}) out += pad(stat, 9);
    out += "unit\n";
    for (const auto* d : shown) {
      out += "  " + pad(d->name, name_width) + "  " + pad(std::to_string(d->measured) + "/" + std::to_string(d->trials), 7);
      for (const char* stat : {"min", "p50", "p90", "p99", "max"}) out += pad(stat_text(d->stat(stat)), 9);
      out += d->unit + "\n";
    }
  }
  for (const auto& t : s.trials) {
    if (t.exit_code == 0) continue;
    out += "  " + trial_name(t.index) + " (seed " + t.seed + "): " + trial_word(t) +
           (t.error.empty() ? "" : ": " + t.error) + "; see " + t.dir + "\n";
  }
  return out;
}

std::string render_suite_markdown(const Suite& s) {
  const std::string name = s.plan.name.empty() ? "unnamed plan" : s.plan.name;
  std::string out = "## " + md_cell(name) + ", " + std::to_string(s.planned) + " trials: " + suite_word(s) + "\n\n";
  out += md_cell(suite_counts(s)) + ". Seeds derived from " + md_cell(s.base_seed) +
         " (SplitMix64); statistics by nearest rank.\n\n";
  if (!s.stop_reason.empty()) out += "> **Stopped early: " + md_cell(s.stop_reason) + "**\n\n";
  if (!s.verdict.checks.empty()) {
    out += "| objective | declared | measured | result | detail |\n|---|---|---|---|---|\n";
    for (const auto& c : s.verdict.checks) {
      out += "| " + md_cell(c.objective) + " | ≤ " + verify::format_number(c.limit) + (c.unit.empty() ? "" : " " + c.unit) +
             " | " + md_cell(measured_text(c.measured, c.unit)) + " | " + (c.pass ? "pass" : "**FAIL**") + " | " +
             md_cell(c.detail) + " |\n";
    }
    out += "\n";
  }
  out += "| measure | measured in | min | p50 | p90 | p99 | max | unit |\n|---|---|---|---|---|---|---|---|\n";
  for (const auto* d : shown_distributions(s)) {
    out += "| " + md_cell(d->name) + " | " + std::to_string(d->measured) + " of " + std::to_string(d->trials);
    for (const char* stat : {"min", "p50", "p90", "p99", "max"}) out += " | " + stat_text(d->stat(stat));
    out += " | " + md_cell(d->unit) + " |\n";
  }
  out += "\n| trial | seed | verdict | rto_ms | rpo_writes | detail |\n|---|---|---|---|---|---|\n";
  for (const auto& t : s.trials) {
    std::string rto = "-", rpo = "-";
    for (const auto& m : t.measures) {
      if (m.name == "rto_ms") rto = stat_text(m.value);
      if (m.name == "rpo_writes") rpo = stat_text(m.value);
    }
    std::string detail = t.error;
    for (const auto& c : t.checks) {
      if (!c.pass) detail += (detail.empty() ? "" : "; ") + c.objective + " missed";
    }
    out += "| " + trial_name(t.index) + " | " + md_cell(t.seed) + " | " + trial_word(t) + " | " + rto + " | " + rpo +
           " | " + md_cell(detail) + " |\n";
  }
  out += "\nPlan hash " + md_cell(s.plan.hash) + ", " + seconds_text(static_cast<std::int64_t>(s.seconds * 1e9)) +
         " in all.\n";
  return out;
}

std::string render_suite_junit(const Suite& s) {
  const std::string suite = (s.plan.name.empty() ? "faultline" : s.plan.name) + ".trials";
  std::size_t failures = 0, errors = 0;
  for (const auto& t : s.trials) {
    if (!t.has_verdict() || t.exit_code == 3) {
      ++errors;
    } else if (t.exit_code != 0) {
      ++failures;
    }
  }
  for (const auto& c : s.verdict.checks) failures += c.pass ? 0 : 1;
  const std::size_t tests = s.trials.size() + s.verdict.checks.size();
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.3f", s.seconds);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites" + attr("name", "faultline") + attr("tests", std::to_string(tests)) +
         attr("failures", std::to_string(failures)) + attr("errors", std::to_string(errors)) + attr("time", seconds) +
         ">\n";
  out += "  <testsuite" + attr("name", suite) + attr("tests", std::to_string(tests)) +
         attr("failures", std::to_string(failures)) + attr("errors", std::to_string(errors)) + attr("skipped", "0") +
         attr("time", seconds) + ">\n    <properties>\n";
  out += "      <property" + attr("name", "plan_file") + attr("value", s.plan.file) + "/>\n";
  out += "      <property" + attr("name", "plan_hash") + attr("value", s.plan.hash) + "/>\n";
  out += "      <property" + attr("name", "base_seed") + attr("value", s.base_seed) + "/>\n";
  out += "      <property" + attr("name", "trials") + attr("value", std::to_string(s.planned)) + "/>\n";
  out += "    </properties>\n";
  for (const auto& t : s.trials) {
    char time[32];
    std::snprintf(time, sizeof time, "%.3f", t.seconds);
    out += "    <testcase" + attr("classname", "faultline." + suite) + attr("name", trial_name(t.index)) +
           attr("time", time) + ">\n";
    if (!t.has_verdict() || t.exit_code == 3) {
      out += "      <error" + attr("message", t.error) + attr("type", t.interrupted ? "interrupted" : "not_carried_out") +
             ">" + xml_escape("seed " + t.seed + ", run folder " + t.dir) + "</error>\n";
    } else if (t.exit_code != 0) {
      std::string missed;
      for (const auto& c : t.checks) {
        if (!c.pass) missed += (missed.empty() ? "" : "; ") + c.detail;
      }
      out += "      <failure" + attr("message", missed) + attr("type", "objective_missed") + ">" +
             xml_escape("seed " + t.seed + ", run folder " + t.dir + ": " + missed) + "</failure>\n";
    } else {
      out += "      <system-out>" + xml_escape("seed " + t.seed + ", run folder " + t.dir) + "</system-out>\n";
    }
    out += "    </testcase>\n";
  }
  for (const auto& c : s.verdict.checks) {
    out += "    <testcase" + attr("classname", "faultline." + suite) + attr("name", c.objective) + attr("time", "0") + ">\n";
    if (c.pass) {
      out += "      <system-out>" + xml_escape(c.detail) + "</system-out>\n";
    } else {
      out += "      <failure" + attr("message", c.detail) + attr("type", "objective_missed") + ">" +
             xml_escape("measured " + measured_text(c.measured, c.unit) + ", limit " + verify::format_number(c.limit) +
                        (c.unit.empty() ? "" : " " + c.unit) + ": " + c.detail) +
             "</failure>\n";
    }
    out += "    </testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

Json suite_json(const Suite& s) {
  std::string word = suite_word(s);
  for (char& c : word) c = static_cast<char>(c - 'A' + 'a');
  Json out{{"plan", s.plan.name},
           {"plan_file", s.plan.file},
           {"plan_hash", s.plan.hash},
           {"base_seed", s.base_seed},
           {"trials_planned", s.planned},
           {"verdict", word},
           {"pass", s.verdict.pass},
           {"exit_code", s.verdict.exit_code},
           {"interrupted", s.interrupted},
           {"stop_reason", s.stop_reason},
           {"trials_passed", s.verdict.trials_passed},
           {"trials_failed", s.verdict.trials_failed},
           {"trials_not_run", s.verdict.trials_not_run}};
  Json checks = Json::array();
  for (const auto& c : s.verdict.checks) {
    checks.push_back(Json{{"objective", c.objective}, {"measured", number_or_null(c.measured)}, {"limit", c.limit},
                          {"unit", c.unit}, {"pass", c.pass}, {"detail", c.detail}});
  }
  out["checks"] = std::move(checks);
  Json distributions = Json::object();
  for (const auto& d : s.verdict.distributions) {
    distributions[d.name] = Json{{"unit", d.unit},         {"trials", d.trials},
                                 {"measured", d.measured}, {"min", number_or_null(d.min)},
                                 {"p50", number_or_null(d.p50)}, {"p90", number_or_null(d.p90)},
                                 {"p99", number_or_null(d.p99)}, {"max", number_or_null(d.max)}};
  }
  out["distributions"] = std::move(distributions);
  Json trials = Json::array();
  for (const auto& t : s.trials) {
    Json measures = Json::object();
    for (const auto& m : t.measures) measures[m.name] = number_or_null(m.value);
    Json failed = Json::array();
    for (const auto& c : t.checks) {
      if (!c.pass) failed.push_back(c.objective);
    }
    std::string tw = trial_word(t);
    for (char& c : tw) c = static_cast<char>(c - 'A' + 'a');
    trials.push_back(Json{{"trial", t.index}, {"seed", t.seed}, {"dir", t.dir}, {"verdict", tw},
                          {"exit_code", t.exit_code}, {"error", t.error}, {"seconds", t.seconds},
                          {"failed", failed}, {"measures", measures}});
  }
  out["trials"] = std::move(trials);
  return out;
}

}  // namespace faultline::reports
