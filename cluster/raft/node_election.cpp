// Node: leader election (RequestVote, §5.2 and §5.4.1 of the Raft paper).
#include "cluster/raft/node.hpp"

namespace faultline::raft {

void Node::start_election(std::int64_t now_ms) {
  if (role_ != Role::leader) campaign(now_ms);
}

void Node::campaign(std::int64_t now_ms) {
  term_ += 1;
  role_ = Role::candidate;
  leader_.reset();
  voted_for_ = config_.id;
  votes_ = {config_.id};
  role_since_ms_ = now_ms;
  // A split vote must not repeat forever: each round draws a fresh timeout.
  reset_election_timer(now_ms);
  if (votes_.size() >= quorum()) {
    become_leader(now_ms);  // single-member cluster
    return;
  }
  for (const auto& [member, progress] : progress_) {
    send(member, VoteRequest{last_index(), last_term()});
  }
}

void Node::handle_vote_request(const Message& m, const VoteRequest& req, std::int64_t now_ms) {
  // m.term == term_ here. A leader or candidate of this term has voted for itself.
  const bool free_to_vote = !voted_for_ || *voted_for_ == m.from;
  // §5.4.1: grant only to a candidate whose log is at least as up to date as
  // ours, so every elected leader holds every committed entry.
  const bool log_ok = req.last_log_term > last_term() ||
                      (req.last_log_term == last_term() && req.last_log_index >= last_index());
  const bool granted = free_to_vote && log_ok;
  if (granted) {
    voted_for_ = m.from;
    // Granting a vote means a candidate is about to lead; do not race it.
    reset_election_timer(now_ms);
  }
  send(m.from, VoteResponse{granted});
}

void Node::handle_vote_response(const Message& m, const VoteResponse& resp,
                                std::int64_t now_ms) {
  if (role_ != Role::candidate || !resp.granted) return;
  votes_.insert(m.from);
  if (votes_.size() >= quorum()) become_leader(now_ms);
}

}  // namespace faultline::raft
