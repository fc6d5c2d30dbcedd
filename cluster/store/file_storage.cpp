#include "cluster/store/file_storage.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "cluster/store/record.hpp"

namespace faultline::store {

namespace {

std::string os_error(const std::string& what, const std::filesystem::path& path) {
  return what + " " + path.string() + ": " + std::strerror(errno);
}

std::string sync_error(const std::filesystem::path& path, int error) {
  return "cannot fsync " + path.string() + ": " + std::strerror(error);
}

// At the file offset `at`, or at the current position when `at` is negative.
Error write_all(int fd, std::string_view bytes, const std::filesystem::path& path, off_t at = -1) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = at < 0 ? ::write(fd, bytes.data() + done, bytes.size() - done)
                             : ::pwrite(fd, bytes.data() + done, bytes.size() - done,
                                        at + static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return os_error("cannot write", path);
    done += static_cast<std::size_t>(n);
  }
  return std::nullopt;
}

Error fsync_path(FileSync& sync, const std::filesystem::path& path, int flags, SyncKind kind) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return os_error("cannot open", path);
  Error err;
  if (const int e = sync.sync(fd, kind); e != 0) err = sync_error(path, e);
  ::close(fd);
  return err;
}

std::optional<std::string> read_file(const std::filesystem::path& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) error = "cannot read " + path.string();
  return buffer.str();
}

// Writes `bytes` to `path` atomically: a crash leaves the old or the new file.
Error replace_file(FileSync& sync, const std::filesystem::path& path, std::string_view bytes) {
  auto tmp = path;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return os_error("cannot create", tmp);
  Error err = write_all(fd, bytes, tmp);
  if (!err) {
    if (const int e = sync.sync(fd, SyncKind::full); e != 0) err = sync_error(tmp, e);
  }
  ::close(fd);
  if (err) return err;
  if (::rename(tmp.c_str(), path.c_str()) != 0) return os_error("cannot rename to", path);
  return fsync_path(sync, path.parent_path(), O_RDONLY | O_DIRECTORY, SyncKind::directory);
}

struct Replayed {
  raft::Index base = 0;  // from a leading base record; 0 for an uncompacted log
  std::vector<raft::Entry> log;
  std::string problem;  // non-empty: the log is not trustworthy
};

// Replays intact log records into the entries they leave.
Replayed replay(const Scan& s, const std::filesystem::path& path) {
  Replayed out;
  for (std::size_t i = 0; i < s.frames.size(); ++i) {
    const Frame& f = s.frames[i];
    auto record = decode_log_record(f.payload);
    std::string problem;
    const raft::Index last = out.log.empty() ? out.base : out.log.back().index;
    if (!record) {
      problem = "undecodable record";
    } else if (record->type == RecordType::base) {
      if (i != 0) problem = "base record not at the start";
      out.base = record->base;
    } else if (record->type == RecordType::truncate) {
      if (record->truncate_from == 0) problem = "truncate marker from index 0";
      const raft::Index from = record->truncate_from;
      std::erase_if(out.log, [from](const raft::Entry& e) { return e.index >= from; });
    } else if (record->entry.index != last + 1) {
      problem = "entry index " + std::to_string(record->entry.index) + " does not follow " +
                std::to_string(last);
    } else {
      out.log.push_back(std::move(record->entry));
    }
    if (!problem.empty()) {
      out.problem = path.string() + " at offset " + std::to_string(f.offset) + ": " + problem;
      return out;
    }
  }
  return out;
}

}  // namespace

FileStorage::FileStorage(std::filesystem::path dir, FileSync& sync) : dir_(std::move(dir)), sync_(sync) {}

FileStorage::~FileStorage() {
  if (log_fd_ >= 0) ::close(log_fd_);
  if (commit_fd_ >= 0) ::close(commit_fd_);
}

Error FileStorage::save_hard_state(const raft::HardState& hard) {
  if (durable_term_vote_ && durable_term_vote_->term == hard.term &&
      durable_term_vote_->voted_for == hard.voted_for) {
    return save_commit(hard);
  }
  if (auto err = replace_file(sync_, hard_state_path(), frame(encode_hard_state(hard)))) return err;
  durable_term_vote_ = hard;
  return save_commit(hard);
}

