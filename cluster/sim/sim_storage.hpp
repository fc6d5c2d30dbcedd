// SimStorage: store::MemoryStorage's crash semantics with O(change) sync.
//
// MemoryStorage::sync copies the whole visible log, which dominates a long
// simulated run under load (the log grows by 1,000 entries a simulated
// second). This keeps the same contract — writes visible at once,
// save_hard_state durable on return, crash() drops every truncate/append
// since the last sync() — but sync() copies only from the lowest index
// changed since the previous sync.
//
// Thread-safety: none; the simulator's single thread owns it.
#pragma once

#include <limits>

#include "cluster/store/storage.hpp"

namespace faultline::sim {

class SimStorage final : public store::Storage {
 public:
  store::Error save_hard_state(const raft::HardState& hard) override;
  store::Error truncate_from(raft::Index from) override;
  store::Error append(const std::vector<raft::Entry>& entries) override;
  store::Error sync() override;
  store::Recovered load() override;
  // Power loss: everything appended or truncated since the last sync() is gone.
  void crash();

 private:
  static constexpr raft::Index kClean = std::numeric_limits<raft::Index>::max();
  raft::HardState hard_;
  std::vector<raft::Entry> visible_;
  std::vector<raft::Entry> synced_;
  raft::Index changed_from_ = kClean;  // lowest index touched since the last sync
};

}  // namespace faultline::sim
