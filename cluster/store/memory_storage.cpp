#include "cluster/store/memory_storage.hpp"

namespace faultline::store {

namespace {
const char* kInjected = "injected write failure (MemoryStorage::fail_writes)";
}

Error MemoryStorage::save_hard_state(const raft::HardState& hard) {
  if (fail_writes_) return kInjected;
  hard_ = hard;
  return std::nullopt;
}

Error MemoryStorage::truncate_from(raft::Index from) {
  if (fail_writes_) return kInjected;
  if (from == 0) return "truncate_from(0): log indexes start at 1";
  std::erase_if(visible_, [from](const raft::Entry& e) { return e.index >= from; });
  return std::nullopt;
}

Error MemoryStorage::append(const std::vector<raft::Entry>& entries) {
  if (fail_writes_) return kInjected;
  raft::Index next = visible_.empty() ? (snapshot_ ? snapshot_->index : 0) + 1
                                      : visible_.back().index + 1;
  for (const raft::Entry& e : entries) {
    if (e.index != next) {
      return "append: entry index " + std::to_string(e.index) + " does not follow " +
             std::to_string(next - 1);
    }
    ++next;
  }
  visible_.insert(visible_.end(), entries.begin(), entries.end());
  return std::nullopt;
}

Error MemoryStorage::sync() {
  if (fail_writes_) return kInjected;
  synced_ = visible_;
  return std::nullopt;
}

Recovered MemoryStorage::load() {
  Recovered out;
  out.hard = hard_;
  out.snapshot = snapshot_;
  out.log = visible_;
  return out;
}

Error MemoryStorage::save_snapshot(raft::Index index, raft::Term term, const std::string& data) {
  if (fail_writes_) return kInjected;
  if (snapshot_ && index <= snapshot_->index) {
    return "save_snapshot: index " + std::to_string(index) + " is not past the saved snapshot " +
           std::to_string(snapshot_->index);
  }
  snapshot_ = raft::Snapshot{index, term, data};
  drop_covered_by_snapshot(visible_, index, term);
  drop_covered_by_snapshot(synced_, index, term);
  return std::nullopt;
}

void MemoryStorage::crash() { visible_ = synced_; }

}  // namespace faultline::store
