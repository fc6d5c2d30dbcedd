// When a coordinator acknowledges a key-value write, by replication mode
// (systemConfig.cluster.coordinator.replication; docs/reference-cluster.md).
//
// The decision only: which copies of an entry must exist before the HTTP
// write is answered 200. It never changes what Raft commits or when — the
// entry is replicated and committed by the Raft core exactly as in sync
// mode; semi-sync and async only answer earlier, so a write they
// acknowledged can still be lost with the leader (async), or with the
// leader and the one follower that had it (semi-sync with 5 or more
// members; with 3, leader plus one follower is a majority: commit).
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>

#include "cluster/settings/settings.hpp"

namespace faultline::coordinator {

// What the leader knows of one proposed entry (index, term) when it decides.
struct AckFacts {
  // Committed and applied by this member: what sync waits for, and enough
  // in every mode.
  bool applied = false;
  // The entry is on this member's disk (fsynced) and this member still
  // leads the entry's term.
  bool leader_durable = false;
  // Followers that acknowledged an append through the entry's index in this
  // leader's term; a follower acknowledges only after its own fsync.
  std::size_t followers_durable = 0;
};

// Whether a write with `facts` may be acknowledged under `mode`.
bool acknowledged(settings::Replication mode, const AckFacts& facts);

// The durable copies (the leader's included) an acknowledgement under `mode`
// guarantees in a group of `members` voters: a majority for sync, 2 for
// semi-sync (a majority when that is more, so with 1..3 members it equals
// sync), 1 for async. A failure of fewer members than this never loses an
// acknowledged write.
std::size_t copies_at_ack(settings::Replication mode, std::size_t members);

// Whether semi-sync acknowledges before commit in a group of `members`:
// only when a majority needs more than two copies (5 or more, or 4).
bool semi_sync_precedes_commit(std::size_t members);

}  // namespace faultline::coordinator
