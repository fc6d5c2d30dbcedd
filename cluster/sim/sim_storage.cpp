// SimStorage: one copy of the log plus an undo list for crashes.
#include "cluster/sim/sim_storage.hpp"

#include <iterator>

namespace faultline::sim {

store::Error SimStorage::save_hard_state(const raft::HardState& hard) {
  hard_ = hard;
  return std::nullopt;
}

store::Error SimStorage::truncate_from(raft::Index from) {
  if (from == 0) return "truncate_from(0): log indexes start at 1";
  if (from > visible_.size()) return std::nullopt;
  const std::size_t keep = from - 1;
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
  raft::Index next = visible_.size() + 1;
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

store::Recovered SimStorage::load() {
  store::Recovered out;
  out.hard = hard_;
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
