// Node: linearizable reads through ReadIndex (Raft thesis 6.4). A read is
// served at the commit index the leader had when the read arrived, once a
// majority has shown, after that moment, that it still follows this leader:
// then no other leader can have committed anything newer.
#include <algorithm>

#include "cluster/raft/node.hpp"

namespace faultline::raft {

std::optional<std::uint64_t> Node::read_index(std::uint64_t request_id, std::int64_t now_ms) {
  (void)now_ms;  // confirmation is by heartbeat round, not by clock lease
  if (role_ != Role::leader) return std::nullopt;
  // A fresh leader's commit index may lag what earlier leaders committed until
  // an entry of its own term (its no-op) commits.
  if (!committed_in_current_term()) return std::nullopt;
  ++read_seq_;
  pending_reads_.push_back(PendingRead{ReadState{request_id, commit_}, read_seq_});
  confirm_reads();  // a single-member cluster is its own majority
  // Every append carries read_seq_, so this round is what followers echo.
  if (!pending_reads_.empty()) broadcast_append();
  return commit_;
}

void Node::confirm_reads() {
  // Rounds are numbered in order, so reads confirm front to back.
  while (!pending_reads_.empty()) {
    const std::uint64_t seq = pending_reads_.front().seq;
    std::size_t acks = 1;  // the leader itself
    for (const auto& [member, progress] : progress_) {
      if (progress.read_ack >= seq) ++acks;
    }
    if (acks < quorum()) return;
    ready_reads_.push_back(pending_reads_.front().read);
    pending_reads_.erase(pending_reads_.begin());
  }
}

void Node::drop_reads() {
  // A deposed leader cannot confirm anything; reads already confirmed stay
  // valid, because their confirmation happened while it still led.
  pending_reads_.clear();
}

}  // namespace faultline::raft
