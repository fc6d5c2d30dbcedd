// Node: log replication and commitment (AppendEntries, §5.3 and §5.4.2).
#include <algorithm>
#include <array>
#include <vector>

#include "cluster/raft/node.hpp"

namespace faultline::raft {

std::optional<Entry> Node::propose(std::string command, std::int64_t now_ms) {
  (void)now_ms;  // proposals do not move timers; kept for a uniform driver API
  // During a transfer new entries would keep the target from ever catching up.
  if (role_ != Role::leader || transfer_target_) return std::nullopt;
  Entry entry{term_, last_index() + 1, std::move(command)};
  append_log(entry);
  maybe_advance_commit();  // a single-member cluster commits on its own append
  broadcast_append();
  return entry;
}

void Node::send_append(NodeId to) {
  Progress& p = progress_[to];
  p.next = std::clamp<Index>(p.next, 1, last_index() + 1);
  if (p.next <= snapshot_.index) {
    // The entries it needs were compacted away: only the snapshot can help.
    send_snapshot(to, p);
    return;
  }
  if (!p.replicating) {
    // Probing: the logs may differ, so one request at a time until a success
    // shows where they match; `next` moves only on the answer.
    send_batch(to, p, true);
    return;
  }
  // Replicating: fill the window of unacknowledged entries, moving `next` on
  // as each batch leaves, so a far-behind follower is never idle waiting for
  // the leader. A reject (lost or reordered batch) drops back to probing.
  const Index window = static_cast<Index>(config_.max_entries_per_append) *
                       static_cast<Index>(config_.max_inflight_appends);
  bool sent = false;
  while (p.next <= last_index() && p.next <= p.match + window) {
    send_batch(to, p, true);
    sent = true;
  }
  // Nothing new (or the window is full): a heartbeat still carries the commit
  // index and the ReadIndex round.
  if (!sent) send_batch(to, p, false);
}

void Node::send_batch(NodeId to, Progress& p, bool with_entries) {
  // Built in place in the outgoing queue: an append carries a vector, and
  // moving it through a MessageBody by value costs more than the Raft logic.
  Message& out = pending_messages_.emplace_back();
  out.from = config_.id;
  out.to = to;
  out.term = term_;
  AppendRequest& req = out.body.emplace<AppendRequest>();
  req.prev_index = p.next - 1;
  req.prev_term = term_at(req.prev_index);
  if (with_entries) {
    const Index end =
        std::min<Index>(last_index(), req.prev_index + config_.max_entries_per_append);
    if (end >= p.next) {
      // The range is contiguous in log_; a recycled buffer saves the allocation.
      if (!spare_entries_.empty()) {
        req.entries = std::move(spare_entries_.back());
        spare_entries_.pop_back();
      }
      const auto first = log_.begin() + static_cast<std::ptrdiff_t>(p.next - snapshot_.index - 1);
      req.entries.assign(first, first + static_cast<std::ptrdiff_t>(end - p.next + 1));
    }
    if (p.replicating) p.next = end + 1;
  }
  req.leader_commit = commit_;
  req.read_seq = read_seq_;
}

void Node::broadcast_append() {
  for (const auto& [member, progress] : progress_) send_append(member);
}

bool Node::follow_leader(NodeId from, std::int64_t now_ms) {
  if (role_ == Role::leader) return false;
  if (role_ == Role::candidate) {
    become_follower(term_, from, now_ms);
  } else {
    leader_ = from;
  }
  pre_candidate_ = false;
  pre_votes_.clear();
  leader_contact_ms_ = now_ms;
  // The timeout drawn when this term or role began, not a fresh draw: the
  // spread between members is what breaks split votes, and it is there
  // already (as etcd does; a draw per append was a measurable cost).
  election_deadline_ms_ = election_deadline_after(now_ms);
  return true;
}

void Node::handle_append_request(const Message& m, const AppendRequest& in,
                                 std::int64_t now_ms) {
  // m.term == term_. Two leaders in one term cannot exist; ignore rather than obey.
  if (!follow_leader(m.from, now_ms)) return;

  // Entries at or below the base are committed and already match every
  // leader's log; start the check at the base instead.
  AppendRequest trimmed;
  const AppendRequest* request = &in;
  if (in.prev_index < snapshot_.index) {
    trimmed.prev_index = snapshot_.index;
    trimmed.prev_term = snapshot_.term;
    trimmed.leader_commit = in.leader_commit;
    trimmed.read_seq = in.read_seq;
    for (const Entry& e : in.entries) {
      if (e.index > snapshot_.index) trimmed.entries.push_back(e);
    }
    request = &trimmed;
  }
  const AppendRequest& req = *request;

  if (req.prev_index > last_index()) {
    send(m.from, AppendResponse{false, 0, last_index() + 1, req.read_seq});
    return;
  }
  if (term_at(req.prev_index) != req.prev_term) {
    // Skip back over the whole conflicting term, but never into the committed
    // prefix, which matches every leader's log by construction.
    const Term conflict_term = term_at(req.prev_index);
    Index first = req.prev_index;
    while (first > snapshot_.index + 1 && term_at(first - 1) == conflict_term) --first;
    Index hint = std::min(std::max(first, commit_ + 1), req.prev_index);
    send(m.from, AppendResponse{false, 0, hint, req.read_seq});
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
  send(m.from, AppendResponse{true, match, 0, req.read_seq});
}

void Node::handle_append_response(const Message& m, const AppendResponse& resp,
                                  std::int64_t now_ms) {
  (void)now_ms;
  if (role_ != Role::leader) return;
  Progress& p = progress_[m.from];
  // Any answer in this term shows the follower still followed this leader.
  p.read_ack = std::max(p.read_ack, resp.read_seq);
  confirm_reads();
  if (resp.success) {
    const Index match = std::min(resp.match_index, last_index());
    const bool advanced = match > p.match;
    if (advanced) p.match = match;
    p.next = std::max(p.next, p.match + 1);
    p.replicating = true;
    if (advanced) maybe_advance_commit();  // no new match, no new commit
    maybe_send_timeout_now(m.from);
  } else {
    p.replicating = false;
    p.next = std::clamp<Index>(resp.conflict_hint, p.match + 1, last_index() + 1);
  }
  // Keep a lagging or repaired follower moving without waiting for a heartbeat.
  if (!resp.success || p.next <= last_index()) send_append(m.from);
}

void Node::maybe_advance_commit() {
  // The highest index a quorum holds: the largest of the members' match
  // indexes (the leader's own is its last index) that at least a quorum of
  // them reach. Every entry up to it is replicated on a majority, and
  // nothing above it is. A handful of members: a branch-free count per
  // candidate beats sorting, whose data-dependent branches mispredict.
  std::array<Index, 16> small;  // no zeroing: the first n are written below
  std::vector<Index> large;
  const std::size_t n = progress_.size() + 1;
  Index* matches = small.data();
  if (n > small.size()) {
    large.resize(n);
    matches = large.data();
  }
  matches[0] = last_index();
  std::size_t k = 1;
  for (const auto& [member, progress] : progress_) matches[k++] = progress.match;
  const std::size_t need = quorum();
  Index best = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t reach = 0;
    for (std::size_t j = 0; j < n; ++j) reach += matches[j] >= matches[i] ? 1 : 0;
    if (reach >= need && matches[i] > best) best = matches[i];
  }
  const Index replicated = std::min(best, last_index());
  if (replicated <= commit_) return;
  // Figure 8: an entry of an older term is committed only indirectly, by
  // committing a later entry of the current term. Terms never fall along the
  // log and the leader's own term is its log's highest, so if the entry at
  // `replicated` is of the current term, so is every entry above it.
  if (term_at(replicated) != term_ && config_.planted_bug != PlantedBug::commit_previous_term_by_counting) {
    return;
  }
  commit_ = replicated;
}

}  // namespace faultline::raft
