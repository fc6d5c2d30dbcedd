// FileStorage: a member's durable state in one directory.
//
//   DIR/hardstate      one checksummed record (see record.hpp), replaced
//                      atomically: write DIR/hardstate.tmp, fsync, rename, fsync DIR
//   DIR/log            append-only checksummed records: entries and truncate
//                      markers; sync() fsyncs it
//
// Recovery (load) replays the log and stops at the first short or corrupt
// record, cuts the file there (a write torn by a crash) and reports how many
// bytes were dropped. A corrupt hard state is an error, not a torn tail: a
// lost vote could let the member vote twice in one term.
//
// The log file is never compacted; truncations only add markers.
//
// Thread-safety: none; one owner serialises calls. Not for two processes at once.
#pragma once

#include <filesystem>

#include "cluster/store/storage.hpp"

namespace faultline::store {

class FileStorage final : public Storage {
 public:
  // Creates `dir` on load() if it does not exist.
  explicit FileStorage(std::filesystem::path dir);
  ~FileStorage() override;
  FileStorage(const FileStorage&) = delete;
  FileStorage& operator=(const FileStorage&) = delete;

  Error save_hard_state(const raft::HardState& hard) override;
  Error truncate_from(raft::Index from) override;
  Error append(const std::vector<raft::Entry>& entries) override;
  Error sync() override;
  Recovered load() override;

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path log_path() const { return dir_ / "log"; }
  std::filesystem::path hard_state_path() const { return dir_ / "hardstate"; }

 private:
  Error write_log(const std::string& bytes);

  std::filesystem::path dir_;
  int log_fd_ = -1;          // open for append after load()
  raft::Index last_index_ = 0;
};

}  // namespace faultline::store
