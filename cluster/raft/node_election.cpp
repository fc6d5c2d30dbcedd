// Node: leader election (RequestVote, §5.2 and §5.4.1 of the Raft paper) and
// the pre-vote round in front of it (Raft thesis 9.6).
#include "cluster/raft/node.hpp"

namespace faultline::raft {

void Node::start_election(std::int64_t now_ms) {
  if (role_ != Role::leader) election_timeout(now_ms);
}

void Node::election_timeout(std::int64_t now_ms) {
  if (config_.pre_vote) {
    pre_campaign(now_ms);
  } else {
    campaign(now_ms);
  }
}

bool Node::log_up_to_date(Index last_log_index, Term last_log_term) const {
  if (config_.planted_bug == PlantedBug::vote_without_log_check) return true;
  return last_log_term > last_term() ||
         (last_log_term == last_term() && last_log_index >= last_index());
}

void Node::pre_campaign(std::int64_t now_ms) {
  // Term and vote stay as they are: a pre-vote that fails leaves no trace, so
  // a member that cannot win (cut off, or with a stale log) disrupts nobody.
  pre_candidate_ = true;
  pre_votes_ = {config_.id};
  leader_.reset();
  reset_election_timer(now_ms);
  if (pre_votes_.size() >= quorum()) {
    campaign(now_ms);  // single-member cluster
    return;
  }
  for (const auto& [member, progress] : progress_) {
    send(member, VoteRequest{last_index(), last_term(), true}, term_ + 1);
  }
}

void Node::campaign(std::int64_t now_ms) {
  pre_candidate_ = false;
  pre_votes_.clear();
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
    send(member, VoteRequest{last_index(), last_term(), false});
  }
}

void Node::handle_pre_vote_request(const Message& m, const VoteRequest& req,
                                   std::int64_t now_ms) {
  // Refuse while a leader is known to be alive: that is what keeps a rejoining
  // member from forcing a new term. A leader is alive to itself.
  const bool leader_alive =
      role_ == Role::leader ||
      (leader_ && leader_contact_ms_ && within_election_minimum(*leader_contact_ms_, now_ms));
  const bool granted =
      m.term > term_ && !leader_alive && log_up_to_date(req.last_log_index, req.last_log_term);
  send(m.from, VoteResponse{granted, true}, granted ? m.term : term_);
}

void Node::handle_vote_request(const Message& m, const VoteRequest& req, std::int64_t now_ms) {
  // m.term == term_ here. A leader or candidate of this term has voted for itself.
  const bool free_to_vote = !voted_for_ || *voted_for_ == m.from;
  // §5.4.1: grant only to a candidate whose log is at least as up to date as
  // ours, so every elected leader holds every committed entry.
  const bool granted = free_to_vote && log_up_to_date(req.last_log_index, req.last_log_term);
  if (granted) {
    voted_for_ = m.from;
    // Granting a vote means a candidate is about to lead; do not race it.
    reset_election_timer(now_ms);
  }
  send(m.from, VoteResponse{granted, false});
}

void Node::handle_vote_response(const Message& m, const VoteResponse& resp,
                                std::int64_t now_ms) {
  if (resp.pre_vote) {
    // Only grants for the round in progress count; m.term names that round.
    if (!pre_candidate_ || !resp.granted || m.term != term_ + 1) return;
    pre_votes_.insert(m.from);
    if (pre_votes_.size() >= quorum()) campaign(now_ms);
    return;
  }
  if (role_ != Role::candidate || !resp.granted) return;
  votes_.insert(m.from);
  if (votes_.size() >= quorum()) become_leader(now_ms);
}

}  // namespace faultline::raft
