// The declared steady state in the reports: each probe's samples and the
// intervals in which it did not hold, the probe that held recovery back,
// and the rollbacks run at the end with their outcome.
#include <string>

#include "reports/format.hpp"
#include "reports/sections.hpp"

namespace faultline::reports {
namespace {

constexpr std::size_t kIntervalsShown = 3;

std::string when_text(const verify::ProbeTimeline& t) {
  std::string s;
  if (t.before) s += "before";
  if (t.continuous) s += std::string(s.empty() ? "" : ", ") + "continuous";
  if (t.after) s += std::string(s.empty() ? "" : ", ") + "after";
  return s.empty() ? "halts only" : s;
}

std::size_t failed_samples(const History& h, const std::string& name) {
  std::size_t failed = 0;
  for (const auto& s : h.probe_samples) failed += s.name == name && !s.pass;
  return failed;
}

bool sampled(const verify::ProbeTimeline& t) { return t.kind != "success_rate" && t.kind != "latency"; }

// "2 (400 ms in all): 1.250-1.450 s, 3.100-3.300 s"
std::string bad_text(const verify::ProbeTimeline& t) {
  if (t.bad.empty()) return "none";
  std::int64_t total = 0;
  for (const auto& [a, b] : t.bad) total += b - a;
  std::string s = std::to_string(t.bad.size()) + " (" + plain_ms(static_cast<double>(total) / 1e6) + " in all): ";
  for (std::size_t i = 0; i < t.bad.size() && i < kIntervalsShown; ++i) {
    s += (i ? ", " : "") + seconds_text(t.bad[i].first) + " to " + seconds_text(t.bad[i].second);
  }
  if (t.bad.size() > kIntervalsShown) s += ", ...";
  return s;
}

std::string rollback_what(const verify::RollbackFacts& r) {
  if (r.action == "restart") return "restart " + r.target;
  if (r.action == "command") {
    std::string s = "command";
    for (const auto& a : r.argv) s += " " + a;
    return s;
  }
  return r.action;
}

}  // namespace

std::string steady_section(const History& h, const Verdict& v) {
  const auto& hyp = v.hypothesis;
  if (!hyp.declared) return "";
  std::string s = "<h2>Steady state (declared probes)</h2><table><tr><th>probe</th><th>kind</th><th>when</th>"
                  "<th>points</th><th>failed samples</th><th>did not hold</th><th>at the end</th></tr>";
  for (const auto& t : hyp.probes) {
    s += "<tr>" + html_cell(t.name) + html_cell(t.kind) + html_cell(when_text(t)) +
         html_cell(std::to_string(t.points), "num") +
         html_cell(sampled(t) ? std::to_string(failed_samples(h, t.name)) : "—", "num") + html_cell(bad_text(t)) +
         (t.points == 0 ? html_cell("never evaluated", "bad")
                        : t.holds_at_end ? html_cell("holds", "ok") : html_cell("fails", "bad")) +
         "</tr>";
  }
  s += "</table>";
  for (const auto& line : steady_lines(h, v)) s += "<p>" + html_escape(line) + "</p>";
  return s;
}

std::string rollbacks_section(const History& h) {
  if (h.rollbacks.empty()) return "";
  std::string s = "<h2>Rollbacks</h2><table><tr><th>action</th><th>at</th><th>took</th><th>result</th>"
                  "<th>detail</th></tr>";
  for (const auto& r : h.rollbacks) {
    s += "<tr>" + html_cell(rollback_what(r)) + html_cell(seconds_text(r.t_ns), "num") +
         html_cell(plain_ms(r.duration_ms), "num") + html_cell(r.ok ? "ok" : "FAILED", r.ok ? "ok" : "bad") +
         html_cell(r.detail) + "</tr>";
  }
  return s + "</table>";
}

std::vector<std::string> steady_lines(const History& h, const Verdict& v) {
  std::vector<std::string> lines;
  const auto& hyp = v.hypothesis;
  if (hyp.declared && !hyp.held_back_by.empty() && hyp.recovery_ns) {
    for (const auto& t : hyp.probes) {
      if (t.name != hyp.held_back_by || !t.recovered_ns) continue;
      lines.push_back("Recovery was held back by probe " + t.name + " (" + t.kind + "): it held again at " +
                      seconds_text(*t.recovered_ns));
    }
  }
  for (const auto& t : hyp.probes) {
    if (t.points == 0 && (t.before || t.continuous || t.after)) {
      lines.push_back("Probe " + t.name + " (" + t.kind + ") was never evaluated");
    }
  }
  if (!h.rollbacks.empty()) {
    std::string s = "Rollbacks:";
    for (std::size_t i = 0; i < h.rollbacks.size(); ++i) {
      const auto& r = h.rollbacks[i];
      s += (i ? "; " : " ") + rollback_what(r) + (r.ok ? " ok" : " FAILED (" + r.detail + ")");
    }
    lines.push_back(s);
  }
  return lines;
}

}  // namespace faultline::reports
