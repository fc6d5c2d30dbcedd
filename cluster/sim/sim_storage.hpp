// SimStorage: store::MemoryStorage's crash semantics at O(change) cost.
//
// MemoryStorage::sync copies the whole visible log, which dominates a long
// simulated run under load (the log grows by 1,000 entries a simulated
// second). This keeps the same contract — writes visible at once,
// save_hard_state and save_snapshot durable on return, crash() drops every
// truncate/append since the last sync() — but holds each entry once: the
// durable log is the first `durable_prefix_` visible entries followed by
// `undo_`, the durable entries a truncate removed since the last sync. sync()
// and append() copy nothing durable; truncate_from() moves only what it
// removes. Both logs start just past the snapshot's index (at 1 without one).
//
// Thread-safety: none; the simulator's single thread owns it.
#pragma once

#include <cstddef>
#include <optional>

#include "cluster/store/storage.hpp"

namespace faultline::sim {

class SimStorage final : public store::Storage {
 public:
  store::Error save_hard_state(const raft::HardState& hard) override;
  store::Error truncate_from(raft::Index from) override;
  store::Error append(const std::vector<raft::Entry>& entries) override;
  store::Error sync() override;
  store::Recovered load() override;
  // Rare (once per compaction), so it rebuilds the two logs in O(log).
  store::Error save_snapshot(raft::Index index, raft::Term term, const std::string& data) override;
  // Power loss: everything appended or truncated since the last sync() is gone.
  void crash();
  // The saved snapshot's index (0: none); a restart recovers from it.
  raft::Index snapshot_index() const { return base(); }

 private:
  raft::Index base() const { return snapshot_ ? snapshot_->index : 0; }
  std::vector<raft::Entry> durable_log() const;

  raft::HardState hard_;
  std::optional<raft::Snapshot> snapshot_;
  std::vector<raft::Entry> visible_;  // indexes base() + 1 ..
  std::size_t durable_prefix_ = 0;    // visible_[0, durable_prefix_) is durable
  std::vector<raft::Entry> undo_;     // durable entries past that prefix, truncated since the last sync
};

}  // namespace faultline::sim
