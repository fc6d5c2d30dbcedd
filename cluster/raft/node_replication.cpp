// Node: log replication and commitment (AppendEntries, §5.3 and §5.4.2).
#include <algorithm>

#include "cluster/raft/node.hpp"

namespace faultline::raft {

std::optional<Entry> Node::propose(std::string command, std::int64_t now_ms) {
  (void)now_ms;  // proposals do not move timers; kept for a uniform driver API
  if (role_ != Role::leader) return std::nullopt;
  Entry entry{term_, last_index() + 1, std::move(command)};
  append_log(entry);
  maybe_advance_commit();  // a single-member cluster commits on its own append
  broadcast_append();
  return entry;
}

void Node::send_append(NodeId to) {
  Progress& p = progress_[to];
  p.next = std::clamp<Index>(p.next, 1, last_index() + 1);
  AppendRequest req;
  req.prev_index = p.next - 1;
  req.prev_term = term_at(req.prev_index);
  const Index end = std::min<Index>(last_index(), req.prev_index + config_.max_entries_per_append);
  for (Index i = p.next; i <= end; ++i) req.entries.push_back(log_[i - 1]);
  req.leader_commit = commit_;
  send(to, std::move(req));
}

void Node::broadcast_append() {
  for (const auto& [member, progress] : progress_) send_append(member);
}

void Node::handle_append_request(const Message& m, const AppendRequest& req,
                                 std::int64_t now_ms) {
  // m.term == term_. Two leaders in one term cannot exist; ignore rather than obey.
  if (role_ == Role::leader) return;
  if (role_ == Role::candidate) {
    become_follower(term_, m.from, now_ms);
  } else {
    leader_ = m.from;
  }
  reset_election_timer(now_ms);

  if (req.prev_index > last_index()) {
    send(m.from, AppendResponse{false, 0, last_index() + 1});
    return;
  }
  if (term_at(req.prev_index) != req.prev_term) {
    // Skip back over the whole conflicting term, but never into the committed
    // prefix, which matches every leader's log by construction.
    const Term conflict_term = term_at(req.prev_index);
    Index first = req.prev_index;
    while (first > 1 && term_at(first - 1) == conflict_term) --first;
    Index hint = std::min(std::max(first, commit_ + 1), req.prev_index);
    send(m.from, AppendResponse{false, 0, hint});
    return;
  }

  Index expected = req.prev_index + 1;
  for (const Entry& entry : req.entries) {
    if (entry.index != expected) break;  // malformed batch: keep the matching prefix
    if (entry.index <= last_index() && term_at(entry.index) != entry.term) {
      // Never drop a committed entry; a leader asking for that is not a Raft leader.
      if (entry.index <= commit_) break;
      truncate_log(entry.index);
    }
    if (entry.index > last_index()) append_log(entry);  // else a duplicate delivery
    ++expected;
  }
  // Only what this request proved matching may be committed: entries past it
  // may be stale leftovers of an older term.
  const Index match = expected - 1;
  const Index new_commit = std::min(req.leader_commit, match);
  if (new_commit > commit_) commit_ = new_commit;
  send(m.from, AppendResponse{true, match, 0});
}

void Node::handle_append_response(const Message& m, const AppendResponse& resp,
                                  std::int64_t now_ms) {
  (void)now_ms;
  if (role_ != Role::leader) return;
  Progress& p = progress_[m.from];
  if (resp.success) {
    const Index match = std::min(resp.match_index, last_index());
    if (match > p.match) p.match = match;
    p.next = std::max(p.next, p.match + 1);
    maybe_advance_commit();
  } else {
    p.next = std::clamp<Index>(resp.conflict_hint, p.match + 1, last_index() + 1);
  }
  // Keep a lagging or repaired follower moving without waiting for a heartbeat.
  if (!resp.success || p.next <= last_index()) send_append(m.from);
}

void Node::maybe_advance_commit() {
  for (Index n = last_index(); n > commit_; --n) {
    // Figure 8: an entry of an older term is committed only indirectly, by
    // committing a later entry of the current term.
    if (term_at(n) != term_) break;
    std::size_t replicas = 1;  // the leader itself
    for (const auto& [member, progress] : progress_) {
      if (progress.match >= n) ++replicas;
    }
    if (replicas >= quorum()) {
      commit_ = n;
      return;
    }
  }
}

}  // namespace faultline::raft
