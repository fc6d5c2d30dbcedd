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

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cluster/raft/types.hpp"

namespace faultline::raft {

// Why `config` and `log` cannot start a Node, or nullopt if they can.
std::optional<std::string> validate(const Config& config, const std::vector<Entry>& log);
// The same for a log that continues a snapshot: indexes base + 1 .. n.
std::optional<std::string> validate(const Config& config, const Snapshot& snapshot,
                                    const std::vector<Entry>& log);

class Node {
 public:
  // `log` is the recovered durable log (indexes 1..n, contiguous). Entries up
  // to hard.commit are re-delivered in the first Ready's `committed` so the
  // state machine can be rebuilt. A hard.commit beyond the log (the hard state
  // was saved but the crash came before the log append) is clamped to the log.
  Node(Config config, HardState hard, std::vector<Entry> log, std::int64_t now_ms);
  // Recovery from a snapshot plus the log suffix after it (indexes
  // snapshot.index + 1 .. n). The driver restores its state machine from
  // snapshot.data itself; only entries after snapshot.index are re-delivered.
  Node(Config config, HardState hard, Snapshot snapshot, std::vector<Entry> log,
       std::int64_t now_ms);

  // Time moved to now_ms: fires the election timer (followers, candidates) or
  // the heartbeat timer and the quorum check (leaders).
  void tick(std::int64_t now_ms);
  // Handles one message addressed to this node. Messages for another node or
  // from a non-member are ignored, so a driver may deliver blindly.
  void step(const Message& m, std::int64_t now_ms);
  // Leader only: appends a new entry in the current term and starts
  // replicating it. nullopt if this node is not the leader, or is handing
  // leadership over (transfer_leadership). The entry is
  // committed when it appears in a later Ready's `committed`.
  std::optional<Entry> propose(std::string command, std::int64_t now_ms);

  // Fires the election timer now: a follower or candidate starts an election
  // for the next term (with Config::pre_vote, first a pre-vote round that
  // raises the term only once a majority would vote). No-op on a leader. For tests, the simulator, and
  // handing leadership to a chosen member.
  void start_election(std::int64_t now_ms);

  // The transport found `peer`'s process gone (its stream to this node ended
  // and its Raft port refuses connections). If `peer` is the leader this
  // node follows, the node stops counting on that leader (it grants
  // pre-votes at once, no lease left) and campaigns in the turn of its rank
  // among the other members (by id; half a heartbeat each, at a moment drawn
  // in it) instead of after its election timeout: the turns keep two
  // survivors from campaigning together. A
  // campaign still needs a majority, so a wrong report costs a pre-vote
  // round, never safety. No-op otherwise, and without Config::pre_vote (a
  // campaign would raise the term at once and could depose a live leader).
  void peer_gone(NodeId peer, std::int64_t now_ms);

  // Leadership transfer (Raft thesis 3.10). Leader only: stops accepting
  // proposals, brings `to` up to date, then sends it TimeoutNow so it
  // campaigns at once (skipping pre-vote). The transfer is abandoned, and
  // proposals accepted again, if `to` has not taken over within
  // election_timeout_max_ms. False if this node is not the leader or `to` is
  // not another member; a second call replaces the first.
  bool transfer_leadership(NodeId to, std::int64_t now_ms);
  // The member leadership is being handed to, while a transfer is under way.
  std::optional<NodeId> transfer_target() const { return transfer_target_; }

  // Linearizable read (ReadIndex, Raft thesis 6.4). Leader only: records the
  // commit index as the read's index and starts a heartbeat round; once a
  // majority has acknowledged that round, {request_id, index} comes out in a
  // later Ready's `reads`, and the driver serves the read when it has applied
  // through index. Returns the recorded index, or nullopt (retry later, or ask
  // the leader) if this node is not the leader or has not yet committed an
  // entry of its term. A node that loses leadership drops its unconfirmed
  // reads: they never come out, so the driver must time them out.
  std::optional<std::uint64_t> read_index(std::uint64_t request_id, std::int64_t now_ms);

