// Raft safety checks over node snapshots.
#include "cluster/raft/invariants.hpp"

#include <algorithm>

namespace faultline::raft {

namespace {

std::string id(NodeId n) { return "member " + std::to_string(n); }

// A compacted log starts past index 1; its first entry says where.
// Every check is written once over S, an owning NodeSnapshot or a NodeView.
template <class S>
Index first_index(const S& s) { return s.log.empty() ? 1 : s.log.front().index; }
template <class S>
Index last_index(const S& s) { return first_index(s) + s.log.size() - 1; }

template <class S>
const Entry* entry_at(const S& s, Index i) {
  if (s.log.empty() || i < first_index(s) || i > last_index(s)) return nullptr;
  return &s.log[i - first_index(s)];
}

std::string describe(const Entry& e) {
  return "(term " + std::to_string(e.term) + ", command '" + e.command + "')";
}

// Whether every log agrees entry for entry with the longest one wherever
// both hold an index (and the longest covers each log's first index). Then
// any two logs agree wherever both hold an index, so log matching and
// committed agreement hold for every pair: one pass per member instead of
// one per pair. False says only "check pair by pair".
template <class S>
bool logs_consistent(std::span<const S> nodes) {
  const S* longest = nullptr;
  for (const S& s : nodes) {
    if (!s.log.empty() && (longest == nullptr || last_index(s) > last_index(*longest))) longest = &s;
  }
  if (longest == nullptr) return true;
  for (const S& s : nodes) {
    if (&s == longest || s.log.empty()) continue;
    if (first_index(s) < first_index(*longest)) return false;
    const auto from = longest->log.begin() + static_cast<std::ptrdiff_t>(first_index(s) - first_index(*longest));
    if (!std::equal(s.log.begin(), s.log.end(), from)) return false;
  }
  return true;
}

}  // namespace

void SafetyMonitor::forget_through(Index upto) {
  if (upto <= base_) return;
  const auto drop = static_cast<std::size_t>(std::min<Index>(upto - base_, committed_.size()));
  committed_.erase(committed_.begin(), committed_.begin() + static_cast<std::ptrdiff_t>(drop));
  commit_term_.erase(commit_term_.begin(), commit_term_.begin() + static_cast<std::ptrdiff_t>(drop));
  // Past the known entries: the indexes up to upto are simply never seen.
  base_ = upto;
}

NodeSnapshot snapshot_of(const Node& node) {
  return NodeSnapshot{node.id(), node.role(), node.term(), node.commit_index(), node.log()};
}

NodeView view_of(const Node& node) {
  return NodeView{node.id(), node.role(), node.term(), node.commit_index(), node.log()};
}

template <class S>
std::vector<std::string> check_election_safety_of(std::span<const S> nodes) {
  std::vector<std::string> out;
  std::map<Term, NodeId> leaders;
  for (const S& s : nodes) {
    if (s.role != Role::leader) continue;
    auto [it, inserted] = leaders.emplace(s.term, s.id);
    if (!inserted) {
      out.push_back("election safety: " + id(it->second) + " and " + id(s.id) +
                    " both lead term " + std::to_string(s.term));
    }
  }
  return out;
}

std::vector<std::string> check_election_safety(std::span<const NodeSnapshot> nodes) { return check_election_safety_of(nodes); }

template <class S>
std::vector<std::string> check_log_matching_of(std::span<const S> nodes) {
  std::vector<std::string> out;
  for (std::size_t a = 0; a < nodes.size(); ++a) {
    for (std::size_t b = a + 1; b < nodes.size(); ++b) {
      const S& x = nodes[a];
      const S& y = nodes[b];
      if (x.log.empty() || y.log.empty()) continue;
      // The highest index where both logs agree on the term anchors the check;
      // compacted prefixes are skipped.
      const Index first = std::max(first_index(x), first_index(y));
      Index anchor = std::min(last_index(x), last_index(y));
      while (anchor >= first && entry_at(x, anchor)->term != entry_at(y, anchor)->term) --anchor;
      for (Index i = first; i <= anchor; ++i) {
        const Entry& ex = *entry_at(x, i);
        const Entry& ey = *entry_at(y, i);
        if (ex != ey) {
          out.push_back("log matching: " + id(x.id) + " and " + id(y.id) + " agree on the term at index " +
                        std::to_string(anchor) + " but differ at index " + std::to_string(i) +
                        ": " + describe(ex) + " vs " + describe(ey));
          break;
        }
      }
    }
  }
  return out;
}

std::vector<std::string> check_log_matching(std::span<const NodeSnapshot> nodes) { return check_log_matching_of(nodes); }

template <class S>
std::vector<std::string> check_committed_agreement_of(std::span<const S> nodes) {
  std::vector<std::string> out;
  for (std::size_t a = 0; a < nodes.size(); ++a) {
    for (std::size_t b = a + 1; b < nodes.size(); ++b) {
      const S& x = nodes[a];
      const S& y = nodes[b];
      const Index upto = std::min(x.commit, y.commit);
      for (Index i = std::max(first_index(x), first_index(y)); i <= upto; ++i) {
        const Entry* ex = entry_at(x, i);
        const Entry* ey = entry_at(y, i);
        if (ex == nullptr || ey == nullptr) break;
        if (*ex != *ey) {
          out.push_back("committed agreement: " + id(x.id) + " and " + id(y.id) +
                        " committed different entries at index " + std::to_string(i) + ": " +
                        describe(*ex) + " vs " + describe(*ey));
          break;
        }
      }
    }
  }
  return out;
}

std::vector<std::string> check_committed_agreement(std::span<const NodeSnapshot> nodes) { return check_committed_agreement_of(nodes); }

template <class S>
std::vector<std::string> check_monotonic_of(std::span<const NodeSnapshot> previous, std::span<const S> current) {
  std::vector<std::string> out;
  for (const S& now : current) {
    auto before = std::find_if(previous.begin(), previous.end(),
                               [&](const NodeSnapshot& p) { return p.id == now.id; });
    if (before == previous.end()) continue;
    if (now.term < before->term) {
      out.push_back("term went back: " + id(now.id) + " from " + std::to_string(before->term) +
                    " to " + std::to_string(now.term));
    }
    if (now.commit < before->commit) {
      out.push_back("commit index went back: " + id(now.id) + " from " +
                    std::to_string(before->commit) + " to " + std::to_string(now.commit));
    }
  }
  return out;
}

std::vector<std::string> check_monotonic(std::span<const NodeSnapshot> previous,
                                         std::span<const NodeSnapshot> current) {
  return check_monotonic_of(previous, current);
}

std::vector<std::string> SafetyMonitor::observe(std::span<const NodeSnapshot> nodes) { return observe_of(nodes); }
std::vector<std::string> SafetyMonitor::observe(std::span<const NodeView> nodes) { return observe_of(nodes); }

template <class S>
std::vector<std::string> SafetyMonitor::observe_of(std::span<const S> nodes) {
  std::vector<std::string> out = check_election_safety_of(nodes);
  auto append = [&out](std::vector<std::string> more) {
    out.insert(out.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  };
  if (!logs_consistent(nodes)) {
    append(check_log_matching_of(nodes));
    append(check_committed_agreement_of(nodes));
  }

  std::vector<NodeSnapshot> previous;
  for (const auto& [member, s] : last_) previous.push_back(s);
  append(check_monotonic_of(std::span<const NodeSnapshot>(previous), nodes));

  for (const S& s : nodes) {
    if (s.role == Role::leader) {
      auto [it, inserted] = leader_of_term_.emplace(s.term, s.id);
      if (!inserted && it->second != s.id) {
        out.push_back("election safety: " + id(it->second) + " and " + id(s.id) +
                      " both led term " + std::to_string(s.term));
      }
    }
    // Committed entries are immutable: compare with, then extend, what is
    // known. A compacted log may start past the known entries; the slots in
    // between stay unknown (index 0) until some member shows them.
    for (Index i = std::max(first_index(s), base_ + 1); i <= s.commit; ++i) {
      const Entry* e = entry_at(s, i);
      if (e == nullptr) break;
      const std::size_t at = static_cast<std::size_t>(i - base_ - 1);
      if (at >= committed_.size()) {
        committed_.resize(at + 1);
        commit_term_.resize(at + 1, s.term);
      }
      Entry& known = committed_[at];
      if (known.index == 0) {
        known = *e;
      } else if (known != *e) {
        out.push_back("committed entry changed: " + id(s.id) + " has " + describe(*e) + " at index " +
                      std::to_string(i) + ", committed earlier as " + describe(known));
        break;
      }
    }
    // s.commit covers these entries, so they were committed in s.term or
    // earlier (a member learns of a commit in its own term and terms only
    // grow); every entry before a committed one was committed no later.
    const std::size_t covered =
        s.commit <= base_ ? 0 : std::min<std::size_t>(static_cast<std::size_t>(s.commit - base_), commit_term_.size());
    for (std::size_t k = covered; k > 0 && commit_term_[k - 1] > s.term; --k) {
      commit_term_[k - 1] = s.term;
    }
  }
  // Leader completeness, after the prefix absorbed this observation.
  for (const S& s : nodes) {
    if (s.role != Role::leader || s.log.empty()) continue;
    // committed_[k] has index base_ + k + 1; entries below the log's first
    // index were compacted into its snapshot. commit_term_ is non-decreasing,
    // so starting past them skips no break below.
    for (std::size_t k = static_cast<std::size_t>(std::max(first_index(s), base_ + 1) - base_ - 1);
         k < committed_.size(); ++k) {
      const Entry& c = committed_[k];
      // Only entries committed by term s.term bind this leader. An entry's
      // own term says too little: an old-term entry may be committed only
      // later by a higher-term leader, while a stale leader elected without
      // it (legitimately) still leads. commit_term_ never decreases.
      if (commit_term_[k] > s.term) break;
      if (c.index == 0) continue;  // not seen yet
      const Entry* e = entry_at(s, c.index);
      if (e == nullptr || *e != c) {
        out.push_back("leader completeness: " + id(s.id) + ", leader of term " +
                      std::to_string(s.term) + ", lacks committed entry " +
                      std::to_string(c.index) + " " + describe(c));
        break;
      }
    }
  }
  for (const S& s : nodes) {
    NodeSnapshot kept{s.id, s.role, s.term, s.commit, {}};
    last_[s.id] = std::move(kept);
  }
  violations_ += out.size();
  return out;
}

}  // namespace faultline::raft
