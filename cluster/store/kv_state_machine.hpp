// KvStateMachine: the replicated key-value store applied from the Raft log.
//
// Commands (entry.command) are JSON text:
//   {"op":"put","key":K,"value":V}   -> {"ok":true}
//   {"op":"del","key":K}             -> {"ok":true,"found":true|false}
//   {"op":"get","key":K}             -> {"ok":true,"found":true,"value":V}
//                                       or {"ok":true,"found":false}
//   ""  (a leader's no-op)           -> {"ok":true}
// A malformed command still consumes its index (every replica rejects it the
// same way) and returns {"ok":false,"error":"..."}.
//
// Entries must be applied in index order, each once; an entry at or below
// last_applied() is refused without changing state, so re-delivery after a
// restart cannot apply twice.
//
// Thread-safety: none; the driver serialises apply() and reads.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "cluster/raft/types.hpp"

namespace faultline::store {

class KvStateMachine {
 public:
  std::string apply(const raft::Entry& entry);

  // Local read of this replica's state; may be stale on a follower.
  std::optional<std::string> get(const std::string& key) const;
  raft::Index last_applied() const { return last_applied_; }

  // The whole state as JSON text: {"last_applied":N,"data":{"k":"v",...}}.
  // Keys and values must be valid UTF-8 (they arrive as JSON strings).
  std::string snapshot() const;
  // Replaces the whole state with a snapshot() text. On error (returned as a
  // message) the state is left unchanged.
  std::optional<std::string> restore(const std::string& snapshot_text);
  const std::map<std::string, std::string>& data() const { return data_; }

 private:
  std::map<std::string, std::string> data_;
  raft::Index last_applied_ = 0;
};

}  // namespace faultline::store
