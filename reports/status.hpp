// How a run ended, in words shared by every rendering (internal to reports/):
// the verdict word, the banner of a run that stopped early, the label of a
// check, and the terminal colours of the console.
//
// A run that stopped early (History::stopped: interrupted, aborted, or a
// journal without its end) has no verdict: what it recorded is shown, checks
// that held so far read "pass", and the others are "not judged" rather than
// failed, since the run never reached the point where they could be.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "reports/reports.hpp"

namespace faultline::reports {

// PASS, FAIL, HALTED (a halt condition fired), UNHEALTHY (the steady state
// did not hold before any fault), INTERRUPTED, ABORTED or INCOMPLETE.
std::string verdict_word(const History& history, const Verdict& verdict);
// One sentence for a run that stopped early; empty otherwise.
std::string stop_banner(const History& history);
// One sentence for a run that was halted or not healthy before any fault;
// empty otherwise.
std::string steady_banner(const History& history);
// Whichever of the two applies, or empty.
std::string banner(const History& history);
// False for a check that did not pass in a run that stopped early (or
// before any fault: every check but steady_state_before), and for a check
// the target gives nothing to judge (not available).
bool judged(const History& history, const verify::CheckResult& check);
// Why a check was not judged: "the run was interrupted", ...
std::string not_judged_why(const History& history);
// "pass", "FAIL", "skip" (not judged) or "n/a" (not available).
std::string check_label(const History& history, const verify::CheckResult& check);

// ANSI SGR colours, applied only when `style.color`.
enum class Tone { good, bad, warn, dim, bold };
std::string paint(const std::string& text, Tone tone, ConsoleStyle style);
Tone verdict_tone(const std::string& word);

}  // namespace faultline::reports
