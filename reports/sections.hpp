// HTML sections of the report for the election, linearizability and failover
// checks
// (internal to reports/). Every piece of text from the journal is escaped.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "reports/reports.hpp"

namespace faultline::reports {

// The report's inline style sheet, shared by the run and suite pages.
const char* report_css();

// "Elections": per-term leaders and when each term's leader took over, with
// terms outside every fault window marked; each leader loss and the time to
// a leader known by a majority; term and commit-index regressions.
std::string elections_section(const Verdict& verdict);

// "Linearizability": the checker's verdict and its evidence in a <pre>; empty
// when the plan did not ask for the check.
std::string linearizability_section(const Verdict& verdict);

// "Failover (routed calls)": calls and calls lost, the sessions pinned to
// each faulted worker and what became of them, and the sessions moved
// without cause. Empty when the journal has no routed calls.
std::string failover_section(const Verdict& verdict);

// "Rolling restart": one row per step (member, down, catch-up, the longest
// time clients had no acknowledged write, writes not acknowledged, elections).
// Empty when the run had no rolling restart.
std::string rolling_section(const Verdict& verdict);

// One line (no trailing newline) for the console and the Markdown summary;
// empty when the journal has no routed calls.
std::string failover_summary(const Verdict& verdict);

// "detect 1052.3 ms, down agreed 1117.9 ms, new leader ..., stable ...":
// the parts every run has, and those only some systems report (agreed,
// promoted) or that differ only when the old leader went on acknowledging
// (first ack on the new leader) when they were measured.
std::string rto_parts_text(const verify::RtoParts& parts);

// "Steady state (declared probes)": each probe's points, failed samples and
// the intervals in which it did not hold; empty when the plan declares none
// (steady_section.cpp).
std::string steady_section(const History& history, const Verdict& verdict);
// "Rollbacks": each one run at the end and its outcome; empty when none ran.
std::string rollbacks_section(const History& history);
// Lines (no newline) for the console and the Markdown summary: the probe
// that held recovery back, probes never evaluated, the rollbacks.
std::vector<std::string> steady_lines(const History& history, const Verdict& verdict);

}  // namespace faultline::reports
