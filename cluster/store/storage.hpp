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
  std::vector<raft::Entry> log;  // indexes 1..n, contiguous
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
};

// Carries out the storage part of a Ready in the order the Raft core needs:
// hard state, truncation, append, sync. Call before sending ready.messages.
Error persist(Storage& storage, const raft::Ready& ready);

}  // namespace faultline::store
