#include "reports/status.hpp"

#include <cctype>

#include "reports/format.hpp"

namespace faultline::reports {

std::string verdict_word(const History& h, const Verdict& v) {
  if (h.stopped) {
    if (h.stopped->cause == "interrupted") return "INTERRUPTED";
    if (h.stopped->cause == "incomplete") return "INCOMPLETE";
    return "ABORTED";
  }
  if (h.unhealthy) return "UNHEALTHY";
  if (h.halt) return "HALTED";
  return v.pass ? "PASS" : "FAIL";
}

std::string stop_banner(const History& h) {
  if (!h.stopped) return "";
  const auto& s = *h.stopped;
  const std::string at = " at " + seconds_text(s.t_ns > 0 ? s.t_ns : h.end_ns);
  std::string what;
  if (s.cause == "interrupted") {
    what = "The run was interrupted" + at + " (" + s.reason + ")";
  } else if (s.cause == "incomplete") {
    what = "The journal ends" + at + " before the run did (" + s.reason + ")";
  } else {
    what = "The run was aborted" + at + ": " + s.reason;
  }
  return what + ". This is what was recorded until then; checks that had not passed are not judged.";
}

std::string steady_banner(const History& h) {
  if (h.unhealthy) {
    std::string reason = h.unhealthy->reason;
    if (!reason.empty()) reason[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(reason[0])));
    return reason + ". The run stopped at " + seconds_text(h.unhealthy->t_ns) +
           " without injecting a fault; only steady_state_before is judged.";
  }
  if (h.halt) {
    return "The drill was halted at " + seconds_text(h.halt->t_ns) + ": " + h.halt->reason +
           ". The workload was stopped and every fault healed.";
  }
  return "";
}

std::string banner(const History& h) { return h.stopped ? stop_banner(h) : steady_banner(h); }

bool judged(const History& h, const verify::CheckResult& c) {
  if (!c.available || c.pass) return c.available;
  if (h.stopped) return false;
  return !h.unhealthy || c.objective == "steady_state_before";
}

std::string not_judged_why(const History& h) {
  if (h.stopped) return "the run " + h.stopped->cause;
  if (h.unhealthy) return "the run stopped before any fault";
  return "";
}

std::string check_label(const History& h, const verify::CheckResult& c) {
  if (!c.available) return "n/a";
  if (c.pass) return "pass";
  return judged(h, c) ? "FAIL" : "skip";
}

std::string paint(const std::string& text, Tone tone, ConsoleStyle style) {
  if (!style.color) return text;
  const char* code = "";
  switch (tone) {
    case Tone::good: code = "\033[32m"; break;
    case Tone::bad: code = "\033[1;31m"; break;
    case Tone::warn: code = "\033[33m"; break;
    case Tone::dim: code = "\033[2m"; break;
    case Tone::bold: code = "\033[1m"; break;
  }
  return code + text + "\033[0m";
}

Tone verdict_tone(const std::string& word) {
  if (word == "PASS" || word == "pass") return Tone::good;
  if (word == "FAIL" || word == "HALTED" || word == "UNHEALTHY") return Tone::bad;
  return Tone::warn;
}

}  // namespace faultline::reports
