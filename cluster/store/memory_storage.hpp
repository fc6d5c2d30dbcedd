// MemoryStorage: Storage in memory that can "crash", for tests and the simulator.
//
// Models a file system under power loss: writes are visible at once
// (load() after a process restart sees them) but only what was sync()ed
// survives crash(). save_hard_state is durable on return, like FileStorage's.
// Faults can be injected: fail_writes() makes every write and sync fail.
//
// Thread-safety: none; one owner serialises calls.
#pragma once

#include "cluster/store/storage.hpp"

namespace faultline::store {

class MemoryStorage final : public Storage {
 public:
  Error save_hard_state(const raft::HardState& hard) override;
  Error truncate_from(raft::Index from) override;
  Error append(const std::vector<raft::Entry>& entries) override;
  Error sync() override;
  Recovered load() override;
  // Durable on return, like save_hard_state (drops covered entries from both
  // the visible and the synced log).
  Error save_snapshot(raft::Index index, raft::Term term, const std::string& data) override;

  // Power loss: everything appended or truncated since the last sync() is gone.
  void crash();
  // While set, save_hard_state, truncate_from, append and sync return an error
  // and change nothing (a full or failing disk).
  void fail_writes(bool fail) { fail_writes_ = fail; }

  const raft::HardState& hard_state() const { return hard_; }
  const std::optional<raft::Snapshot>& snapshot() const { return snapshot_; }
  const std::vector<raft::Entry>& synced_log() const { return synced_; }
  const std::vector<raft::Entry>& visible_log() const { return visible_; }

 private:
  raft::HardState hard_;
  std::optional<raft::Snapshot> snapshot_;
  // Both logs continue the snapshot: indexes snapshot index + 1 ..
  std::vector<raft::Entry> visible_;  // what a reader sees now
  std::vector<raft::Entry> synced_;   // what survives crash()
  bool fail_writes_ = false;
};

}  // namespace faultline::store