Error FileStorage::save_commit(const raft::HardState& hard) {
  // One small overwrite in place, without fsync: the commit index is a hint
  // that saves replay work and keeps the reported commit index from going
  // back across a process restart. A power loss may leave it stale or torn;
  // load() then falls back to the hard state's own commit, which is safe.
  if (commit_fd_ < 0) {
    commit_fd_ = ::open(commit_path().c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (commit_fd_ < 0) return os_error("cannot open", commit_path());
  }
  return write_all(commit_fd_, frame(encode_hard_state(hard)), commit_path(), 0);
}

Error FileStorage::rewrite_log(raft::Index base, const std::vector<raft::Entry>& suffix) {
  std::string bytes = frame(encode_base(base));
  for (const raft::Entry& e : suffix) bytes += frame(encode_entry(e));
  if (log_fd_ >= 0) {
    ::close(log_fd_);
    log_fd_ = -1;
  }
  if (auto err = replace_file(sync_, log_path(), bytes)) return err;
  log_fd_ = ::open(log_path().c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd_ < 0) return os_error("cannot open", log_path());
  base_ = base;
  last_index_ = suffix.empty() ? base : suffix.back().index;
  return std::nullopt;
}

Error FileStorage::save_snapshot(raft::Index index, raft::Term term, const std::string& data) {
  if (log_fd_ < 0) return "log " + log_path().string() + " is not open: call load() first";
  if (index <= base_) {
    return "save_snapshot: index " + std::to_string(index) + " is not past the saved snapshot " +
           std::to_string(base_);
  }
  // The snapshot becomes durable first: a crash before the log is rewritten
  // leaves a log that load() compacts against it.
  if (auto err = replace_file(sync_, snapshot_path(), frame(encode_snapshot({index, term, data})))) {
    return err;
  }
  std::string read_error;
  const std::string bytes = read_file(log_path(), read_error).value_or("");
  if (!read_error.empty()) return read_error;
  Replayed r = replay(scan(bytes), log_path());
  if (!r.problem.empty()) return r.problem;
  drop_covered_by_snapshot(r.log, index, term);
  return rewrite_log(index, r.log);
}

Error FileStorage::write_log(const std::string& bytes) {
  if (log_fd_ < 0) return "log " + log_path().string() + " is not open: call load() first";
  return write_all(log_fd_, bytes, log_path());
}

Error FileStorage::truncate_from(raft::Index from) {
  if (from == 0) return "truncate_from(0): log indexes start at 1";
  if (from > last_index_) return std::nullopt;
  if (auto err = write_log(frame(encode_truncate(from)))) return err;
  last_index_ = std::max(from - 1, base_);
  return std::nullopt;
}

Error FileStorage::append(const std::vector<raft::Entry>& entries) {
  std::string bytes;
  raft::Index next = last_index_ + 1;
  for (const raft::Entry& e : entries) {
    if (e.index != next) {
      return "append to " + log_path().string() + ": entry index " + std::to_string(e.index) +
             " does not follow " + std::to_string(next - 1);
    }
    bytes += frame(encode_entry(e));
    ++next;
  }
  if (auto err = write_log(bytes)) return err;
  last_index_ = next - 1;
  return std::nullopt;
}

Error FileStorage::sync() {
  if (log_fd_ < 0) return "log " + log_path().string() + " is not open: call load() first";
  if (const int e = sync_.sync(log_fd_, SyncKind::data); e != 0) return sync_error(log_path(), e);
  return std::nullopt;
}

Recovered FileStorage::load() {
  Recovered out;
  if (log_fd_ >= 0) {
    ::close(log_fd_);
    log_fd_ = -1;
  }
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) {
    out.error = "cannot create " + dir_.string() + ": " + ec.message();
    return out;
  }
  std::string read_error;
  if (auto bytes = read_file(hard_state_path(), read_error)) {
    Scan s = scan(*bytes);
    std::optional<raft::HardState> hard;
    if (s.frames.size() == 1 && s.valid_bytes == bytes->size()) {
      hard = decode_hard_state(s.frames[0].payload);
    }
    if (!hard) {
      out.error = "corrupt hard state in " + hard_state_path().string() +
                  "; refusing to start (a lost vote could be cast twice)";
      return out;
    }
    out.hard = *hard;
    durable_term_vote_ = *hard;
  }
  if (auto bytes = read_file(commit_path(), read_error)) {
    // The commit hint counts only when it is intact and of the same term and
    // vote as the durable hard state (it is written after it).
    Scan s = scan(*bytes);
    std::optional<raft::HardState> hint;
    if (s.frames.size() == 1 && s.valid_bytes == bytes->size()) {
      hint = decode_hard_state(s.frames[0].payload);
    }
    if (hint && hint->term == out.hard.term && hint->voted_for == out.hard.voted_for) {
      out.hard.commit = std::max(out.hard.commit, hint->commit);
    }
  }

  std::optional<raft::Snapshot> snapshot;
  if (auto bytes = read_file(snapshot_path(), read_error)) {
    Scan s = scan(*bytes);
    if (s.frames.size() == 1 && s.valid_bytes == bytes->size()) {
      snapshot = decode_snapshot(s.frames[0].payload);
    }
    if (!snapshot) {
      // Its entries are gone from the log; there is nothing to fall back to.
      out.error = "corrupt snapshot in " + snapshot_path().string() + "; refusing to start";
      return out;
    }
  }

  auto log_bytes = read_file(log_path(), read_error).value_or("");
  if (!read_error.empty()) {
    out.error = read_error;
    return out;
  }
  Scan s = scan(log_bytes);
  Replayed r = replay(s, log_path());
  if (!r.problem.empty()) {
    out.error = r.problem;
    return out;
  }
  out.log = std::move(r.log);
  const raft::Index snapshot_index = snapshot ? snapshot->index : 0;
  if (r.base > snapshot_index) {
    out.error = log_path().string() + " starts after index " + std::to_string(r.base) +
                " but the snapshot covers only up to " + std::to_string(snapshot_index);
    return out;
  }
  out.bytes_dropped_from_torn_tail = log_bytes.size() - s.valid_bytes;

  log_fd_ = ::open(log_path().c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd_ < 0) {
    out.error = os_error("cannot open", log_path());
    return out;
  }
  if (out.bytes_dropped_from_torn_tail > 0) {
    // Cut the torn tail now, or the next append would land behind garbage.
    if (::ftruncate(log_fd_, static_cast<off_t>(s.valid_bytes)) != 0) {
      out.error = os_error("cannot cut the torn tail of", log_path());
      return out;
    }
    if (const int e = sync_.sync(log_fd_, SyncKind::full); e != 0) {
      out.error = sync_error(log_path(), e);
      return out;
    }
  }
  if (auto err = fsync_path(sync_, dir_, O_RDONLY | O_DIRECTORY, SyncKind::directory)) {
    out.error = *err;
    return out;
  }
  base_ = r.base;
  last_index_ = out.log.empty() ? r.base : out.log.back().index;
  if (snapshot && snapshot->index > r.base) {
    // The crash came between saving the snapshot and rewriting the log:
    // finish the compaction now so later appends continue the snapshot.
    drop_covered_by_snapshot(out.log, snapshot->index, snapshot->term);
    if (auto err = rewrite_log(snapshot->index, out.log)) {
      out.error = *err;
      return out;
    }
  }
  out.snapshot = std::move(snapshot);
  return out;
}

}  // namespace faultline::store

namespace faultline::store {
namespace {

class RealFileSync final : public FileSync {
 public:
  int sync(int fd, SyncKind kind) override {
    const int rc = kind == SyncKind::data ? ::fdatasync(fd) : ::fsync(fd);
    return rc == 0 ? 0 : errno;
  }
};

}  // namespace

FileSync& real_file_sync() {
  static RealFileSync sync;
  return sync;
}

}  // namespace faultline::store
