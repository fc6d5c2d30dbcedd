// SimStorage: incremental sync.
#include "cluster/sim/sim_storage.hpp"

#include <algorithm>

namespace faultline::sim {

store::Error SimStorage::save_hard_state(const raft::HardState& hard) {
  hard_ = hard;
  return std::nullopt;
}

store::Error SimStorage::truncate_from(raft::Index from) {
  if (from == 0) return "truncate_from(0): log indexes start at 1";
  if (from <= visible_.size()) {
    visible_.resize(from - 1);
    changed_from_ = std::min(changed_from_, from);
  }
  return std::nullopt;
}

store::Error SimStorage::append(const std::vector<raft::Entry>& entries) {
  raft::Index next = visible_.size() + 1;
  for (const raft::Entry& e : entries) {
    if (e.index != next++) return "append: entry index " + std::to_string(e.index) + " does not continue the log";
  }
  if (!entries.empty()) changed_from_ = std::min<raft::Index>(changed_from_, visible_.size() + 1);
  visible_.insert(visible_.end(), entries.begin(), entries.end());
  return std::nullopt;
}

store::Error SimStorage::sync() {
  if (changed_from_ == kClean) return std::nullopt;
  const std::size_t keep = std::min<std::size_t>(changed_from_ - 1, synced_.size());
  synced_.resize(keep);
  synced_.insert(synced_.end(), visible_.begin() + static_cast<std::ptrdiff_t>(std::min(keep, visible_.size())),
                 visible_.end());
  changed_from_ = kClean;
  return std::nullopt;
}

store::Recovered SimStorage::load() {
  store::Recovered out;
  out.hard = hard_;
  out.log = visible_;
  return out;
}

void SimStorage::crash() {
  visible_ = synced_;
  changed_from_ = kClean;
}

}  // namespace faultline::sim
