#include "cluster/store/storage.hpp"

#include <algorithm>

namespace faultline::store {

Error Storage::save_snapshot(raft::Index index, raft::Term term, const std::string& data) {
  (void)term;
  (void)data;
  return "this storage cannot keep snapshots (snapshot at index " + std::to_string(index) + ")";
}

void drop_covered_by_snapshot(std::vector<raft::Entry>& log, raft::Index index, raft::Term term) {
  auto at = std::find_if(log.begin(), log.end(),
                         [index](const raft::Entry& e) { return e.index == index; });
  if (at != log.end() && at->term == term) {
    log.erase(log.begin(), at + 1);
  } else if (at != log.end() || (!log.empty() && log.front().index <= index)) {
    // Disagrees with the snapshot at its index, or ends before it.
    log.clear();
  }
}

Error persist(Storage& storage, const raft::Ready& ready) {
  // The snapshot first: the truncation and appends that follow continue it.
  if (ready.snapshot) {
    const raft::Snapshot& snap = *ready.snapshot;
    if (auto err = storage.save_snapshot(snap.index, snap.term, snap.data)) return err;
  }
  if (ready.hard_state) {
    if (auto err = storage.save_hard_state(*ready.hard_state)) return err;
  }
  if (ready.truncate_from) {
    if (auto err = storage.truncate_from(*ready.truncate_from)) return err;
  }
  if (!ready.append.empty()) {
    if (auto err = storage.append(ready.append)) return err;
  }
  if (ready.truncate_from || !ready.append.empty()) return storage.sync();
  return std::nullopt;
}

}  // namespace faultline::store
