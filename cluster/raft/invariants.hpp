// Raft safety properties, written once and checked by the Raft unit and
// property tests (tests/raft) and by the simulator while it runs (after a
// change of state, at most every check_every_ms; cluster/sim/config.hpp).
//
// The journal checkers do not use this file: drills/verify depends on the
// journal alone, never on the Raft core, and a journal's `member` samples
// carry no logs. They check the journal-visible properties (one leader per
// term, terms and commit indexes never going back) on their own, in
// drills/verify/elections.hpp.
//
// Every check returns a list of human-readable violations (empty when the
// property holds); each names the property, the members, terms and indexes.
// A snapshot may carry no log (an observer that knows only role, term and
// commit index); log properties are then checked only over the entries that
// are present.
//
// Thread-safety: free functions are pure; a SafetyMonitor is a plain object.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cluster/raft/node.hpp"
#include "cluster/raft/types.hpp"

namespace faultline::raft {

struct NodeSnapshot {
  NodeId id = 0;
  Role role = Role::follower;
  Term term = 0;
  Index commit = 0;
  // Contiguous indexes k..n (k > 1 after compaction), or empty when unknown.
  std::vector<Entry> log;
};

NodeSnapshot snapshot_of(const Node& node);

// The same facts without the copy: `log` views a live node's log (or a
// snapshot's), valid until that log next changes. A simulator that
// observes every step uses views, so an observation copies no entries.
struct NodeView {
  NodeId id = 0;
  Role role = Role::follower;
  Term term = 0;
  Index commit = 0;
  std::span<const Entry> log;
};

NodeView view_of(const Node& node);

// Election safety, at one instant: at most one leader per term.
std::vector<std::string> check_election_safety(std::span<const NodeSnapshot> nodes);
// Log matching: if two logs hold an entry with the same index and term, the
// logs are identical up to and including that index.
std::vector<std::string> check_log_matching(std::span<const NodeSnapshot> nodes);
// State machine safety: committed prefixes never differ between nodes.
std::vector<std::string> check_committed_agreement(std::span<const NodeSnapshot> nodes);
// Per member (matched by id), commit index and term never go back between a
// previous and a current observation. Members missing from either side are skipped.
std::vector<std::string> check_monotonic(std::span<const NodeSnapshot> previous,
                                         std::span<const NodeSnapshot> current);

// Accumulates observations over a whole run and checks the properties that
// need history: one leader per term ever; terms and commit indexes never go
// back (also across restarts); an entry once seen committed is never changed
// anywhere; and every leader's log holds every entry committed in an earlier
// or equal term (leader completeness). The term an entry was committed in is
// not its own term (an old-term entry is committed by a later leader's
// entry); the monitor bounds it by the lowest term of a member seen with the
// entry committed. Also runs the instant checks above.
class SafetyMonitor {
 public:
  std::vector<std::string> observe(std::span<const NodeSnapshot> nodes);
  std::vector<std::string> observe(std::span<const NodeView> nodes);  // the same checks

  // Entry k is the one committed at index committed_base() + k + 1, or has
  // index 0 while no observation has shown it (it was compacted away first).
  const std::vector<Entry>& committed() const { return committed_; }
  Index committed_base() const { return base_; }
  // The driver promises that no log observed from now on holds an entry at
  // or below `upto` (every member's durable snapshot covers it), so the
  // monitor can drop what it keeps of them: memory stays bounded in a long
  // run with compaction. The checks lose nothing: they only ever compare
  // entries that some observed log holds.
  void forget_through(Index upto);
  // Total violations seen so far.
  std::size_t violation_count() const { return violations_; }

 private:
  std::map<Term, NodeId> leader_of_term_;
  std::map<NodeId, NodeSnapshot> last_;  // last observation per member (log dropped)
  template <class S>
  std::vector<std::string> observe_of(std::span<const S> nodes);  // both observe()s, in the .cpp

  Index base_ = 0;                       // committed_[0] has index base_ + 1
  std::vector<Entry> committed_;         // committed entries seen, by index (index 0: unknown)
  // Per committed_ entry: an upper bound on the term in which it was
  // committed (the lowest term of a member seen with it committed),
  // non-decreasing along the log. Not the entry's own term, which can be lower.
  std::vector<Term> commit_term_;
  std::size_t violations_ = 0;
};

}  // namespace faultline::raft
