// The report's "Failover" section (routed calls) and the one-line failover
// summary shared by the Markdown summary and the console.
#include <string>

#include "reports/format.hpp"
#include "reports/sections.hpp"

namespace faultline::reports {
namespace {

constexpr std::size_t kSessionRowsShown = 100;
constexpr std::size_t kMoveRowsShown = 50;

std::string td(const std::string& text, const char* cls = nullptr) {
  return std::string("<td") + (cls ? std::string(" class='") + cls + "'" : "") + ">" + html_escape(text) + "</td>";
}

std::string num(std::size_t n) { return std::to_string(n); }

// Plain ASCII for the console and Markdown, like their RTO parts.
std::string plain_ms(const std::optional<double>& ms) { return ms ? verify::format_number(*ms) + " ms" : "-"; }

const char* outcome_class(verify::FailoverOutcome o) {
  return o == verify::FailoverOutcome::not_recovered ? "bad" : nullptr;
}

std::string outcome_text(const verify::SessionFailover& s) {
  std::string text = verify::to_string(s.outcome);
  if (s.outcome == verify::FailoverOutcome::not_recovered && !s.called_after) text += " (no call after the fault)";
  return text;
}

std::string more_rows(std::size_t total, std::size_t shown) {
  if (total <= shown) return "";
  return "<p class='muted'>" + num(total - shown) + " more not shown.</p>";
}

std::string faults_table(const verify::FailoverStats& f) {
  std::string s = "<h3>Faults on workers</h3>";
  if (f.faults.empty()) return s + "<p>No fault was injected on a worker.</p>";
  s += "<table><tr><th>fault</th><th>kind</th><th>worker</th><th>injected</th><th>healed</th><th>pinned</th>"
       "<th>failed over</th><th>same worker</th><th>not recovered</th><th>max failover</th>"
       "<th>median failover</th></tr>";
  for (const auto& wf : f.faults) {
    const auto& g = wf.figures;
    s += "<tr>" + td(std::to_string(wf.fault), "num") + td(wf.kind) + td(wf.worker) +
         td(seconds_text(wf.inject_ns), "num") + td(wf.heal_ns ? seconds_text(*wf.heal_ns) : "not healed", "num") +
         td(num(g.pinned), "num") + td(num(g.failed_over), "num") + td(num(g.same_worker), "num") +
         td(num(g.not_recovered), g.not_recovered > 0 ? "bad" : "num") + td(ms_text(g.max_failover_ms), "num") +
         td(ms_text(g.median_failover_ms), "num") + "</tr>";
  }
  return s + "</table>";
}

std::string sessions_table(const verify::FailoverStats& f) {
  if (f.overall.pinned == 0) return "";
  std::string s = "<h3>Pinned sessions</h3><table><tr><th>fault</th><th>worker</th><th>session</th>"
                  "<th>outcome</th><th>succeeded again on</th><th>after</th><th>call</th></tr>";
  std::size_t shown = 0;
  // Sessions that never recovered first, so the row limit never hides them.
  for (const bool recovered : {false, true}) {
    for (const auto& wf : f.faults) {
      for (const auto& ss : wf.sessions) {
        if ((ss.outcome != verify::FailoverOutcome::not_recovered) != recovered) continue;
        if (shown++ >= kSessionRowsShown) continue;
        s += "<tr>" + td(std::to_string(wf.fault), "num") + td(wf.worker) + td(ss.session) +
             td(outcome_text(ss), outcome_class(ss.outcome)) + td(ss.worker) + td(ms_text(ss.ms), "num") +
             td(ss.call) + "</tr>";
      }
    }
  }
  return s + "</table>" + more_rows(shown, kSessionRowsShown);
}

std::string moves_table(const verify::FailoverStats& f) {
  std::string s = "<h3>Sessions moved without cause</h3>";
  const auto moves = f.unexplained_moves();
  if (moves.empty()) return s + "<p>None (" + num(f.moves.size()) + " move(s), each after a fault or exit).</p>";
  s += "<table><tr><th>session</th><th>client</th><th>from</th><th>to</th><th>last call on from</th>"
       "<th>first call on to</th></tr>";
  for (std::size_t i = 0; i < moves.size() && i < kMoveRowsShown; ++i) {
    const auto& m = moves[i];
    s += "<tr>" + td(m.session) + td(m.client) + td(m.from) + td(m.to, "bad") +
         td(m.from_call + " at " + seconds_text(m.from_ns)) + td(m.to_call + " at " + seconds_text(m.to_ns)) +
         "</tr>";
  }
  return s + "</table>" + more_rows(moves.size(), kMoveRowsShown);
}

}  // namespace

std::string failover_section(const Verdict& v) {
  const auto& f = v.failover;
  if (!f.has_calls) return "";
  const auto& o = f.overall;
  std::string s = "<h2>Failover (routed calls)</h2><table class='facts'>";
  s += "<tr>" + td("calls") + td(num(f.calls) + " over " + num(f.sessions) + " sessions: " + num(f.calls_ok) +
                                 " ok, " + num(f.calls_lost) + " lost (" + num(f.lost_in_fault_window) +
                                 " during a fault, " + num(f.lost_outside) + " outside)") + "</tr>";
  s += "<tr>" + td("sessions pinned to a faulted worker") +
       td(num(o.pinned) + ": " + num(o.failed_over) + " failed over, " + num(o.same_worker) +
          " recovered on the same worker, " + num(o.not_recovered) + " not recovered") + "</tr>";
  s += "<tr>" + td("failover time") +
       td("max " + ms_text(o.max_failover_ms) + ", median " + ms_text(o.median_failover_ms) +
          "; slowest recovery " + ms_text(o.max_recovery_ms)) + "</tr>";
  s += "<tr>" + td("moves without cause") + td(num(f.moves_without_cause), f.moves_without_cause ? "bad" : nullptr) +
       "</tr></table>";
  return s + faults_table(f) + sessions_table(f) + moves_table(f);
}

std::string failover_summary(const Verdict& v) {
  const auto& f = v.failover;
  if (!f.has_calls) return "";
  const auto& o = f.overall;
  return "Failover: " + num(o.pinned) + " session(s) pinned to a faulted worker: " + num(o.failed_over) +
         " failed over (max " + plain_ms(o.max_failover_ms) + ", median " + plain_ms(o.median_failover_ms) + "), " +
         num(o.same_worker) + " recovered on the same worker, " + num(o.not_recovered) +
         " not recovered; calls lost " + num(f.calls_lost) + " of " + num(f.calls) + " (" +
         num(f.lost_in_fault_window) + " during a fault, " + num(f.lost_outside) + " outside); " +
         num(f.moves_without_cause) + " session move(s) without cause";
}

}  // namespace faultline::reports
