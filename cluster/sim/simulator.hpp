// The deterministic simulator: N Raft members over MemoryStorage, a simulated
// network and a fault schedule, in virtual time (ms).
//
// run() is a pure function of (SimConfig, Schedule): one std::mt19937_64 from
// config.seed drives the network and the client, each member's election
// timeouts derive from the same seed, and nothing reads the wall clock, so the
// same inputs give the same event log byte for byte.
//
// Each virtual ms, in order: schedule actions due; message deliveries due;
// client proposals; a tick of every live member on its own (drifting) clock,
// skipped while it is before the member's Node::next_tick_ms(). Durable state
// lives in SimStorage (MemoryStorage semantics, incremental sync). At the end
// of the ms each member's Ready (everything its deliveries, proposals and
// tick produced) is carried out in the documented order (persist, then send,
// then apply), so a crash — which happens only between ms — loses nothing a
// sent message depended on.
// The safety checks: raft::SafetyMonitor over the live members after every ms
// in which something changed (config.check_every_ms), and on every apply the
// entry is compared with what any member applied at that index before.
//
// Thread-safety: run() keeps all state local; concurrent runs are independent.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cluster/sim/config.hpp"
#include "cluster/sim/schedule.hpp"

namespace faultline::sim {

struct SimStats {
  std::int64_t simulated_ms = 0;
  std::uint64_t messages_sent = 0;
  std::uint64_t messages_delivered = 0;
  std::uint64_t messages_dropped = 0;  // loss, cut links
  std::uint64_t messages_duplicated = 0;
  std::uint64_t proposals = 0;         // accepted by a leader
  std::uint64_t proposals_refused = 0; // no leader reachable at that ms
  std::uint64_t committed = 0;         // longest committed prefix seen
  std::uint64_t elections_won = 0;
  std::uint64_t crashes = 0;
  std::uint64_t restarts = 0;
  std::uint64_t compactions = 0;          // snapshots a member took of its own state
  std::uint64_t snapshots_installed = 0;  // snapshots a member took from a leader
  raft::Term max_term = 0;
  // For each `crash leader` that hit a leader: ms from the crash until a
  // member led a higher term (the Raft paper's Figure 16 measure).
  std::vector<std::int64_t> leader_recovery_ms;
};

struct SimResult {
  std::vector<std::string> violations;  // "t=<ms> <what>"
  std::int64_t first_violation_ms = -1;
  std::string event_log;  // one line per event: "<ms> <what>"
  SimStats stats;
  bool ok() const { return violations.empty(); }
};

SimResult run(const SimConfig& config, const Schedule& schedule);

}  // namespace faultline::sim
