// The renderings of a suite of plans but its HTML page (plan_suite_html.cpp).
#include "reports/plan_suite.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "reports/format.hpp"
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

std::string fixed3(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string seconds_short(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", s);
  return buf;
}

std::string lost_text(const PlanOutcome& p) {
  if (!p.lost_writes) return "-";
  return std::to_string(*p.lost_writes) + " of " + std::to_string(p.acknowledged);
}

std::size_t count_word(const PlanSuite& s, const std::string& word) {
  return static_cast<std::size_t>(
      std::count_if(s.plans.begin(), s.plans.end(), [&](const PlanOutcome& p) { return p.word == word; }));
}

std::string counts_of(const PlanSuite& s) {
  const std::size_t passed = count_word(s, "PASS");
  std::string text = std::to_string(passed) + " of " + std::to_string(s.plans.size()) + " plans passed";
  const std::size_t failed = count_word(s, "FAIL");
  const std::size_t not_run = count_word(s, "NOT RUN");
  const std::size_t other = s.plans.size() - passed - failed - not_run;
  if (failed > 0) text += ", " + std::to_string(failed) + " failed";
  if (other > 0) text += ", " + std::to_string(other) + " not carried out";
  if (not_run > 0) text += ", " + std::to_string(not_run) + " not run";
  return text;
}

}  // namespace

std::string plan_suite_counts(const PlanSuite& s) { return counts_of(s); }

std::string plan_suite_word(const PlanSuite& s) {
  if (s.stopped_early) return "INTERRUPTED";
  if (s.exit_code == 0) return "PASS";
  if (s.exit_code == 1 || s.exit_code == 4) return "FAIL";
  return "ERROR";
}

std::string plan_outcome_trouble(const PlanOutcome& p) {
  if (!p.ran) return "not run: the suite stopped first";
  if (!p.error.empty()) return p.error;
  if (!p.missed.empty()) {
    std::string text = "missed";
    for (const auto& m : p.missed) text += (text == "missed" ? " " : ", ") + m;
    return text;
  }
  return "";
}

void fill_outcome(PlanOutcome& p, const History& h, const Verdict& v) {
  p.name = h.plan.name;
  p.seed = h.plan.seed;
  p.word = verdict_word(h, v);
  p.rto_ms = v.rto.rto_ms;
  p.lost_writes = v.rpo.measured ? std::optional<std::size_t>(v.rpo.lost.size()) : std::nullopt;
  p.acknowledged = v.rpo.acknowledged;
  p.missed = v.failed;
  p.junit = junit_testsuite(h, v);
  p.details = run_json(h, v);
}

int plan_suite_exit_code(const std::vector<int>& codes, bool stopped_early) {
  auto rank = [](int code) {
    switch (code) {
      case 0: return 0;
      case 1: return 1;
      case 4: return 2;
      case 3: return 3;
      case 2: return 4;
      default: return 3;  // anything unforeseen cannot count as judged
    }
  };
  int worst = 0;
  for (const int code : codes) {
    if (rank(code) > rank(worst)) worst = code;
  }
  if (stopped_early && rank(worst) < rank(3)) worst = 3;
  return worst;
}

std::string plan_suite_verdict_line(const PlanSuite& s, ConsoleStyle style) {
  const std::string word = plan_suite_word(s);
  return paint(word, verdict_tone(word), style) + "  suite " + s.name + ": " + plan_suite_counts(s) + " (exit " +
         std::to_string(s.exit_code) + ", " + seconds_short(s.seconds) + ")\n";
}

std::string plan_suite_console(const PlanSuite& s, ConsoleStyle style) {
  std::string out = plan_suite_verdict_line(s, style);
  if (!s.stop_reason.empty()) out += "  stopped early: " + s.stop_reason + "\n";
  std::size_t name_width = 4;
  for (const auto& p : s.plans) name_width = std::max(name_width, p.name.size());
  for (const auto& p : s.plans) {
    std::string line = "  " + paint(pad(p.word, 11), verdict_tone(p.word), style) + " " + pad(p.name, name_width);
    if (p.ran) {
      line += "  RTO " + pad(plain_ms(p.rto_ms), 10) + "  lost " + pad(lost_text(p), 12) + "  " +
              pad(seconds_short(p.seconds), 8) + "  " + p.dir;
    }
    const std::string why = plan_outcome_trouble(p);
    if (!why.empty()) line += "  " + why;
    out += line + "\n";
  }
  return out;
}

