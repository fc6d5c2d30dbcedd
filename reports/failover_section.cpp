// The report's "Failover" section (routed calls) and the one-line failover
// summary shared by the Markdown summary and the console.
#include <string>

#include "reports/format.hpp"
#include "reports/sections.hpp"

namespace faultline::reports {
namespace {

constexpr std::size_t kSessionRowsShown = 100;
constexpr std::size_t kMoveRowsShown = 50;

std::string num(std::size_t n) { return std::to_string(n); }

const char* outcome_class(verify::FailoverOutcome o) {
  return o == verify::FailoverOutcome::not_recovered ? "bad" : nullptr;
}

std::string outcome_text(const verify::SessionFailover& s) {
  std::string text = verify::to_string(s.outcome);
  if (s.outcome == verify::FailoverOutcome::not_recovered && !s.called_after) text += " (no call after the fault)";
  return text;
}

std::string faults_table(const verify::FailoverStats& f) {
  std::string s = "<h3>Faults on workers</h3>";
  if (f.faults.empty()) return s + "<p>No fault was injected on a worker.</p>";
  s += "<table><tr><th>fault</th><th>kind</th><th>worker</th><th>injected</th><th>healed</th><th>pinned</th>"
       "<th>failed over</th><th>same worker</th><th>not recovered</th><th>max failover</th>"
       "<th>median failover</th></tr>";
  for (const auto& wf : f.faults) {
    const auto& g = wf.figures;
    s += "<tr>" + html_cell(std::to_string(wf.fault), "num") + html_cell(wf.kind) + html_cell(wf.worker) +
         html_cell(seconds_text(wf.inject_ns), "num") + html_cell(wf.heal_ns ? seconds_text(*wf.heal_ns) : "not healed", "num") +
         html_cell(num(g.pinned), "num") + html_cell(num(g.failed_over), "num") + html_cell(num(g.same_worker), "num") +
         html_cell(num(g.not_recovered), g.not_recovered > 0 ? "bad" : "num") + html_cell(ms_text(g.max_failover_ms), "num") +
         html_cell(ms_text(g.median_failover_ms), "num") + "</tr>";
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
        s += "<tr>" + html_cell(std::to_string(wf.fault), "num") + html_cell(wf.worker) + html_cell(ss.session) +
             html_cell(outcome_text(ss), outcome_class(ss.outcome)) + html_cell(ss.worker) + html_cell(ms_text(ss.ms), "num") +
             html_cell(ss.call) + "</tr>";
      }
    }
  }
  return s + "</table>" + more_not_shown(shown, kSessionRowsShown);
}

std::string moves_table(const verify::FailoverStats& f) {
  std::string s = "<h3>Sessions moved without cause</h3>";
  const auto moves = f.unexplained_moves();
  if (moves.empty()) return s + "<p>None (" + num(f.moves.size()) + " move(s), each after a fault or exit).</p>";
  s += "<table><tr><th>session</th><th>client</th><th>from</th><th>to</th><th>last call on from</th>"
       "<th>first call on to</th></tr>";
  for (std::size_t i = 0; i < moves.size() && i < kMoveRowsShown; ++i) {
    const auto& m = moves[i];
    s += "<tr>" + html_cell(m.session) + html_cell(m.client) + html_cell(m.from) + html_cell(m.to, "bad") +
         html_cell(m.from_call + " at " + seconds_text(m.from_ns)) + html_cell(m.to_call + " at " + seconds_text(m.to_ns)) +
         "</tr>";
  }
  return s + "</table>" + more_not_shown(moves.size(), kMoveRowsShown);
}

}  // namespace

std::string failover_section(const Verdict& v) {
  const auto& f = v.failover;
  if (!f.has_calls) return "";
  const auto& o = f.overall;
  std::string s = "<h2>Failover (routed calls)</h2><table class='facts'>";
  s += "<tr>" + html_cell("calls") + html_cell(num(f.calls) + " over " + num(f.sessions) + " sessions: " + num(f.calls_ok) +
                                 " ok, " + num(f.calls_lost) + " lost (" + num(f.lost_in_fault_window) +
                                 " during a fault, " + num(f.lost_outside) + " outside)") + "</tr>";
  s += "<tr>" + html_cell("sessions pinned to a faulted worker") +
       html_cell(num(o.pinned) + ": " + num(o.failed_over) + " failed over, " + num(o.same_worker) +
          " recovered on the same worker, " + num(o.not_recovered) + " not recovered") + "</tr>";
  s += "<tr>" + html_cell("failover time") +
       html_cell("max " + ms_text(o.max_failover_ms) + ", median " + ms_text(o.median_failover_ms) +
          "; slowest recovery " + ms_text(o.max_recovery_ms)) + "</tr>";
  s += "<tr>" + html_cell("moves without cause") + html_cell(num(f.moves_without_cause), f.moves_without_cause ? "bad" : nullptr) +
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
