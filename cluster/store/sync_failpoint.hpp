// SyncFailpoint: a FileSync (file_sync.hpp) that does what a failing disk
// does, as etcd's gofail failpoints and leveldb's fault-injection Env do:
//
//   off          every sync is real
//   slow_fsync   every sync is real, after an added delay
//   fail_fsync   every sync fails with EIO and syncs nothing
//   lying_fsync  every sync returns success and syncs nothing; what the
//                disk holds durably is what it held when the lie began
//                (power_loss.hpp keeps a copy of that, so a later power
//                loss can drop everything since)
//
// It counts what it did and how long the syncs took, for the member's admin
// endpoint (how a drill confirms the fault: fsync latency, EIO returned,
// syncs lied about).
//
// Lying must start and stop where nothing written is unsynced (the
// coordinator switches between Readies): start_lying copies the folder as
// the durable state, stop_lying syncs the whole file system for real before
// it tells the truth again.
//
// Thread-safety: sync() from the storage thread; the setters and stats()
// from any thread (atomics and one mutex for the figures).
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>

#include "cluster/store/file_sync.hpp"
#include "cluster/store/storage.hpp"

namespace faultline::store {

enum class DiskMode { off, slow_fsync, fail_fsync, lying_fsync };
const char* to_string(DiskMode mode);

struct SyncStats {
  DiskMode mode = DiskMode::off;
  std::int64_t delay_ms = 0;       // slow_fsync's added delay
  std::uint64_t syncs = 0;         // every call, whatever its mode
  std::uint64_t failed = 0;        // answered EIO
  std::uint64_t lied = 0;          // answered success without syncing
  double mean_ms = 0;              // over the syncs since the mode last changed
  double max_ms = 0;
  std::uint64_t syncs_in_mode = 0;  // since the mode last changed
};

class SyncFailpoint final : public FileSync {
 public:
  explicit SyncFailpoint(FileSync& real = real_file_sync()) : real_(real) {}

  int sync(int fd, SyncKind kind) override;

  void set_slow(std::int64_t delay_ms);
  void set_fail();
  // Copies `data_dir` as its durable state (power_loss.hpp), then lies.
  Error start_lying(const std::filesystem::path& data_dir);
  // Back to real syncs (from any mode). Leaving lying_fsync syncs every
  // file system write for real first and discards the durable copy.
  Error clear(const std::filesystem::path& data_dir);
  DiskMode mode() const { return mode_.load(); }
  SyncStats stats() const;

 private:
  void reset_figures_locked();  // requires mu_

  FileSync& real_;
  std::atomic<DiskMode> mode_{DiskMode::off};
  std::atomic<std::int64_t> delay_ms_{0};
  mutable std::mutex mu_;
  // Figures, guarded by mu_.
  std::uint64_t syncs_ = 0;
  std::uint64_t failed_ = 0;
  std::uint64_t lied_ = 0;
  std::uint64_t in_mode_ = 0;
  double total_in_mode_ms_ = 0;
  double max_in_mode_ms_ = 0;
};

}  // namespace faultline::store
