// Value types of the Raft core: configuration, log entries, durable state,
// messages, and the Ready batch a driver carries out.
//
// All types are plain values: copyable, comparable, no hidden sharing, safe to
// move between threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace faultline::raft {

using NodeId = std::uint32_t;
using Term = std::uint64_t;
using Index = std::uint64_t;

enum class Role { follower, candidate, leader };

// "follower", "candidate" or "leader" (the journal's spelling).
std::string_view to_string(Role role);

// Known Raft bugs that tests and the simulator can plant on purpose, to prove
// that the safety checks catch them. Never set outside tests.
enum class PlantedBug {
  none,
  vote_without_log_check,           // grant votes without the log up-to-date check
  commit_previous_term_by_counting  // commit entries of earlier terms by counting replicas
};

// How a follower (or candidate) counts its election timeout.
//  wall:  campaign a timeout after the last contact from a leader (or after
//         the last vote it granted), the timeout drawn uniformly from
//         [election_timeout_min_ms, election_timeout_max_ms] (LogCabin, braft).
//  ticks: count heartbeat ticks as etcd's raft does. A node ticks every
//         heartbeat_ms on its own phase; a contact sets the count to 0, and
//         the node campaigns at the k-th tick after it, k drawn uniformly from
//         [min / heartbeat, max / heartbeat). The first tick after a contact is
//         a partial one, so that is ((k - 1) * heartbeat, k * heartbeat] after
//         the contact, and (min - heartbeat, max - heartbeat] over all draws.
//         The pre-vote lease is counted the same way (fewer than
//         min / heartbeat ticks since the contact). min and max must be
//         multiples of heartbeat_ms, and max >= min + heartbeat_ms.
enum class ElectionTimer { wall, ticks };

// "wall" or "ticks" (the settings' and plans' spelling).
std::string_view to_string(ElectionTimer timer);

// Whether a timing suits the ticks timer: whole heartbeats, and at least one
// count to draw from [min / heartbeat, max / heartbeat). The settings and the
// plans check it where they can name the field; validate() checks it last.
constexpr bool ticks_timing_ok(std::int64_t min_ms, std::int64_t max_ms, std::int64_t heartbeat_ms) {
  return heartbeat_ms > 0 && min_ms % heartbeat_ms == 0 && max_ms % heartbeat_ms == 0 &&
         max_ms >= min_ms + heartbeat_ms;
}

struct Config {
  NodeId id = 0;
  // Every voting member, including `id`. Order does not matter; duplicates are an error.
  std::vector<NodeId> members;
  std::int64_t election_timeout_min_ms = 150;
  std::int64_t election_timeout_max_ms = 300;
  std::int64_t heartbeat_ms = 50;
  ElectionTimer election_timer = ElectionTimer::wall;
  // Timeouts are drawn from std::mt19937_64 seeded with `seed` mixed with `id`,
  // so members that share one run seed still draw different timeouts.
  std::uint64_t seed = 1;
  std::size_t max_entries_per_append = 64;
  // A leader that has not heard from a majority within election_timeout_max_ms
  // steps down, so clients of a partitioned-away leader fail fast instead of
  // waiting on a leader that can never commit. Safety does not depend on it.
  bool check_quorum = true;
  PlantedBug planted_bug = PlantedBug::none;  // tests only; see PlantedBug
  // Raft thesis 9.6: before a real election, ask for pre-votes at term + 1
  // without raising the term, so a member that was cut off and rejoins does
  // not depose a working leader.
  bool pre_vote = true;
  // Pipelining: a follower known to match gets up to this many batches of
  // max_entries_per_append in flight before the first is acknowledged.
  std::size_t max_inflight_appends = 4;
};

struct Entry {
  Term term = 0;
  Index index = 0;
  // Opaque to Raft. The empty command is the no-op a new leader appends.
  std::string command;
  friend bool operator==(const Entry&, const Entry&) = default;
};

// What must survive a crash before any message depending on it is sent.
struct HardState {
  Term term = 0;
  std::optional<NodeId> voted_for;
  // Not needed for safety; kept so a restarted node re-applies its known
  // committed prefix at once and its reported commit index does not go back.
  Index commit = 0;
  friend bool operator==(const HardState&, const HardState&) = default;
};

struct VoteRequest {
  Index last_log_index = 0;
  Term last_log_term = 0;
  // A pre-vote (thesis 9.6): Message::term is the term the sender would
  // campaign in; receivers neither adopt that term nor record a vote.
  bool pre_vote = false;
  friend bool operator==(const VoteRequest&, const VoteRequest&) = default;
};

