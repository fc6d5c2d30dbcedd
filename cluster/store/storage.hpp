// The Storage seam: where a Raft member's hard state and log become durable.
//
// Error convention of this layer: every fallible call returns `Error`, empty on
// success, otherwise a message saying what failed and where (file, offset,
// errno text). Nothing here throws.
//
// Thread-safety: implementations are not thread-safe; the driver serialises
// calls (the same lock that guards the raft::Node).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cluster/raft/types.hpp"

namespace faultline::store {

using Error = std::optional<std::string>;

struct Recovered {
  raft::HardState hard;
  // The latest saved snapshot, if any; the log then continues it.
  std::optional<raft::Snapshot> snapshot;
  // Contiguous: indexes snapshot->index + 1 .. n (1..n without a snapshot).
  std::vector<raft::Entry> log;
  // Bytes cut from the end of the log because the last record was short or
  // failed its checksum (a write torn by a crash). 0 on a clean shutdown.
  std::uint64_t bytes_dropped_from_torn_tail = 0;
  // Non-empty when recovery could not produce a trustworthy state (a corrupt
  // hard state, an I/O error); the member must not start from it.
  std::string error;
};

class Storage {
 public:
  virtual ~Storage() = default;

  // Durable on return (replaces the previous hard state atomically).
  virtual Error save_hard_state(const raft::HardState& hard) = 0;
  // Drops entries with index >= from. A no-op when `from` is past the end.
  virtual Error truncate_from(raft::Index from) = 0;
  // Entries must continue the log: the first index is last index + 1.
  virtual Error append(const std::vector<raft::Entry>& entries) = 0;
  // Makes every truncate_from/append so far durable.
  virtual Error sync() = 0;
  // Reads back what survived; call once, before writing.
  virtual Recovered load() = 0;
  // Durable on return: replaces the saved snapshot and drops every durable
  // entry at or below `index`. Entries above it survive only if the entry at
  // `index` has term `term` (the log agrees with the snapshot); otherwise they
  // belong to a superseded history and are dropped too. Storage that cannot
  // keep snapshots (the default) returns an error.
  virtual Error save_snapshot(raft::Index index, raft::Term term, const std::string& data);
};

// Drops entries at or below `index` from `log` (contiguous, any start), or all
// of them when the entry at `index` does not have term `term`: the rule of
// Storage::save_snapshot, shared by the implementations.
void drop_covered_by_snapshot(std::vector<raft::Entry>& log, raft::Index index, raft::Term term);

// Carries out the storage part of a Ready in the order the Raft core needs:
// snapshot, hard state, truncation, append, sync. Call before sending ready.messages.
Error persist(Storage& storage, const raft::Ready& ready);

}  // namespace faultline::store
