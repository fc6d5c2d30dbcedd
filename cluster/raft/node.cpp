// Node: construction, timers, role transitions and Ready bookkeeping.
// Elections live in node_election.cpp, replication in node_replication.cpp,
// leadership transfer in node_transfer.cpp, ReadIndex in node_read.cpp.
#include "cluster/raft/node.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <utility>

namespace faultline::raft {

std::string_view to_string(Role role) {
  switch (role) {
    case Role::follower:
      return "follower";
    case Role::candidate:
      return "candidate";
    case Role::leader:
      return "leader";
  }
  return "unknown";
}

std::string_view to_string(ElectionTimer timer) {
  return timer == ElectionTimer::ticks ? "ticks" : "wall";
}

std::optional<std::string> validate(const Config& config, const std::vector<Entry>& log) {
  return validate(config, Snapshot{}, log);
}

std::optional<std::string> validate(const Config& config, const Snapshot& snapshot,
                                    const std::vector<Entry>& log) {
  std::set<NodeId> seen;
  for (NodeId member : config.members) {
    if (!seen.insert(member).second) {
      return "config.members lists member " + std::to_string(member) + " twice";
    }
  }
  if (seen.count(config.id) == 0) {
    return "config.members does not contain this node's id " + std::to_string(config.id);
  }
  if (config.election_timeout_min_ms <= 0 ||
      config.election_timeout_max_ms < config.election_timeout_min_ms) {
    return "election timeouts must satisfy 0 < min <= max";
  }
  if (config.heartbeat_ms <= 0) return "heartbeat_ms must be positive";
  if (config.election_timer == ElectionTimer::ticks &&
      !ticks_timing_ok(config.election_timeout_min_ms, config.election_timeout_max_ms, config.heartbeat_ms)) {
    return "a ticks election timer draws from [min, max) heartbeats: election timeouts must be multiples of "
           "heartbeat_ms with max >= min + heartbeat_ms";
  }
  if (config.max_entries_per_append == 0) return "max_entries_per_append must be positive";
  if (config.max_inflight_appends == 0) return "max_inflight_appends must be positive";
  for (std::size_t i = 0; i < log.size(); ++i) {
    const Index expected = snapshot.index + i + 1;
    if (log[i].index != expected) {
      return "log entry at position " + std::to_string(i) + " has index " +
             std::to_string(log[i].index) + ", expected " + std::to_string(expected);
    }
    const Term previous = i > 0 ? log[i - 1].term : snapshot.term;
    if (log[i].term < previous) {
      return "log entry " + std::to_string(expected) + " has a lower term than its predecessor";
    }
  }
  return std::nullopt;
}

namespace {
// splitmix64 finaliser: spreads (seed, id) so neighbouring ids draw unrelated timeouts.
std::uint64_t mix_seed(std::uint64_t seed, NodeId id) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (static_cast<std::uint64_t>(id) + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
}  // namespace

Node::Node(Config config, HardState hard, std::vector<Entry> log, std::int64_t now_ms)
    : Node(std::move(config), hard, Snapshot{}, std::move(log), now_ms) {}

Node::Node(Config config, HardState hard, Snapshot snapshot, std::vector<Entry> log,
           std::int64_t now_ms)
    : config_(std::move(config)), rng_(mix_seed(config_.seed, config_.id)) {
  if (auto error = validate(config_, snapshot, log)) throw std::invalid_argument(*error);
  snapshot_ = std::move(snapshot);
  log_ = std::move(log);
  term_ = hard.term;
  voted_for_ = hard.voted_for;
  // The hard state may be ahead of the log if the crash came between saving
  // it and appending; what is not in the log cannot be applied. A snapshot is
  // committed by construction, and the driver restored it already.
  commit_ = std::clamp(hard.commit, snapshot_.index, last_index());
  applied_ = snapshot_.index;
  emitted_hard_ = hard;
  unsaved_from_ = last_index() + 1;  // the recovered log is durable
  role_since_ms_ = now_ms;
  for (NodeId member : config_.members) {
    if (member != config_.id) progress_.add(member);
  }
  if (ticks()) {
    // This node's tick phase, as a process's ticker starts when it does.
    std::uniform_int_distribution<std::int64_t> phase(0, config_.heartbeat_ms - 1);
    tick_origin_ms_ = now_ms - phase(rng_);
  }
  reset_election_timer(now_ms);
}

void Node::reset_election_timer(std::int64_t now_ms) {
  if (ticks()) {
    const std::int64_t hb = config_.heartbeat_ms;
    std::uniform_int_distribution<std::int64_t> dist(config_.election_timeout_min_ms / hb,
                                                     config_.election_timeout_max_ms / hb - 1);
    election_timeout_ms_ = dist(rng_) * hb;
  } else {
    std::uniform_int_distribution<std::int64_t> dist(config_.election_timeout_min_ms,
                                                     config_.election_timeout_max_ms);
    election_timeout_ms_ = dist(rng_);
  }
  election_deadline_ms_ = election_deadline_after(now_ms);
}

std::int64_t Node::ticks_at(std::int64_t now_ms) const {
  // Floor division: a time before the origin belongs to a negative tick.
  const std::int64_t since = now_ms - tick_origin_ms_;
  const std::int64_t hb = config_.heartbeat_ms;
  return since >= 0 ? since / hb : -((-since + hb - 1) / hb);
}

std::int64_t Node::election_deadline_after(std::int64_t contact_ms) const {
  if (!ticks()) return contact_ms + election_timeout_ms_;
  // The tick at which k = election_timeout_ms_ / hb ticks have passed.
  return tick_origin_ms_ + ticks_at(contact_ms) * config_.heartbeat_ms + election_timeout_ms_;
}

std::int64_t Node::election_minimum_end(std::int64_t since_ms) const {
  if (!ticks()) return since_ms + config_.election_timeout_min_ms;
  // ticks_at(now) - ticks_at(since) < min/hb holds exactly before this tick.
  return tick_origin_ms_ + ticks_at(since_ms) * config_.heartbeat_ms + config_.election_timeout_min_ms;
}

std::int64_t Node::timer_moment_at_or_after(std::int64_t at_ms) const {
  if (!ticks()) return at_ms;
  return tick_origin_ms_ + (ticks_at(at_ms - 1) + 1) * config_.heartbeat_ms;
}

void Node::tick(std::int64_t now_ms) {
  if (role_ == Role::leader) {
    check_quorum(now_ms);
    if (role_ != Role::leader) return;
    check_transfer(now_ms);
    if (now_ms >= heartbeat_deadline_ms_) {
      broadcast_append();
      heartbeat_deadline_ms_ = now_ms + config_.heartbeat_ms;
    }
    return;
  }
  if (now_ms >= election_deadline_ms_) election_timeout(now_ms);
}

void Node::check_quorum(std::int64_t now_ms) {
  if (!config_.check_quorum) return;
  const std::int64_t window = config_.election_timeout_max_ms;
  if (now_ms - role_since_ms_ < window) return;  // give a fresh leader one window
  std::size_t heard = 1;                         // itself
  for (const auto& [member, progress] : progress_) {
    if (now_ms - progress.last_heard_ms < window) ++heard;
  }
  if (heard < quorum()) become_follower(term_, std::nullopt, now_ms);
}

void Node::become_follower(Term term, std::optional<NodeId> leader, std::int64_t now_ms) {
  const bool changed = role_ != Role::follower || term != term_;
  if (term != term_) {
    term_ = term;
    voted_for_.reset();
  }
  if (role_ == Role::leader) {
    drop_reads();
    transfer_target_.reset();
    timeout_now_sent_ = false;
    // A deposed leader's election deadline is long past; without a fresh one
    // it would campaign on the very next tick and disrupt the new leader.
    reset_election_timer(now_ms);
  }
  role_ = Role::follower;
  leader_ = leader;
  votes_.clear();
  pre_candidate_ = false;
  pre_votes_.clear();
  if (changed) role_since_ms_ = now_ms;
}

void Node::become_leader(std::int64_t now_ms) {
  role_ = Role::leader;
  leader_ = config_.id;
  role_since_ms_ = now_ms;
  votes_.clear();
  for (auto& [member, progress] : progress_) {
    progress = Progress{last_index() + 1, 0, now_ms, false, 0};
  }
  // The no-op lets this term commit, and with it every earlier-term entry
  // before it (entries of older terms are never committed by counting).
  append_log(Entry{term_, last_index() + 1, ""});
  maybe_advance_commit();
  broadcast_append();
  heartbeat_deadline_ms_ = now_ms + config_.heartbeat_ms;
}

void Node::send(NodeId to, MessageBody body) { send(to, std::move(body), term_); }

void Node::send(NodeId to, MessageBody body, Term term) {
  // Two successful answers to the same leader in the same term, with nothing
  // sent in between, say no more than the later one with the higher match
  // and read round (both facts hold, and the leader keeps only the maxima):
  // a driver that steps several appends per Ready sends one acknowledgement.
  if (!pending_messages_.empty()) {
    Message& last = pending_messages_.back();
    auto* prev = std::get_if<AppendResponse>(&last.body);
    const auto* next = std::get_if<AppendResponse>(&body);
    if (prev != nullptr && next != nullptr && prev->success && next->success && last.to == to &&
        last.term == term) {
      prev->match_index = std::max(prev->match_index, next->match_index);
      prev->read_seq = std::max(prev->read_seq, next->read_seq);
      return;
    }
  }
  pending_messages_.push_back(Message{config_.id, to, term, std::move(body)});
}

void Node::truncate_log(Index from) {
  // The base is committed; nothing at or below it is ever truncated.
  if (from <= snapshot_.index || from > last_index()) return;
  log_.resize(from - snapshot_.index - 1);
  // Entries not yet handed out at or past `from` are superseded, and what is
  // appended from `from` on is new; the driver truncates its durable copy
  // first, then appends what is left pending.
  unsaved_from_ = std::min(unsaved_from_, from);
  pending_truncate_from_ = pending_truncate_from_ ? std::min(*pending_truncate_from_, from) : from;
}

void Node::append_log(Entry entry) {
  // One copy: the next Ready copies the unsaved tail out of log_.
  log_.push_back(std::move(entry));
}

void Node::step(const Message& m, std::int64_t now_ms) {
  if (m.to != config_.id || m.from == config_.id) return;
  if (progress_.count(m.from) == 0) return;  // not a member

  const auto* vote_request = std::get_if<VoteRequest>(&m.body);
  const auto* vote_response = std::get_if<VoteResponse>(&m.body);
  // A pre-vote request and a granted pre-vote carry a term nobody holds yet;
  // adopting it would be exactly the disruption pre-vote exists to prevent.
  const bool future_term = (vote_request != nullptr && vote_request->pre_vote) ||
                           (vote_response != nullptr && vote_response->pre_vote &&
                            vote_response->granted);
  if (m.term > term_ && !future_term) {
    // Only a leader's append tells us who leads; a vote request does not.
    const bool from_leader = std::holds_alternative<AppendRequest>(m.body) ||
                             std::holds_alternative<InstallSnapshot>(m.body);
    become_follower(m.term, from_leader ? std::optional<NodeId>(m.from) : std::nullopt, now_ms);
  }
  if (m.term < term_) {
    // Answer stale requests so an old leader or candidate learns the new term.
    if (vote_request != nullptr) {
      send(m.from, VoteResponse{false, vote_request->pre_vote});
    } else if (std::holds_alternative<AppendRequest>(m.body) ||
               std::holds_alternative<InstallSnapshot>(m.body)) {
      send(m.from, AppendResponse{false, 0, 0});
    }
    return;
  }
  if (role_ == Role::leader) progress_[m.from].last_heard_ms = now_ms;

  std::visit(
      [&](const auto& body) {
        using T = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<T, VoteRequest>) {
          if (body.pre_vote) {
            handle_pre_vote_request(m, body, now_ms);
          } else {
            handle_vote_request(m, body, now_ms);
          }
        } else if constexpr (std::is_same_v<T, VoteResponse>) {
          handle_vote_response(m, body, now_ms);
        } else if constexpr (std::is_same_v<T, AppendRequest>) {
          handle_append_request(m, body, now_ms);
        } else if constexpr (std::is_same_v<T, AppendResponse>) {
          handle_append_response(m, body, now_ms);
        } else if constexpr (std::is_same_v<T, InstallSnapshot>) {
          handle_install_snapshot(m, body, now_ms);
        } else {
          handle_timeout_now(m, now_ms);
        }
      },
      m.body);
}

bool Node::has_ready() const {
  // The cheap and most often true tests first.
  return !pending_messages_.empty() || unsaved_from_ <= last_index() || applied_ < commit_ ||
         hard_state_changed() || pending_snapshot_ || pending_truncate_from_ || !ready_reads_.empty();
}

Ready Node::take_ready() {
  Ready ready;
  take_ready(ready);
  return ready;
}

void Node::take_ready(Ready& out) {
  // Fields are tested before they are moved: most Readies carry only
  // entries and messages, and an empty optional costs nothing to test.
  out.snapshot.reset();
  if (pending_snapshot_) {
    out.snapshot = std::move(pending_snapshot_);
    pending_snapshot_.reset();
  }
  out.hard_state.reset();
  if (hard_state_changed()) {
    emitted_hard_ = HardState{term_, voted_for_, commit_};
    out.hard_state = emitted_hard_;
  }
  out.truncate_from = std::exchange(pending_truncate_from_, std::nullopt);
  // Into the caller's vectors, whose capacity is reused; messages and reads
  // are swapped, so the pending vectors inherit the (cleared) capacity of
  // the caller's previous Ready.
  out.append.clear();
  if (unsaved_from_ <= last_index()) {
    const auto first = log_.begin() + static_cast<std::ptrdiff_t>(unsaved_from_ - snapshot_.index - 1);
    out.append.assign(first, log_.end());
  }
  unsaved_from_ = last_index() + 1;
  out.messages.clear();
  out.messages.swap(pending_messages_);
  out.committed.clear();
  if (commit_ > applied_) {
    const auto first = log_.begin() + static_cast<std::ptrdiff_t>(applied_ - snapshot_.index);
    out.committed.assign(first, first + static_cast<std::ptrdiff_t>(commit_ - applied_));
  }
  applied_ = commit_;
  out.reads.clear();
  out.reads.swap(ready_reads_);
}

void Node::recycle(std::vector<Entry>&& buffer) {
  if (buffer.capacity() == 0 || spare_entries_.size() >= kMaxSpareEntryBuffers) return;
  buffer.clear();
  spare_entries_.push_back(std::move(buffer));
}

std::int64_t Node::next_tick_ms() const {
  if (role_ != Role::leader) return election_deadline_ms_;
  std::int64_t next = heartbeat_deadline_ms_;
  if (transfer_target_) next = std::min(next, transfer_deadline_ms_);
  if (config_.check_quorum && progress_.size() != 0) {
    // check_quorum() can only step down once the fresh-leader window is over
    // and a follower's last contact is a window old; the earliest such
    // moment is conservative (a later tick finds a quorum and does nothing).
    const std::int64_t window = config_.election_timeout_max_ms;
    std::int64_t oldest = std::numeric_limits<std::int64_t>::max();
    for (const auto& [member, progress] : progress_) oldest = std::min(oldest, progress.last_heard_ms);
    next = std::min(next, std::max(role_since_ms_, oldest) + window);
  }
  return next;
}

}  // namespace faultline::raft
