// The plain-text renderings: summary.md for humans reading CI output, and
// the console summary printed at the end of a run.
#include <algorithm>
#include <string>

#include "reports/format.hpp"
#include "reports/reports.hpp"
#include "reports/sections.hpp"
#include "reports/status.hpp"

namespace faultline::reports {
namespace {

std::string declared(const verify::CheckResult& c, const char* le, const char* ge) {
  return std::string(verify::is_floor(c) ? ge : le) + " " + verify::format_number(c.limit) + (c.unit.empty() ? "" : " " + c.unit);
}

std::string pad(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

std::string waived_line(const History& h, const verify::WaivedCheck& w) {
  return "not promised by " + (h.target.kind.empty() ? std::string("the target") : h.target.kind) + ": " + w.why +
         " (measured " + measured_text(w.measured, w.unit) + ")";
}

std::string from_heal(const verify::RtoResult& rto) {
  return rto.from_heal_ms ? plain_ms(rto.from_heal_ms) : "- (" + rto.from_heal_detail + ")";
}

}  // namespace

std::string rto_parts_text(const verify::RtoParts& p) {
  std::string s = "detect " + plain_ms(p.detect_ms);
  if (p.agreed_ms) s += ", down agreed " + plain_ms(p.agreed_ms);
  s += ", new leader " + plain_ms(p.new_leader_ms);
  if (p.promoted_ms) s += ", promoted " + plain_ms(p.promoted_ms);
  s += ", first ack " + plain_ms(p.first_ack_ms);
  if (p.new_leader_ack_ms && p.new_leader_ack_ms != p.first_ack_ms) {
    s += ", first ack on the new leader (" + p.new_leader + ") " + plain_ms(p.new_leader_ack_ms);
  }
  return s + ", stable " + plain_ms(p.stable_ms);
}

std::string render_markdown(const History& h, const Verdict& v) {
  const std::string name = h.plan.name.empty() ? "unnamed plan" : h.plan.name;
  std::string s = "## " + md_cell(name) + ": " + verdict_word(h, v) + "\n\n";
  if (!banner(h).empty()) s += "> **" + md_cell(banner(h)) + "**\n\n";
  s += "| objective | declared | measured | result | detail |\n|---|---|---|---|---|\n";
  for (const auto& c : v.checks) {
    const std::string label = check_label(h, c);
    s += "| " + md_cell(c.objective) + " | " + md_cell(declared(c, "≤", "≥")) + " | " +
         md_cell(measured_text(c.measured, c.unit)) + " | " +
         (label == "FAIL" ? "**FAIL**" : label == "skip" ? "not judged" : label) + " | " + md_cell(c.detail) +
         " |\n";
  }
  for (const auto& w : v.not_promised) {
    s += "| " + md_cell(w.objective) + " | - | " + md_cell(measured_text(w.measured, w.unit)) +
         " | not promised | " + md_cell(waived_line(h, w)) + " |\n";
  }
  if (v.rto.applicable) {
    s += "\nRTO parts: " + rto_parts_text(v.rto.parts) + ".\n";
  } else {
    s += "\nRTO: " + md_cell(v.rto.detail) + ".\n";
  }
  if (v.rto.heal_ns) s += "RTO from the heal: " + from_heal(v.rto) + ".\n";
  if (v.rpo.measured) {
    s += "Lost acknowledged writes: " + std::to_string(v.rpo.lost.size()) + " of " +
         std::to_string(v.rpo.acknowledged) + " (RPO window " + plain_ms(v.rpo.window_ms) + ").\n";
  } else {
    s += "Lost acknowledged writes: not measured (" + md_cell(v.rpo.detail) + ").\n";
  }
  if (v.failover.has_calls) s += md_cell(failover_summary(v)) + ".\n";
  for (const auto& step : v.rolling) s += "Rolling restart " + md_cell(verify::describe(step)) + ".\n";
  for (const auto& line : steady_lines(h, v)) s += md_cell(line) + ".\n";
  s += "\nSeed " + md_cell(h.plan.seed) + ", plan hash " + md_cell(h.plan.hash) + ", duration " +
       seconds_text(h.end_ns) + ".\n";
  return s;
}

std::string verdict_line(const History& h, const Verdict& v, ConsoleStyle style) {
  const std::string name = h.plan.name.empty() ? "unnamed plan" : h.plan.name;
  const std::string word = verdict_word(h, v);
  std::string s = paint(word, verdict_tone(word), style) + "  " + name;
  if (!h.plan.seed.empty()) s += " (seed " + h.plan.seed + ")";
  return s + "\n";
}

std::string console_summary(const History& h, const Verdict& v, ConsoleStyle style) {
  std::string s = verdict_line(h, v, style);
  if (!banner(h).empty()) s += "  " + banner(h) + "\n";
  std::size_t width = 0;
  for (const auto& c : v.checks) width = std::max(width, c.objective.size());
  for (const auto& w : v.not_promised) width = std::max(width, w.objective.size());
  for (const auto& c : v.checks) {
    const std::string label = check_label(h, c);
    if (!c.available) {  // nothing to judge: what the target lacks
      s += "  " + paint("n/a ", Tone::dim, style) + "  " + pad(c.objective, width) + "  " + c.detail + "\n";
      continue;
    }
    s += "  " + paint(label, label == "skip" ? Tone::dim : verdict_tone(label), style) + "  " +
         pad(c.objective, width) + "  declared " + pad(declared(c, "<=", ">="), 16) + " measured " +
         measured_text(c.measured, c.unit);
    if (c.expected_to_fail) s += c.pass ? "  [expected to fail: it did not]" : "  [expected to fail]";
    if (!c.pass) {
      // A long detail (the linearizability evidence) goes below, indented.
      const auto newline = c.detail.find('\n');
      s += "  (" + c.detail.substr(0, newline) + ")";
      if (newline != std::string::npos) {
        std::string rest = c.detail.substr(newline + 1);
        std::string indented = "        ";
        for (char ch : rest) {
          indented += ch;
          if (ch == '\n') indented += "        ";
        }
        while (!indented.empty() && (indented.back() == ' ' || indented.back() == '\n')) indented.pop_back();
        s += "\n" + indented;
      }
    }
    s += "\n";
  }
  for (const auto& w : v.not_promised) {
    s += "  n/a   " + pad(w.objective, width) + "  " + waived_line(h, w) + "\n";
  }
  if (v.rto.applicable) {
    s += "  RTO parts: " + rto_parts_text(v.rto.parts) + "\n";
  } else {
    s += "  RTO: " + v.rto.detail + "\n";
  }
  if (v.rto.heal_ns) s += "  RTO from the heal: " + from_heal(v.rto) + "\n";
  if (v.rpo.measured) {
    s += "  RPO: " + std::to_string(v.rpo.lost.size()) + " of " + std::to_string(v.rpo.acknowledged) +
         " acknowledged writes lost (" + std::to_string(v.rpo.checked) + " checked)\n";
  } else {
    s += "  RPO: not measured: " + v.rpo.detail + "\n";
  }
  if (v.failover.has_calls) s += "  " + failover_summary(v) + "\n";
  for (const auto& step : v.rolling) s += "  rolling restart " + verify::describe(step) + "\n";
  for (const auto& line : steady_lines(h, v)) s += "  " + line + "\n";
  if (!h.warnings.empty()) s += "  journal: " + std::to_string(h.warnings.size()) + " event(s) skipped\n";
  return s;
}

}  // namespace faultline::reports
