// Node: log compaction and InstallSnapshot (Raft thesis 5.4 / paper section 7).
//
// The log keeps (snapshot index, snapshot term) as its base, so term_at and
// the AppendEntries consistency check keep working across it. A follower that
// needs an entry at or below the leader's base gets the snapshot instead.
#include <algorithm>

#include "cluster/raft/node.hpp"

namespace faultline::raft {

bool Node::compact(Index upto, std::string snapshot_data) {
  // Only what the driver has applied can be in its state-machine snapshot.
  if (upto <= snapshot_.index || upto > applied_) return false;
  const Term term = term_at(upto);
  log_.erase(log_.begin(), log_.begin() + static_cast<std::ptrdiff_t>(upto - snapshot_.index));
  snapshot_ = Snapshot{upto, term, std::move(snapshot_data)};
  unsaved_from_ = std::max(unsaved_from_, upto + 1);  // the driver's snapshot holds the rest
  return true;
}

void Node::send_snapshot(NodeId to, Progress& p) {
  send(to, InstallSnapshot{snapshot_.index, snapshot_.term, snapshot_.data, commit_});
  // Probe from just past the base; the follower's success answer moves
  // `match`, and normal replication carries on from there.
  p.next = snapshot_.index + 1;
  p.replicating = false;
}

void Node::handle_install_snapshot(const Message& m, const InstallSnapshot& req,
                                   std::int64_t now_ms) {
  // m.term == term_, as for appends.
  if (!follow_leader(m.from, now_ms)) return;

  const Index index = req.last_included_index;
  if (index <= commit_) {
    // Nothing new: the committed prefix already matches every leader's log.
    send(m.from, AppendResponse{true, commit_, 0, 0});
    return;
  }
  // Thesis 5.4: keep the entries after the snapshot if the log agrees with it
  // there; otherwise the whole log is superseded.
  const bool keep_suffix = index <= last_index() && term_at(index) == req.last_included_term;
  if (keep_suffix) {
    log_.erase(log_.begin(), log_.begin() + static_cast<std::ptrdiff_t>(index - snapshot_.index));
    unsaved_from_ = std::max(unsaved_from_, index + 1);  // what is at or below it goes with the snapshot
    // Durable entries past the base that an earlier truncation superseded are
    // still dropped; those below it go with the snapshot.
    if (pending_truncate_from_) {
      pending_truncate_from_ = std::max(*pending_truncate_from_, index + 1);
    }
  } else {
    log_.clear();
    unsaved_from_ = index + 1;
    pending_truncate_from_ = index + 1;
  }
  snapshot_ = Snapshot{index, req.last_included_term, req.data};
  commit_ = index;
  // The state machine is rebuilt from the snapshot, not from entries.
  applied_ = index;
  pending_snapshot_ = snapshot_;
  send(m.from, AppendResponse{true, index, 0, 0});
}

}  // namespace faultline::raft
