#include "cluster/store/power_loss.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>

namespace faultline::store {
namespace {

namespace fs = std::filesystem;

constexpr const char* kComplete = "COMPLETE";

std::string os_error(const std::string& what, const fs::path& path) {
  return what + " " + path.string() + ": " + std::strerror(errno);
}

Error sync_path(const fs::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return os_error("cannot open", path);
  Error err;
  if (::fsync(fd) != 0) err = os_error("cannot fsync", path);
  ::close(fd);
  return err;
}

// Copies `from` to `to` and fsyncs `to` (real syncs: the copy is the truth).
Error copy_synced(const fs::path& from, const fs::path& to) {
  const int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return os_error("cannot open", from);
  const int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0) {
    ::close(in);
    return os_error("cannot create", to);
  }
  Error err;
  char buffer[64 * 1024];
  while (!err) {
    const ssize_t n = ::read(in, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) err = os_error("cannot read", from);
    if (n <= 0) break;
    for (ssize_t done = 0; done < n && !err;) {
      const ssize_t w = ::write(out, buffer + done, static_cast<std::size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) err = os_error("cannot write", to);
      if (w > 0) done += w;
    }
  }
  if (!err && ::fsync(out) != 0) err = os_error("cannot fsync", to);
  ::close(in);
  ::close(out);
  return err;
}

std::map<std::string, std::uintmax_t> regular_files(const fs::path& dir) {
  std::map<std::string, std::uintmax_t> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec)) out[entry.path().filename().string()] = entry.file_size(ec);
  }
  return out;
}

}  // namespace

fs::path synced_copy_dir(const fs::path& data_dir) {
  fs::path copy = data_dir;
  if (copy.filename().empty()) copy = copy.parent_path();
  copy += ".synced";
  return copy;
}

bool has_synced_copy(const fs::path& data_dir) {
  std::error_code ec;
  return fs::exists(synced_copy_dir(data_dir) / kComplete, ec);
}

void discard_synced_copy(const fs::path& data_dir) {
  std::error_code ec;
  fs::remove_all(synced_copy_dir(data_dir), ec);
}

Error save_synced_copy(const fs::path& data_dir) {
  const fs::path copy = synced_copy_dir(data_dir);
  discard_synced_copy(data_dir);
  std::error_code ec;
  fs::create_directories(copy, ec);
  if (ec) return "cannot create " + copy.string() + ": " + ec.message();
  for (const auto& [name, size] : regular_files(data_dir)) {
    if (auto err = copy_synced(data_dir / name, copy / name)) return err;
  }
  if (auto err = sync_path(copy, O_RDONLY | O_DIRECTORY)) return err;
  // The marker last: a copy without it is incomplete and never restored.
  const int fd = ::open((copy / kComplete).c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return os_error("cannot create", copy / kComplete);
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return os_error("cannot fsync", copy / kComplete);
  if (auto err = sync_path(copy, O_RDONLY | O_DIRECTORY)) return err;
  return sync_path(copy.parent_path(), O_RDONLY | O_DIRECTORY);
}

PowerLossResult drop_unsynced(const fs::path& data_dir) {
  PowerLossResult r;
  if (!has_synced_copy(data_dir)) return r;
  const fs::path copy = synced_copy_dir(data_dir);
  const auto before = regular_files(data_dir);
  auto after = regular_files(copy);
  after.erase(kComplete);
  std::error_code ec;
  for (const auto& [name, size] : before) {
    fs::remove(data_dir / name, ec);
    if (ec) {
      r.error = "cannot remove " + (data_dir / name).string() + ": " + ec.message();
      return r;
    }
  }
  for (const auto& [name, size] : after) {
    fs::rename(copy / name, data_dir / name, ec);
    if (ec) {
      r.error = "cannot restore " + (data_dir / name).string() + ": " + ec.message();
      return r;
    }
  }
  if (auto err = sync_path(data_dir, O_RDONLY | O_DIRECTORY)) {
    r.error = *err;
    return r;
  }
  discard_synced_copy(data_dir);
  r.restored = true;
  std::map<std::string, DroppedFile> files;
  for (const auto& [name, size] : before) files[name] = {name, size, 0};
  for (const auto& [name, size] : after) {
    files.try_emplace(name, DroppedFile{name, 0, 0});
    files[name].bytes_after = size;
  }
  for (const auto& [name, file] : files) {
    if (file.bytes_before > file.bytes_after) r.bytes_dropped += file.bytes_before - file.bytes_after;
    r.files.push_back(file);
  }
  return r;
}

}  // namespace faultline::store
