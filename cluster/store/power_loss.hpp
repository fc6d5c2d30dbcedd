// A power loss, for a storage whose syncs lied: what survives it is what
// was really synced, and nothing written after.
//
// When a member's disk starts lying (sync_failpoint.hpp), everything it had
// written was synced (the driver switches between Readies, each of which
// ends with its sync), so a copy of its data folder taken then is exactly
// what the disk holds durably, and stays so while every later sync is a lie.
// The copy goes to DIR.synced/ (a sibling of the data folder), each file and
// the folder really fsynced, then a COMPLETE marker. A power loss is then:
// the member's process is killed (the page cache would survive a process
// crash, not a power cut), and drop_unsynced(DIR) puts the copy back in
// place of the folder's files, as Jepsen's lazyfs drops its unsynced pages
// and leveldb's fault-injection Env truncates files to their synced size.
//
// The copy is discarded when the disk stops lying (every write is then
// synced for real) and when a member starts (a copy left by a crash that was
// not a power loss, or by a run killed in between, describes nothing).
//
// Error convention: as storage.hpp (an empty Error is success).
// Thread-safety: none; the caller owns the folder (the member's storage
// thread, or the drill runner once the member is dead).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "cluster/store/storage.hpp"

namespace faultline::store {

// DIR.synced, beside DIR.
std::filesystem::path synced_copy_dir(const std::filesystem::path& data_dir);

// Copies every regular file of `data_dir` into its synced copy, really
// syncing each, and marks the copy complete. Replaces an older copy.
Error save_synced_copy(const std::filesystem::path& data_dir);
// Removes the synced copy, if any.
void discard_synced_copy(const std::filesystem::path& data_dir);
// True when a complete synced copy exists.
bool has_synced_copy(const std::filesystem::path& data_dir);

struct DroppedFile {
  std::string name;
  std::uintmax_t bytes_before = 0;  // in the folder at the power loss
  std::uintmax_t bytes_after = 0;   // as last really synced (0: it did not exist)
};

struct PowerLossResult {
  bool restored = false;  // false: no synced copy, every write had been synced
  std::vector<DroppedFile> files;
  std::uintmax_t bytes_dropped = 0;  // sum over files of the bytes that did not survive
  std::string error;                 // non-empty: the folder may be half restored
};

// Replaces the files of `data_dir` with its synced copy and removes the
// copy. The member must not be running.
PowerLossResult drop_unsynced(const std::filesystem::path& data_dir);

}  // namespace faultline::store
