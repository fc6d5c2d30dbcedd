// SimStorage: one copy of the log plus an undo list for crashes.
#include "cluster/sim/sim_storage.hpp"

#include <algorithm>
#include <iterator>

namespace faultline::sim {

store::Error SimStorage::save_hard_state(const raft::HardState& hard) {
  hard_ = hard;
  return std::nullopt;
}

store::Error SimStorage::truncate_from(raft::Index from) {
  if (from == 0) return "truncate_from(0): log indexes start at 1";
  if (from > base() + visible_.size()) return std::nullopt;
  // Nothing at or below the snapshot is in the logs; from there on, all goes.
  const std::size_t keep = from > base() ? static_cast<std::size_t>(from - base() - 1) : 0;
  if (keep < durable_prefix_) {
    // Durable entries leave the visible log: remember them (in log order,
    // ahead of any removed earlier) so a crash can bring them back.
    std::vector<raft::Entry> removed(std::make_move_iterator(visible_.begin() + static_cast<std::ptrdiff_t>(keep)),
                                     std::make_move_iterator(visible_.begin() +
                                                             static_cast<std::ptrdiff_t>(durable_prefix_)));
    removed.insert(removed.end(), std::make_move_iterator(undo_.begin()), std::make_move_iterator(undo_.end()));
    undo_ = std::move(removed);
    durable_prefix_ = keep;
  }
  visible_.resize(keep);
  return std::nullopt;
}

store::Error SimStorage::append(const std::vector<raft::Entry>& entries) {
  raft::Index next = base() + visible_.size() + 1;
  for (const raft::Entry& e : entries) {
    if (e.index != next++) return "append: entry index " + std::to_string(e.index) + " does not continue the log";
  }
  visible_.insert(visible_.end(), entries.begin(), entries.end());
  return std::nullopt;
}

store::Error SimStorage::sync() {
  undo_.clear();
  durable_prefix_ = visible_.size();
  return std::nullopt;
}

std::vector<raft::Entry> SimStorage::durable_log() const {
  std::vector<raft::Entry> out(visible_.begin(), visible_.begin() + static_cast<std::ptrdiff_t>(durable_prefix_));
  out.insert(out.end(), undo_.begin(), undo_.end());
  return out;
}

store::Error SimStorage::save_snapshot(raft::Index index, raft::Term term, const std::string& data) {
  if (snapshot_ && index <= snapshot_->index) {
    return "save_snapshot: index " + std::to_string(index) + " is not past the saved snapshot " +
           std::to_string(snapshot_->index);
  }
  const raft::Index old_base = base();
  // The common case, a member compacting what it applied: the index is in
  // the durable prefix and agrees with it. Both logs lose the same front.
  if (index > old_base && index - old_base <= durable_prefix_ && visible_[index - old_base - 1].term == term) {
    const auto cut = static_cast<std::ptrdiff_t>(index - old_base);
    visible_.erase(visible_.begin(), visible_.begin() + cut);
    durable_prefix_ -= static_cast<std::size_t>(cut);
    snapshot_ = raft::Snapshot{index, term, data};
    return std::nullopt;
  }
  std::vector<raft::Entry> durable = durable_log();
  store::drop_covered_by_snapshot(durable, index, term);
  store::drop_covered_by_snapshot(visible_, index, term);
  snapshot_ = raft::Snapshot{index, term, data};
  // Both logs now start at index + 1: the durable one is again the longest
  // common prefix with the visible one, plus what the visible one lost.
  const auto [durable_end, visible_end] = std::mismatch(durable.begin(), durable.end(), visible_.begin(), visible_.end());
  durable_prefix_ = static_cast<std::size_t>(visible_end - visible_.begin());
  undo_.assign(std::make_move_iterator(durable_end), std::make_move_iterator(durable.end()));
  return std::nullopt;
}

store::Recovered SimStorage::load() {
  store::Recovered out;
  out.hard = hard_;
  out.snapshot = snapshot_;
  out.log = visible_;
  return out;
}

void SimStorage::crash() {
  visible_.resize(durable_prefix_);
  visible_.insert(visible_.end(), std::make_move_iterator(undo_.begin()), std::make_move_iterator(undo_.end()));
  undo_.clear();
  durable_prefix_ = visible_.size();
}

}  // namespace faultline::sim