std::string render_plan_suite_markdown(const PlanSuite& s) {
  std::string out = "## Suite " + md_cell(s.name) + ": " + plan_suite_word(s) + "\n\n";
  if (!s.description.empty()) out += md_cell(s.description) + "\n\n";
  out += md_cell(plan_suite_counts(s)) + "; exit code " + std::to_string(s.exit_code) + ", " + seconds_short(s.seconds) +
         " in all.\n\n";
  if (!s.stop_reason.empty()) out += "> **Stopped early: " + md_cell(s.stop_reason) + "**\n\n";
  out += "| # | plan | verdict | RTO | lost writes | time | run folder | detail |\n|---|---|---|---|---|---|---|---|\n";
  for (const auto& p : s.plans) {
    const std::string folder = std::filesystem::path(p.dir).filename().string();
    out += "| " + std::to_string(p.index) + " | " + md_cell(p.name) + " | " + p.word + " | " + plain_ms(p.rto_ms) +
           " | " + lost_text(p) + " | " + (p.ran ? seconds_short(p.seconds) : "-") + " | " +
           (p.ran ? "[" + md_cell(folder) + "](" + folder + "/summary.md)" : "-") + " | " + md_cell(plan_outcome_trouble(p)) +
           " |\n";
  }
  return out;
}

std::string render_plan_suite_junit(const PlanSuite& s) {
  std::size_t tests = 0, failures = 0, errors = 0;
  std::string body;
  for (const auto& p : s.plans) {
    if (!p.junit.xml.empty()) {
      body += p.junit.xml;
      tests += p.junit.tests;
      failures += p.junit.failures;
      errors += p.junit.errors;
      continue;
    }
    // No verdict to show: the run could not start, or the suite stopped first.
    const std::string name = p.name.empty() ? "plan-" + std::to_string(p.index) : p.name;
    ++tests;
    body += "  <testsuite" + attr("name", name) + attr("tests", "1") + attr("failures", "0") +
            attr("errors", p.ran ? "1" : "0") + attr("skipped", p.ran ? "0" : "1") + attr("time", fixed3(p.seconds)) +
            ">\n    <testcase" + attr("classname", "faultline." + name) + attr("name", "run") +
            attr("time", fixed3(p.seconds)) + ">\n";
    if (p.ran) {
      ++errors;
      body += "      <error" + attr("message", p.error) + attr("type", "not_carried_out") + ">" +
              xml_escape("plan " + p.file + ", run folder " + p.dir) + "</error>\n";
    } else {
      body += "      <skipped" + attr("message", "not run: " + (s.stop_reason.empty() ? "the suite stopped first" : s.stop_reason)) +
              "/>\n";
    }
    body += "    </testcase>\n  </testsuite>\n";
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites" + attr("name", "faultline." + s.name) +
         attr("tests", std::to_string(tests)) + attr("failures", std::to_string(failures)) +
         attr("errors", std::to_string(errors)) + attr("time", fixed3(s.seconds)) + ">\n" + body + "</testsuites>\n";
}

Json plan_suite_json(const PlanSuite& s) {
  const std::string word = lower(plan_suite_word(s));
  Json plans = Json::array();
  for (const auto& p : s.plans) {
    const std::string pw = lower(p.word);
    plans.push_back(Json{{"index", p.index},
                         {"name", p.name},
                         {"file", p.file},
                         {"overrides", p.overrides},
                         {"dir", p.dir},
                         {"verdict", pw},
                         {"exit_code", p.ran ? Json(p.exit_code) : Json(nullptr)},
                         {"error", p.error},
                         {"seconds", p.seconds},
                         {"rto_ms", p.rto_ms ? Json(*p.rto_ms) : Json(nullptr)},
                         {"lost_writes", p.lost_writes ? Json(*p.lost_writes) : Json(nullptr)},
                         {"acknowledged", p.acknowledged},
                         {"missed", p.missed},
                         {"run", p.details}});
  }
  return Json{{"suite", s.name},       {"description", s.description}, {"verdict", word},
              {"pass", s.exit_code == 0}, {"exit_code", s.exit_code}, {"stopped_early", s.stopped_early},
              {"stop_reason", s.stop_reason}, {"seconds", s.seconds}, {"plans", plans}};
}

std::optional<std::string> write_plan_suite_reports(const std::filesystem::path& dir, const PlanSuite& s) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return "cannot create report folder " + dir.string() + ": " + ec.message();
  if (auto err = write_file(dir / "report.html", render_plan_suite_html(s))) return err;
  if (auto err = write_file(dir / "junit.xml", render_plan_suite_junit(s))) return err;
  return write_file(dir / "summary.md", render_plan_suite_markdown(s));
}

}  // namespace faultline::reports
