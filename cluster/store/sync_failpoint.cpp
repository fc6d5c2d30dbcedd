#include "cluster/store/sync_failpoint.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "cluster/store/power_loss.hpp"

namespace faultline::store {

const char* to_string(DiskMode mode) {
  switch (mode) {
    case DiskMode::off: return "off";
    case DiskMode::slow_fsync: return "slow_fsync";
    case DiskMode::fail_fsync: return "fail_fsync";
    case DiskMode::lying_fsync: return "lying_fsync";
  }
  return "off";
}

int SyncFailpoint::sync(int fd, SyncKind kind) {
  const auto start = std::chrono::steady_clock::now();
  const DiskMode mode = mode_.load();
  int result = 0;
  switch (mode) {
    case DiskMode::off:
      result = real_.sync(fd, kind);
      break;
    case DiskMode::slow_fsync:
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms_.load()));
      result = real_.sync(fd, kind);
      break;
    case DiskMode::fail_fsync:
      result = EIO;
      break;
    case DiskMode::lying_fsync:
      result = 0;
      break;
  }
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::lock_guard lock(mu_);
  ++syncs_;
  if (mode == DiskMode::fail_fsync) ++failed_;
  if (mode == DiskMode::lying_fsync) ++lied_;
  if (mode_.load() == mode) {
    ++in_mode_;
    total_in_mode_ms_ += ms;
    max_in_mode_ms_ = std::max(max_in_mode_ms_, ms);
  }
  return result;
}

void SyncFailpoint::reset_figures_locked() {
  in_mode_ = 0;
  total_in_mode_ms_ = 0;
  max_in_mode_ms_ = 0;
}

void SyncFailpoint::set_slow(std::int64_t delay_ms) {
  std::lock_guard lock(mu_);
  delay_ms_ = delay_ms;
  mode_ = DiskMode::slow_fsync;
  reset_figures_locked();
}

void SyncFailpoint::set_fail() {
  std::lock_guard lock(mu_);
  mode_ = DiskMode::fail_fsync;
  reset_figures_locked();
}

Error SyncFailpoint::start_lying(const std::filesystem::path& data_dir) {
  if (mode_.load() == DiskMode::lying_fsync) return std::nullopt;
  if (auto err = save_synced_copy(data_dir)) return "cannot keep the durable state: " + *err;
  std::lock_guard lock(mu_);
  mode_ = DiskMode::lying_fsync;
  reset_figures_locked();
  return std::nullopt;
}

Error SyncFailpoint::clear(const std::filesystem::path& data_dir) {
  if (mode_.load() == DiskMode::lying_fsync) {
    // Everything written while the disk lied becomes durable now, before
    // the copy that stood for the durable state goes.
    const int fd = ::open(data_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return "cannot open " + data_dir.string() + ": " + std::strerror(errno);
    const int rc = ::syncfs(fd);
    const int error = errno;
    ::close(fd);
    if (rc != 0) return "cannot sync " + data_dir.string() + ": " + std::strerror(error);
    discard_synced_copy(data_dir);
  }
  std::lock_guard lock(mu_);
  mode_ = DiskMode::off;
  delay_ms_ = 0;
  reset_figures_locked();
  return std::nullopt;
}

SyncStats SyncFailpoint::stats() const {
  std::lock_guard lock(mu_);
  SyncStats s;
  s.mode = mode_.load();
  s.delay_ms = delay_ms_.load();
  s.syncs = syncs_;
  s.failed = failed_;
  s.lied = lied_;
  s.syncs_in_mode = in_mode_;
  s.mean_ms = in_mode_ == 0 ? 0 : total_in_mode_ms_ / static_cast<double>(in_mode_);
  s.max_ms = max_in_mode_ms_;
  return s;
}

}  // namespace faultline::store
