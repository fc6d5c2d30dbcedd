// SimNetwork: the simulated network between members, in virtual time.
//
// Every message gets a delay drawn from its link's [min, max]. A link is
// FIFO (delivery no earlier than the previous message's on that link) except
// for the LinkParams::reorder_per_mille share of messages, which keep their
// own delay and may overtake. A message may be dropped or duplicated (each
// copy with its own delay). A cut directed link loses what is sent on it and what
// was in flight on it when it is delivered. Decisions draw from the caller's
// generator in send order, so a run is a function of its seed.
//
// The in-flight queue is a timing wheel: one bucket per delivery ms (the
// wheel grows to span the longest delay in flight), each in send order, so
// delivery is by (delivery ms, send order), a total order fixed by the seed,
// at O(1) a message.
//
// Thread-safety: none; the simulator's single thread owns it.
#pragma once

#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <vector>

#include "cluster/raft/types.hpp"
#include "cluster/sim/config.hpp"
#include "cluster/sim/schedule.hpp"

namespace faultline::sim {

enum class SendOutcome { queued, dropped, cut, duplicated };

class SimNetwork {
 public:
  explicit SimNetwork(LinkParams defaults) : defaults_(defaults) {}

  SendOutcome send(raft::Message&& message, std::int64_t now_ms, std::mt19937_64& rng);
  // Removes and returns, in delivery order, the messages due at or before
  // now_ms whose link is not cut. `lost` counts those the cut swallowed.
  std::vector<raft::Message> deliver_due(std::int64_t now_ms, std::uint64_t& lost);
  // The same into `out` (cleared first), so a caller can reuse one buffer.
  void deliver_due(std::int64_t now_ms, std::uint64_t& lost, std::vector<raft::Message>& out);
  // One at a time, without moving the message out: the next message due at or
  // before now_ms whose link is not cut (in the same order), or null when
  // none is left. The pointer is valid until the next call to next_due(),
  // deliver_due() or send(); `lost` counts what the cut swallowed.
  // The message is the caller's to read and to take parts of (a driver
  // recycles an append's entries buffer).
  raft::Message* next_due(std::int64_t now_ms, std::uint64_t& lost);
  // A draw from [lo, hi] (lo <= hi), the network's one way of drawing.
  static std::int64_t uniform(std::int64_t lo, std::int64_t hi, std::mt19937_64& rng) {
    // Modulo bias is below 1e-15 for any span a schedule can give.
    return lo + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(hi - lo + 1));
  }

  void set_cut(std::vector<Link> cut) { cut_ = std::set<Link>(cut.begin(), cut.end()); }
  void set_defaults(LinkParams p) { defaults_ = p; }
  LinkParams defaults() const { return defaults_; }
  // Overrides the delay of both directions between `member` and every other.
  void set_member_delay(raft::NodeId member, std::size_t members, std::int64_t lo, std::int64_t hi);
  bool is_cut(raft::NodeId from, raft::NodeId to) const { return cut_.count({from, to}) != 0; }
  std::size_t in_flight() const { return in_flight_; }

 private:
  std::int64_t draw_delay(raft::NodeId from, raft::NodeId to, std::mt19937_64& rng) const;
  // When a message sent at now_ms on (from, to) is delivered: FIFO behind
  // the link's last delivery unless this one may overtake.
  std::int64_t due_ms(raft::NodeId from, raft::NodeId to, std::int64_t now_ms, std::mt19937_64& rng);
  std::int64_t& link_tail(raft::NodeId from, raft::NodeId to);

  LinkParams defaults_;
  std::map<Link, std::pair<std::int64_t, std::int64_t>> link_delay_;  // per-link overrides
  std::set<Link> cut_;
  // Per directed link, the latest delivery ms of a FIFO message: a flat
  // square table indexed by (from, to), grown to the highest id seen.
  std::vector<std::int64_t> tails_;
  std::size_t tails_dim_ = 0;
  // Buckets hold slot numbers; messages stay put in `slots_` (freed slots
  // are reused), so queueing moves no message bodies.
  void enqueue(std::int64_t at_ms, raft::Message&& message);
  // Re-buckets what is in flight into a wheel of at least `span` ms.
  void grow_wheel(std::size_t span);
  void release_held();
  static constexpr std::size_t kNoSlot = static_cast<std::size_t>(-1);
  std::size_t held_slot_ = kNoSlot;  // handed out by next_due(), freed on the next call
  std::vector<std::vector<std::size_t>> wheel_ = std::vector<std::vector<std::size_t>>(16);  // size: a power of two
  std::int64_t drain_ms_ = 0;  // the ms whose bucket is drained next; nothing is due before it
  std::size_t cursor_ = 0;     // how much of that bucket is drained
  std::size_t in_flight_ = 0;
  std::vector<raft::Message> slots_;
  std::vector<std::size_t> free_slots_;
};

}  // namespace faultline::sim
