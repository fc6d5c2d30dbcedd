// Node: leadership transfer (Raft thesis 3.10). The leader stops taking
// proposals so the target can catch up for good, then tells it to campaign.
#include "cluster/raft/node.hpp"

namespace faultline::raft {

bool Node::transfer_leadership(NodeId to, std::int64_t now_ms) {
  if (role_ != Role::leader || to == config_.id || progress_.count(to) == 0) return false;
  transfer_target_ = to;
  // Bounded: a target that is down or cut off must not freeze proposals forever.
  transfer_deadline_ms_ = now_ms + config_.election_timeout_max_ms;
  timeout_now_sent_ = false;
  maybe_send_timeout_now(to);
  if (!timeout_now_sent_) send_append(to);
  return true;
}

void Node::maybe_send_timeout_now(NodeId to) {
  if (!transfer_target_ || *transfer_target_ != to || timeout_now_sent_) return;
  // Only a target holding the whole log can win: voters refuse a shorter one.
  if (progress_[to].match != last_index()) return;
  send(to, TimeoutNow{});
  timeout_now_sent_ = true;
}

void Node::check_transfer(std::int64_t now_ms) {
  if (transfer_target_ && now_ms >= transfer_deadline_ms_) {
    transfer_target_.reset();
    timeout_now_sent_ = false;
  }
}

void Node::handle_timeout_now(const Message& m, std::int64_t now_ms) {
  (void)m;  // m.term == term_: only this term's leader sends TimeoutNow
  if (role_ == Role::leader) return;
  // Skip pre-vote: the other members still hear the leader and would refuse
  // it, yet the leader itself asked for this election.
  campaign(now_ms);
}

}  // namespace faultline::raft