  // Log compaction. The driver has applied every entry through `upto` (it was
  // handed out in a Ready's `committed`) and serialised its state machine as
  // `snapshot_data`; the node drops entries 1..upto, keeps (upto, its term) as
  // the log's base, and sends the snapshot to followers that need entries
  // before the base. False (nothing changes) if upto is not above the current
  // base or has not been handed out as committed. The driver persists the
  // snapshot itself (Storage::save_snapshot); no Ready carries it.
  bool compact(Index upto, std::string snapshot_data);

  // Drains pending work; the next call returns only what happened since.
  Ready take_ready();
  // The same into `out` (every field overwritten). A driver that keeps one
  // Ready for its whole life and passes it back each time lends its vectors'
  // capacity to the node, so steady-state Readies allocate nothing.
  void take_ready(Ready& out);
  bool has_ready() const;
  // Buffer lending, as with take_ready(Ready&): a driver done with a
  // delivered AppendRequest may hand its `entries` vector back to the node
  // that sent it, which reuses the capacity for a later append instead of
  // allocating. Optional; the node keeps a bounded number.
  void recycle(std::vector<Entry>&& buffer);
  // The earliest local time (ms) at which tick() can change anything, given
  // no step() or other call before it: the election deadline, or on a leader
  // the heartbeat, leadership-transfer and quorum-check deadlines. A driver
  // may skip tick() until then; ticking earlier is harmless.
  std::int64_t next_tick_ms() const;

  Role role() const { return role_; }
  Term term() const { return term_; }
  std::optional<NodeId> voted_for() const { return voted_for_; }
  std::optional<NodeId> leader() const { return leader_; }
  // When this follower last heard from its leader (its own clock); none
  // before the first contact.
  std::optional<std::int64_t> leader_contact_ms() const { return leader_contact_ms_; }
  NodeId id() const { return config_.id; }
  const Config& config() const { return config_; }
  Index commit_index() const { return commit_; }
  // Whether the commit index is at an entry of the current term (a new
  // leader's no-op, at the latest): only then does this node know every entry
  // committed before its term, which ReadIndex and a new leader's reads need.
  bool committed_in_current_term() const { return term_at(commit_) == term_; }
  Index last_index() const { return snapshot_.index + static_cast<Index>(log_.size()); }
  // The snapshot term at snapshot_index(); 0 if there is no such entry or it
  // was compacted away.
  Term term_at(Index index) const {  // inline: the replication paths call it per entry
    if (index == 0 || index > last_index() || index < snapshot_.index) return 0;
    if (index == snapshot_.index) return snapshot_.term;
    return log_[index - snapshot_.index - 1].term;
  }
  // The log's base: entries up to here live only in the snapshot (0: none).
  Index snapshot_index() const { return snapshot_.index; }
  Term snapshot_term() const { return snapshot_.term; }
  const Snapshot& snapshot() const { return snapshot_; }
  // The in-memory log, indexes snapshot_index() + 1 .. last_index() (1..n
  // without compaction); it may be ahead of what the driver has made durable
  // until the pending Ready is carried out.
  const std::vector<Entry>& log() const { return log_; }
  // Leader only: the followers whose acknowledged match reaches `index` in
  // this term (a driver sends an acknowledgement only once the entries are
  // durable, as Ready requires); 0 on any other role. Read-only: it feeds
  // a driver's replication-mode acknowledgements, never the commit rule.
  std::size_t followers_matching(Index index) const {
    if (role_ != Role::leader) return 0;
    std::size_t n = 0;
    for (const auto& [member, progress] : progress_) n += progress.match >= index ? 1 : 0;
    return n;
  }
  // now_ms at which the node entered its current (role, term).
  std::int64_t role_since_ms() const { return role_since_ms_; }
  // A follower collecting pre-votes (Config::pre_vote); its role stays follower
  // and its term unchanged until a majority grants.
  bool pre_candidate() const { return pre_candidate_; }

