// Election facts from the members' own reports (`member` samples) and the
// fault and start events, as defined in docs/metrics.md ("Elections"):
//
//  - election safety: at most one leader per term;
//  - terms never go back on a member, within a process life or across one;
//  - the commit index never goes back within a life, nor from the last sample
//    before a restart to the first sample after it;
//  - after each kill of the leader, the time until a majority of the members
//    name the same new leader;
//  - the number of elections, and every leader change that happened while
//    nothing was injected.
//
// Thread-safety: pure functions of their arguments.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "drills/verify/history.hpp"

namespace faultline::verify {

// A value that went backwards on one member: `before` in an earlier sample,
// `after` in the sample at `t_ns`.
struct Regression {
  std::string member;
  std::int64_t t_ns = 0;
  std::int64_t before = 0;
  std::int64_t after = 0;
  bool across_restart = false;  // the two samples lie in different process lives
};

// One term in which some member reported itself leader.
struct LeaderTerm {
  std::int64_t term = 0;
  std::vector<std::string> leaders;  // sorted, unique
  std::int64_t since_ns = 0;         // earliest role instant of a leader sample of the term
  bool initial = false;              // the run's first leader term: not a change
  bool explained = true;             // inside a fault's window (or initial)
};

// A kill of the member that led at the time, and the election that followed.
struct LeaderLoss {
  std::int64_t fault = 0;  // the fault's index in the plan
  std::string member;      // the killed leader
  std::int64_t fault_ns = 0;
  std::optional<std::int64_t> fault_term;
  std::optional<std::int64_t> known_ns;  // first instant a majority named a new leader
  std::optional<std::string> new_leader;
  std::optional<double> election_ms() const {
    if (!known_ns) return std::nullopt;
    return static_cast<double>(*known_ns - fault_ns) / 1e6;
  }
};

struct ElectionStats {
  // Distinct terms in which some member reported itself leader.
  std::size_t elections = 0;
  // Term -> members that reported themselves leader in it (sorted, unique).
  std::map<std::int64_t, std::vector<std::string>> leaders_per_term;
  // Terms with more than one leader: election safety violated.
  std::vector<std::int64_t> split_terms;
  std::vector<LeaderTerm> terms;  // by term
  std::vector<Regression> term_regressions;
  std::vector<Regression> commit_regressions;
  // Terms and commit indexes that went back across a restart after a power
  // loss of the member: explained by what it did not sync, not counted.
  std::vector<Regression> explained_regressions;
  std::vector<LeaderLoss> losses;  // by fault instant
  // The leader terms that began outside every fault window.
  std::vector<std::int64_t> unexplained_changes;
  bool safe() const { return split_terms.empty(); }
  // The slowest election after a leader loss; nullopt if none was lost or
  // some loss was never followed by a leader known to a majority.
  std::optional<double> max_election_ms() const;
};

// `recovery_ns` is the RTO recovery instant, when measured: a fault's window
// runs from its injection to the later of its heal and the recovery instant,
// plus the stability window.
ElectionStats measure_elections(const History& history,
                                std::optional<std::int64_t> recovery_ns = std::nullopt);

// The parts measure_elections assembles (elections.cpp, monotonic.cpp,
// leader_loss.cpp).
void find_regressions(const History& history, ElectionStats& stats);
void find_leader_losses(const History& history, ElectionStats& stats);

}  // namespace faultline::verify
