// A fake clock and fake network around raft::Node, so tests read like a script:
//
//   Cluster c(3);
//   auto leader = c.wait_for_leader(2000);
//   c.isolate(*leader);
//   c.advance(500);
//
// Every Ready is carried out at once and in full (persist, send, apply), so a
// crash loses nothing that was handed out. Messages travel with a delay drawn
// from [min_delay_ms, max_delay_ms] and are dropped with drop_probability, or
// when either end is isolated or down. After every step the SafetyMonitor
// checks the Raft invariants; violations() collects what it found.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "cluster/raft/raft.hpp"

namespace faultline::raft::testing {

struct Member {
  std::unique_ptr<Node> node;  // null while down
  HardState durable_hard;      // what the member persisted
  Snapshot durable_snapshot;   // index 0: none
  std::vector<Entry> durable_log;  // continues durable_snapshot
  std::vector<Entry> applied;  // the state machine, rebuilt on restart
  std::vector<ReadState> reads;  // every confirmed ReadIndex read, in order
};

// Knobs of a whole test cluster; every member gets the same.
struct ClusterOptions {
  std::uint64_t seed = 1;
  std::size_t max_entries_per_append = 64;
  PlantedBug planted_bug = PlantedBug::none;
  bool pre_vote = true;
  std::size_t max_inflight_appends = 4;
};

struct InFlight {
  std::int64_t deliver_at = 0;
  Message message;
};

class Cluster {
 public:
  explicit Cluster(std::size_t size, std::uint64_t seed = 1);
  // Members start from the given durable state instead of an empty one.
  Cluster(std::map<NodeId, std::pair<HardState, std::vector<Entry>>> initial, std::uint64_t seed,
          std::size_t max_entries_per_append = 64);
  Cluster(std::size_t size, ClusterOptions options);
  Cluster(std::map<NodeId, std::pair<HardState, std::vector<Entry>>> initial,
          ClusterOptions options);

  std::int64_t now() const { return now_; }
  Node& node(NodeId id) { return *members_.at(id).node; }
  bool up(NodeId id) const { return members_.at(id).node != nullptr; }
  const Member& member(NodeId id) const { return members_.at(id); }
  std::vector<NodeId> ids() const;

  // Moves the clock forward in steps of `step_ms`, ticking every live node and
  // delivering every message that is due.
  void advance(std::int64_t ms, std::int64_t step_ms = 5);
  // Advances until exactly one live node leads the highest term with a leader
  // and every other live, connected node follows it; nullopt after max_ms.
  std::optional<NodeId> wait_for_leader(std::int64_t max_ms);
  // Advances until `pred` holds; false after max_ms.
  bool advance_until(const std::function<bool()>& pred, std::int64_t max_ms);
  // Commits `command` the way a client must: proposes it to the leader, and
  // again to each later leader, because a leader can lose office (check_quorum,
  // an election it did not see coming) before its entry commits, and a new
  // leader with a shorter log then overwrites it. Returns the first committed
  // copy once every live member has applied it; nullopt after max_ms. Use a
  // command no other proposal uses.
  std::optional<Entry> commit_everywhere(const std::string& command, std::int64_t max_ms);

  // Delivers at most `count` due messages, in send order (not moving time).
  std::size_t deliver(std::size_t count);
  std::size_t in_flight() const { return network_.size(); }
  const std::vector<InFlight>& network() const { return network_; }
  void start_election(NodeId id);
  std::optional<Entry> propose(NodeId id, const std::string& command);

  // Network faults.
  void isolate(NodeId id) { isolated_.insert(id); }
  void heal() { isolated_.clear(); }
  double drop_probability = 0.0;
  std::int64_t min_delay_ms = 0;
  std::int64_t max_delay_ms = 0;

  // Process faults: crash keeps only what the member persisted.
  void crash(NodeId id);
  void restart(NodeId id);

  // Log compaction the way a driver does it: snapshots the member's applied
  // entries through `upto` (the snapshot data encodes them, so a member
  // restored from it still has the full applied history) and compacts.
  bool compact(NodeId id, Index upto);
  // How many Ready::snapshot (InstallSnapshot) the member has carried out.
  std::size_t snapshots_installed(NodeId id) const {
    return installed_.count(id) != 0 ? installed_.at(id) : 0;
  }

  // Leaders among live nodes.
  std::vector<NodeId> leaders() const;
  const std::vector<std::string>& violations() const { return violations_; }
  // Carries out every pending Ready and runs the invariant checks.
  void flush();

 private:
  Config config_for(NodeId id) const;
  bool link_up(NodeId from, NodeId to) const;
  void check();

  ClusterOptions options_;
  std::int64_t now_ = 0;
  std::vector<NodeId> all_ids_;
  std::map<NodeId, Member> members_;
  std::vector<InFlight> network_;
  std::set<NodeId> isolated_;
  std::mt19937_64 rng_;
  SafetyMonitor monitor_;
  std::vector<std::string> violations_;
  std::map<NodeId, std::size_t> installed_;  // Ready::snapshot count per member
};

// The harness's state-machine snapshot format: the applied entries themselves.
std::string encode_applied(const std::vector<Entry>& applied, Index upto);
std::vector<Entry> decode_applied(const std::string& data);

// One node driven by hand: member `self` of {1, 2, 3}, term 1, one entry,
// election timeout [250, 500] with a 50 ms heartbeat counted by `timer`, that
// heard leader 1's append at contact_ms (its Ready taken).
Node follower_hearing_1(NodeId self, ElectionTimer timer, std::uint64_t seed, std::int64_t contact_ms);

}  // namespace faultline::raft::testing