 private:
  struct Progress {
    Index next = 1;   // next entry to send
    Index match = 0;  // highest entry known replicated
    std::int64_t last_heard_ms = 0;
    // Probing (false): one append at a time until a success shows where the
    // logs match. Replicating (true): batches go out pipelined, `next` moving
    // ahead of what is acknowledged.
    bool replicating = false;
    std::uint64_t read_ack = 0;  // highest ReadIndex round acknowledged
  };
  // The followers' progress, sorted by id: a handful of members, so a flat
  // vector beats a tree on every walk (commit, reads, quorum checks).
  class ProgressMap {
   public:
    using Slot = std::pair<NodeId, Progress>;
    Progress& operator[](NodeId id) { return find(id)->second; }  // id must be a follower
    std::size_t count(NodeId id) const { return find(id) != slots_.end() ? 1 : 0; }
    void add(NodeId id) {
      auto it = std::lower_bound(slots_.begin(), slots_.end(), id,
                                 [](const Slot& s, NodeId key) { return s.first < key; });
      slots_.insert(it, Slot{id, Progress{}});
    }
    std::size_t size() const { return slots_.size(); }
    std::vector<Slot>::iterator begin() { return slots_.begin(); }
    std::vector<Slot>::iterator end() { return slots_.end(); }
    std::vector<Slot>::const_iterator begin() const { return slots_.begin(); }
    std::vector<Slot>::const_iterator end() const { return slots_.end(); }

   private:
    std::vector<Slot>::iterator find(NodeId id) {
      return std::find_if(slots_.begin(), slots_.end(), [id](const Slot& s) { return s.first == id; });
    }
    std::vector<Slot>::const_iterator find(NodeId id) const {
      return std::find_if(slots_.begin(), slots_.end(), [id](const Slot& s) { return s.first == id; });
    }
    std::vector<Slot> slots_;
  };
  struct PendingRead {
    ReadState read;
    std::uint64_t seq = 0;  // the heartbeat round that confirms it
  };

  // node.cpp: timers, role changes, Ready bookkeeping.
  void reset_election_timer(std::int64_t now_ms);
  bool ticks() const { return config_.election_timer == ElectionTimer::ticks; }
  // The tick count at now_ms (ticks timer): whole heartbeats since tick_origin_ms_.
  std::int64_t ticks_at(std::int64_t now_ms) const;
  // When the drawn timeout runs out after a contact at contact_ms, counted
  // as config_.election_timer says (types.hpp).
  std::int64_t election_deadline_after(std::int64_t contact_ms) const;
  // When the election timeout minimum after since_ms has passed, counted the
  // same way (on this node's tick grid with ticks): the pre-vote lease ends.
  std::int64_t election_minimum_end(std::int64_t since_ms) const;
  // The first moment at or after at_ms when this node's timer can fire: at_ms
  // itself on the wall clock, its next tick boundary with ticks.
  std::int64_t timer_moment_at_or_after(std::int64_t at_ms) const;
  void become_follower(Term term, std::optional<NodeId> leader, std::int64_t now_ms);
  void become_leader(std::int64_t now_ms);
  void send(NodeId to, MessageBody body);
  void send(NodeId to, MessageBody body, Term term);  // pre-votes name a future term
  std::size_t quorum() const { return config_.members.size() / 2 + 1; }
  Term last_term() const { return term_at(last_index()); }
  void truncate_log(Index from);
  void append_log(Entry entry);
  void check_quorum(std::int64_t now_ms);
  // Whether term, vote or commit index moved since the last Ready handed them out.
  bool hard_state_changed() const {
    return term_ != emitted_hard_.term || voted_for_ != emitted_hard_.voted_for || commit_ != emitted_hard_.commit;
  }

