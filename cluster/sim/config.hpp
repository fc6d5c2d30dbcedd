// SimConfig: everything about a simulated run that is not a timed fault.
//
// Plain values; a run is a pure function of (SimConfig, Schedule).
#pragma once

#include <cstddef>
#include <cstdint>

#include "cluster/raft/types.hpp"

namespace faultline::sim {

// One direction of one link, or the default for all links.
struct LinkParams {
  std::int64_t delay_min_ms = 1;
  std::int64_t delay_max_ms = 10;
  std::uint32_t drop_per_mille = 0;
  std::uint32_t duplicate_per_mille = 0;
  // Each link is FIFO, like the TCP stream a real Raft transport uses: a
  // message is never delivered before one sent earlier on the same link.
  // Except this share of messages, whose delay is drawn on its own so it may
  // overtake (1000: every message, independent delays).
  std::uint32_t reorder_per_mille = 0;
  friend bool operator==(const LinkParams&, const LinkParams&) = default;
};

struct SimConfig {
  // The one seed: network, client and every member's election timeouts derive from it.
  std::uint64_t seed = 1;
  std::size_t members = 5;
  std::int64_t duration_ms = 10'000;

  std::int64_t election_timeout_min_ms = 150;
  std::int64_t election_timeout_max_ms = 300;
  std::int64_t heartbeat_ms = 50;
  raft::ElectionTimer election_timer = raft::ElectionTimer::wall;
  bool pre_vote = true;
  bool check_quorum = true;
  raft::PlantedBug planted_bug = raft::PlantedBug::none;

  LinkParams network{};
  // Client proposals per simulated second, sent to a member that is leader.
  std::int64_t client_ops_per_second = 20;

  // Each member compacts its log into a snapshot once it has applied this
  // many entries past its last one (0 = never); lagging members then catch
  // up by InstallSnapshot, and logs stay short.
  std::uint64_t compact_every = 64;

  // Full raft::SafetyMonitor observation every this many ms in which some
  // member changed (1 = every ms). The cheap applied-entry agreement check
  // runs on every apply regardless.
  std::int64_t check_every_ms = 1;
  // Message sends, drops and deliveries in the event log (faults, role
  // changes and violations are always logged).
  bool log_messages = true;
  bool stop_at_first_violation = true;
  // Stop once this many `crash leader` actions have seen a new leader (0 = never).
  std::size_t stop_after_recoveries = 0;
};

}  // namespace faultline::sim
