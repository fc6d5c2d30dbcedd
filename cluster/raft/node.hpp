// faultline::raft::Node — one member's Raft state machine.
//
// Pure: no threads, sockets, files or clocks of its own. Time comes in as a
// monotonic millisecond count on every call; messages come in through step();
// everything the node wants done (persist, send, apply) comes out of
// take_ready(). The driver carries out a Ready in the order documented on
// faultline::raft::Ready.
//
// Thread-safety: none. A Node is a plain object; the driver serialises every
// call (one mutex around it, or a single simulator thread).
//
// Contract violations (a config without its own id, a log that is not
// contiguous from index 1) throw std::invalid_argument from the constructor;
// call validate() first to get the reason as a value instead.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "cluster/raft/types.hpp"

namespace faultline::raft {

// Why `config` and `log` cannot start a Node, or nullopt if they can.
std::optional<std::string> validate(const Config& config, const std::vector<Entry>& log);

class Node {
 public:
  // `log` is the recovered durable log (indexes 1..n, contiguous). Entries up
  // to hard.commit are re-delivered in the first Ready's `committed` so the
  // state machine can be rebuilt. A hard.commit beyond the log (the hard state
  // was saved but the crash came before the log append) is clamped to the log.
  Node(Config config, HardState hard, std::vector<Entry> log, std::int64_t now_ms);

  // Time moved to now_ms: fires the election timer (followers, candidates) or
  // the heartbeat timer and the quorum check (leaders).
  void tick(std::int64_t now_ms);
  // Handles one message addressed to this node. Messages for another node or
  // from a non-member are ignored, so a driver may deliver blindly.
  void step(const Message& m, std::int64_t now_ms);
  // Leader only: appends a new entry in the current term and starts
  // replicating it. nullopt if this node is not the leader. The entry is
  // committed when it appears in a later Ready's `committed`.
  std::optional<Entry> propose(std::string command, std::int64_t now_ms);

  // Fires the election timer now: a follower or candidate starts an election
  // for the next term. No-op on a leader. For tests, the simulator, and
  // handing leadership to a chosen member.
  void start_election(std::int64_t now_ms);

  // Drains pending work; the next call returns only what happened since.
  Ready take_ready();
  bool has_ready() const;

  Role role() const { return role_; }
  Term term() const { return term_; }
  std::optional<NodeId> voted_for() const { return voted_for_; }
  std::optional<NodeId> leader() const { return leader_; }
  NodeId id() const { return config_.id; }
  const Config& config() const { return config_; }
  Index commit_index() const { return commit_; }
  Index last_index() const { return static_cast<Index>(log_.size()); }
  Term term_at(Index index) const;  // 0 if there is no such entry
  // The in-memory log, indexes 1..last_index(); it may be ahead of what the
  // driver has made durable until the pending Ready is carried out.
  const std::vector<Entry>& log() const { return log_; }
  // now_ms at which the node entered its current (role, term).
  std::int64_t role_since_ms() const { return role_since_ms_; }

 private:
  struct Progress {
    Index next = 1;   // next entry to send
    Index match = 0;  // highest entry known replicated
    std::int64_t last_heard_ms = 0;
  };

  // node.cpp: timers, role changes, Ready bookkeeping.
  void reset_election_timer(std::int64_t now_ms);
  void become_follower(Term term, std::optional<NodeId> leader, std::int64_t now_ms);
  void become_leader(std::int64_t now_ms);
  void send(NodeId to, MessageBody body);
  std::size_t quorum() const { return config_.members.size() / 2 + 1; }
  Term last_term() const { return term_at(last_index()); }
  void truncate_log(Index from);
  void append_log(Entry entry);
  void check_quorum(std::int64_t now_ms);

  // node_election.cpp
  void campaign(std::int64_t now_ms);
  void handle_vote_request(const Message& m, const VoteRequest& req, std::int64_t now_ms);
  void handle_vote_response(const Message& m, const VoteResponse& resp, std::int64_t now_ms);

  // node_replication.cpp
  void send_append(NodeId to);
  void broadcast_append();
  void handle_append_request(const Message& m, const AppendRequest& req, std::int64_t now_ms);
  void handle_append_response(const Message& m, const AppendResponse& resp, std::int64_t now_ms);
  void maybe_advance_commit();

  // Constant after construction.
  Config config_;

  // Raft state.
  Term term_ = 0;
  std::optional<NodeId> voted_for_;
  Index commit_ = 0;
  std::vector<Entry> log_;  // log_[i - 1] has index i
  Role role_ = Role::follower;
  std::optional<NodeId> leader_;
  std::int64_t role_since_ms_ = 0;

  // Timers and randomness.
  std::mt19937_64 rng_;
  std::int64_t election_deadline_ms_ = 0;
  std::int64_t heartbeat_deadline_ms_ = 0;

  // Candidate and leader bookkeeping.
  std::set<NodeId> votes_;
  std::map<NodeId, Progress> progress_;

  // Work not yet handed out by take_ready().
  HardState emitted_hard_;  // the last hard state handed out (or recovered)
  std::optional<Index> pending_truncate_from_;
  std::vector<Entry> pending_append_;
  std::vector<Message> pending_messages_;
  Index applied_ = 0;  // committed entries handed out so far
};

}  // namespace faultline::raft
