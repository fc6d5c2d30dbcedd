// The election checks built from ElectionStats (docs/metrics.md, "Elections").
#include <string>

#include "drills/verify/objectives.hpp"

namespace faultline::verify {
namespace {

constexpr std::size_t kMaxListed = 5;

std::string describe(const std::vector<Regression>& found, const char* what) {
  std::string text;
  for (std::size_t i = 0; i < found.size() && i < kMaxListed; ++i) {
    const Regression& r = found[i];
    text += (i ? "; " : " ") + r.member + " at " + format_ms(r.t_ns) + ": " + what + " " +
            std::to_string(r.before) + " -> " + std::to_string(r.after) +
            (r.across_restart ? " (across a restart)" : " (within one process life)");
  }
  if (found.size() > kMaxListed) text += "; and " + std::to_string(found.size() - kMaxListed) + " more";
  return text;
}

CheckResult regression_check(const char* objective, const char* what,
                             const std::vector<Regression>& found) {
  CheckResult c{objective, static_cast<double>(found.size()), 0.0, found.empty(), "samples", ""};
  if (c.pass) {
    c.detail = std::string("no member's ") + what + " went back";
  } else {
    c.detail = std::to_string(found.size()) + " sample(s) where a member's " + what +
               " went back:" + describe(found, what);
  }
  return c;
}

}  // namespace

// Regressions a power loss explains are not counted, but said.
void note_explained(CheckResult& c, const ElectionStats& e) {
  if (e.explained_regressions.empty()) return;
  c.detail += "; " + std::to_string(e.explained_regressions.size()) +
              " went back across a power loss of the member (what it had not synced), not counted";
}

CheckResult check_term_monotonic(const ElectionStats& e) {
  CheckResult c = regression_check("term_monotonic", "term", e.term_regressions);
  note_explained(c, e);
  return c;
}

CheckResult check_commit_monotonic(const ElectionStats& e) {
  CheckResult c = regression_check("commit_monotonic", "commit index", e.commit_regressions);
  note_explained(c, e);
  return c;
}

CheckResult check_stable_leadership(const ElectionStats& e) {
  const auto n = e.unexplained_changes.size();
  CheckResult c{"stable_leadership", static_cast<double>(n), 0.0, n == 0, "changes", ""};
  if (c.pass) {
    c.detail = "no leader change outside a fault's window";
    return c;
  }
  c.detail = std::to_string(n) + " leader change(s) while nothing was injected:";
  std::size_t listed = 0;
  for (const LeaderTerm& t : e.terms) {
    if (t.explained || listed++ >= kMaxListed) continue;
    c.detail += (listed > 1 ? "; " : " ") + std::string("term ") + std::to_string(t.term) + " (";
    for (std::size_t i = 0; i < t.leaders.size(); ++i) c.detail += (i ? ", " : "") + t.leaders[i];
    c.detail += ") from " + format_ms(t.since_ns);
  }
  return c;
}

CheckResult check_leader_election(const ElectionStats& e, double limit_ms) {
  CheckResult c{"leader_election_ms", e.max_election_ms(), limit_ms, false, "ms", ""};
  std::string unmeasured = "no leader was killed, so no election was timed";
  for (const LeaderLoss& loss : e.losses) {
    if (!loss.known_ns) {
      unmeasured = "after the kill of leader " + loss.member + " at " + format_ms(loss.fault_ns) +
                   ", no new leader was known by a majority within the run";
      break;
    }
  }
  decide(c, "slowest election", unmeasured);
  return c;
}

CheckResult check_max_elections(const ElectionStats& e, double limit) {
  CheckResult c{"max_elections", static_cast<double>(e.elections), limit, false, "elections", ""};
  decide(c, "elections", "");
  return c;
}

}  // namespace faultline::verify