struct VoteResponse {
  bool granted = false;
  // Answers a pre-vote. A granted pre-vote carries the requested term; a
  // refusal carries the responder's own term.
  bool pre_vote = false;
  // A pre-vote refused only because the responder still heard a leader
  // within the election minimum: how many ms until that lease ends (0 for
  // any other answer). The pre-candidate asks again then instead of drawing
  // a whole new timeout, so a timer that fires just before a peer's lease
  // ends costs at most that remainder (see Node::handle_vote_response).
  std::uint64_t lease_left_ms = 0;
  friend bool operator==(const VoteResponse&, const VoteResponse&) = default;
};

struct AppendRequest {
  Index prev_index = 0;
  Term prev_term = 0;
  std::vector<Entry> entries;
  Index leader_commit = 0;
  // The leader's latest ReadIndex round; echoed in the response so the leader
  // knows the follower still followed it after the reads of that round arrived.
  std::uint64_t read_seq = 0;
  friend bool operator==(const AppendRequest&, const AppendRequest&) = default;
};

struct AppendResponse {
  bool success = false;
  // On success: the index of the last entry known to match the leader's log.
  Index match_index = 0;
  // On reject: the next index the leader should try (first index of the
  // conflicting term, or one past the follower's last entry), so the leader
  // skips a whole term per round trip instead of one entry.
  Index conflict_hint = 0;
  std::uint64_t read_seq = 0;  // AppendRequest::read_seq of the request answered
  friend bool operator==(const AppendResponse&, const AppendResponse&) = default;
};

// A state-machine snapshot covering every entry up to and including `index`
// (whose term was `term`). `data` is opaque to Raft: the driver's serialised
// state machine. index 0 means "no snapshot".
struct Snapshot {
  Index index = 0;
  Term term = 0;
  std::string data;
  friend bool operator==(const Snapshot&, const Snapshot&) = default;
};

// Sent by a leader to a follower that needs entries the leader has already
// compacted away (thesis 5.4). The follower answers with an AppendResponse
// (success, match_index = last_included_index).
struct InstallSnapshot {
  Index last_included_index = 0;
  Term last_included_term = 0;
  std::string data;
  Index leader_commit = 0;
  friend bool operator==(const InstallSnapshot&, const InstallSnapshot&) = default;
};

// Leadership transfer (thesis 3.10): the leader tells an up-to-date follower
// to start an election at once, skipping pre-vote.
struct TimeoutNow {
  friend bool operator==(const TimeoutNow&, const TimeoutNow&) = default;
};

using MessageBody = std::variant<VoteRequest, VoteResponse, AppendRequest, AppendResponse,
                                 TimeoutNow, InstallSnapshot>;

struct Message {
  NodeId from = 0;
  NodeId to = 0;
  Term term = 0;  // the sender's current term
  MessageBody body;
  friend bool operator==(const Message&, const Message&) = default;
};

// A linearizable read confirmed by the leader (ReadIndex, thesis 6.4): the
// driver serves request `request_id` once it has applied through `index`.
struct ReadState {
  std::uint64_t request_id = 0;
  Index index = 0;
  friend bool operator==(const ReadState&, const ReadState&) = default;
};

// The work a driver must carry out after any call into a Node, IN THIS ORDER:
//   0. if `snapshot` is set (a leader sent one): persist it durably, dropping
//      every durable entry at or below snapshot->index, and restore the state
//      machine from snapshot->data;
//   1. persist `hard_state` (if set);
//   2. truncate the durable log from `truncate_from` (if set; a no-op past its end);
//   3. append `append`;
//   4. fsync;
//   5. only then send `messages`;
//   6. then apply `committed` to the state machine, in order;
//   7. serve each of `reads` once the state machine has applied its index.
// Term and vote must be durable before a message that depends on them leaves,
// and entries must be durable before a follower acknowledges them.
struct Ready {
  // Only ever set after InstallSnapshot; never by Node::compact (the driver
  // that compacts saves its own snapshot).
  std::optional<Snapshot> snapshot;
  std::optional<HardState> hard_state;
  std::optional<Index> truncate_from;
  std::vector<Entry> append;
  std::vector<Message> messages;
  std::vector<Entry> committed;
  std::vector<ReadState> reads;

  bool empty() const {
    return !snapshot && !hard_state && !truncate_from && append.empty() && messages.empty() &&
           committed.empty() && reads.empty();
  }
};

}  // namespace faultline::raft
