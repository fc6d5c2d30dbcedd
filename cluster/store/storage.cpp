#include "cluster/store/storage.hpp"

namespace faultline::store {

Error persist(Storage& storage, const raft::Ready& ready) {
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