  // node_election.cpp
  void election_timeout(std::int64_t now_ms);  // pre-vote first if configured
  void pre_campaign(std::int64_t now_ms);
  void campaign(std::int64_t now_ms);
  bool log_up_to_date(Index last_log_index, Term last_log_term) const;
  void handle_pre_vote_request(const Message& m, const VoteRequest& req, std::int64_t now_ms);
  void handle_vote_request(const Message& m, const VoteRequest& req, std::int64_t now_ms);
  void handle_vote_response(const Message& m, const VoteResponse& resp, std::int64_t now_ms);

  // node_replication.cpp
  void send_append(NodeId to);
  void send_batch(NodeId to, Progress& p, bool with_entries);
  void broadcast_append();
  // A message from the leader of the current term (an append or a snapshot):
  // follow it and restart the election timer. False on a leader, which must
  // ignore it (two leaders in one term cannot exist).
  bool follow_leader(NodeId from, std::int64_t now_ms);
  void handle_append_request(const Message& m, const AppendRequest& req, std::int64_t now_ms);
  void handle_append_response(const Message& m, const AppendResponse& resp, std::int64_t now_ms);
  void maybe_advance_commit();
  const Entry& entry_at(Index index) const { return log_[index - snapshot_.index - 1]; }

  // node_snapshot.cpp
  void send_snapshot(NodeId to, Progress& p);
  void handle_install_snapshot(const Message& m, const InstallSnapshot& req, std::int64_t now_ms);

  // node_transfer.cpp
  void maybe_send_timeout_now(NodeId to);
  void handle_timeout_now(const Message& m, std::int64_t now_ms);
  void check_transfer(std::int64_t now_ms);

  // node_read.cpp
  void confirm_reads();
  void drop_reads();

  // Constant after construction.
  Config config_;

  // Raft state.
  Term term_ = 0;
  std::optional<NodeId> voted_for_;
  Index commit_ = 0;
  Snapshot snapshot_;       // the log's base (index 0: none)
  std::vector<Entry> log_;  // log_[i - snapshot_.index - 1] has index i
  Role role_ = Role::follower;
  std::optional<NodeId> leader_;
  std::int64_t role_since_ms_ = 0;

  // Timers and randomness.
  std::mt19937_64 rng_;
  std::int64_t election_timeout_ms_ = 0;  // drawn by reset_election_timer (ticks: k * heartbeat)
  std::int64_t tick_origin_ms_ = 0;       // ticks timer: this node's tick phase
  std::int64_t election_deadline_ms_ = 0;
  std::int64_t heartbeat_deadline_ms_ = 0;

  // Candidate and leader bookkeeping.
  std::set<NodeId> votes_;
  bool pre_candidate_ = false;
  std::set<NodeId> pre_votes_;
  // When this node last accepted an append from the leader of its term; a
  // pre-vote is refused while that is recent.
  std::optional<std::int64_t> leader_contact_ms_;
  std::optional<NodeId> transfer_target_;
  std::int64_t transfer_deadline_ms_ = 0;
  bool timeout_now_sent_ = false;
  std::uint64_t read_seq_ = 0;  // ReadIndex rounds started in this leadership
  std::vector<PendingRead> pending_reads_;
  std::vector<ReadState> ready_reads_;
  ProgressMap progress_;

  // Work not yet handed out by take_ready().
  HardState emitted_hard_;  // the last hard state handed out (or recovered)
  std::optional<Index> pending_truncate_from_;
  static constexpr std::size_t kMaxSpareEntryBuffers = 64;
  std::vector<std::vector<Entry>> spare_entries_;  // recycle(): capacity for send_batch
  Index unsaved_from_ = 1;  // log entries from here on are not handed out for appending yet
  std::vector<Message> pending_messages_;
  std::optional<Snapshot> pending_snapshot_;  // installed from a leader, not yet handed out
  Index applied_ = 0;  // committed entries handed out so far
};

}  // namespace faultline::raft
