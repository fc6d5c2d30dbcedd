// Node: leader election (RequestVote, §5.2 and §5.4.1 of the Raft paper) and
// the pre-vote round in front of it (Raft thesis 9.6).
#include <algorithm>

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

void Node::peer_gone(NodeId peer, std::int64_t now_ms) {
  // Without pre-vote a campaign raises the term at once, and a wrong report
  // would depose a live leader: then the timer alone decides.
  if (!config_.pre_vote || role_ == Role::leader || !leader_ || *leader_ != peer) return;
  leader_.reset();
  leader_contact_ms_.reset();
  // Every survivor hears of the death at the same moment. Each takes the
  // turn of its rank among them (by id), half a heartbeat each, and a moment
  // drawn within it: the first one's pre-vote and vote reach the others
  // before their own turn, so two campaigns do not split the vote (at their
  // own next ticks instead, two survivors with close tick phases did, in 4
  // trials of 40). Off the tick grid with ticks too: this is no timeout.
  std::int64_t rank = 0;
  for (NodeId member : config_.members) {
    if (member != peer && member < config_.id) ++rank;
  }
  const std::int64_t turn_ms = std::max<std::int64_t>(1, config_.heartbeat_ms / 2);
  std::uniform_int_distribution<std::int64_t> within(1, turn_ms);
  const std::int64_t at = now_ms + rank * turn_ms + within(rng_);
  election_deadline_ms_ = std::min(election_deadline_ms_, at);
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
  const std::int64_t lease_end =
      leader_ && leader_contact_ms_ ? election_minimum_end(*leader_contact_ms_) : now_ms;
  const bool leader_alive = role_ == Role::leader || now_ms < lease_end;
  const bool could_win = m.term > term_ && log_up_to_date(req.last_log_index, req.last_log_term);
  const bool granted = could_win && !leader_alive;
  VoteResponse answer{granted, true};
  // Refused for the lease alone (a leader refuses without end): say when it
  // ends. Without a new contact by then this member grants the same request.
  if (could_win && role_ != Role::leader && leader_alive) {
    answer.lease_left_ms = static_cast<std::uint64_t>(lease_end - now_ms);
  }
  send(m.from, answer, granted ? m.term : term_);
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
    if (pre_candidate_ && !resp.granted && resp.lease_left_ms > 0) {
      // The voter's lease on a leader we no longer hear ends soon: ask again
      // just after it (1 ms later, so the new request cannot arrive first)
      // instead of a whole drawn timeout later. A timer that fires just
      // before its peers' leases end then costs that remainder, not a
      // second timeout (docs/reference-cluster.md, "Pre-vote").
      const std::int64_t again =
          timer_moment_at_or_after(now_ms + static_cast<std::int64_t>(resp.lease_left_ms) + 1);
      election_deadline_ms_ = std::min(election_deadline_ms_, again);
      return;
    }
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
