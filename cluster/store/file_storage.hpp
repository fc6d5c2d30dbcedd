// FileStorage: a member's durable state in one directory.
//
//   DIR/hardstate      one checksummed record (see record.hpp), replaced
//                      atomically: write DIR/hardstate.tmp, fsync, rename, fsync DIR;
//                      rewritten only when the term or the vote changes
//   DIR/commit         the same record with the latest commit index, overwritten
//                      in place WITHOUT fsync on every save_hard_state. Raft
//                      needs term and vote durable, not the commit index (it is
//                      volatile state in the paper); keeping it here costs no
//                      fsync per commit and still survives a process crash, so
//                      a restarted member reports the commit index it had.
//   DIR/log            append-only checksummed records: entries and truncate
//                      markers; sync() fsyncs it. After a snapshot it is
//                      rewritten (log.tmp, fsync, rename, fsync DIR) to start
//                      with a base record followed by the entries after it.
//   DIR/snapshot       one checksummed record (index, term, data), replaced
//                      atomically like the hard state; at most 64 MiB
//
// Recovery (load) replays the log and stops at the first short or corrupt
// record, cuts the file there (a write torn by a crash) and reports how many
// bytes were dropped. A corrupt hard state is an error, not a torn tail: a
// lost vote could let the member vote twice in one term.
//
// Truncations only add markers; only save_snapshot compacts the log. A crash
// between saving the snapshot and rewriting the log is finished by load().
//
// Thread-safety: none; one owner serialises calls. Not for two processes at once.
#pragma once

#include <filesystem>
#include <optional>

#include "cluster/store/file_sync.hpp"
#include "cluster/store/storage.hpp"

namespace faultline::store {

class FileStorage final : public Storage {
 public:
  // Creates `dir` on load() if it does not exist. Every fsync goes through
  // `sync` (file_sync.hpp), which must outlive the storage.
  explicit FileStorage(std::filesystem::path dir, FileSync& sync = real_file_sync());
  ~FileStorage() override;
  FileStorage(const FileStorage&) = delete;
  FileStorage& operator=(const FileStorage&) = delete;

  Error save_hard_state(const raft::HardState& hard) override;
  Error truncate_from(raft::Index from) override;
  Error append(const std::vector<raft::Entry>& entries) override;
  Error sync() override;
  Recovered load() override;
  // Snapshot file first, then the compacted log; durable on return.
  Error save_snapshot(raft::Index index, raft::Term term, const std::string& data) override;

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path log_path() const { return dir_ / "log"; }
  std::filesystem::path hard_state_path() const { return dir_ / "hardstate"; }
  std::filesystem::path snapshot_path() const { return dir_ / "snapshot"; }
  std::filesystem::path commit_path() const { return dir_ / "commit"; }

 private:
  Error write_log(const std::string& bytes);
  // Replaces the log file with a base record and `suffix`, and reopens it.
  Error rewrite_log(raft::Index base, const std::vector<raft::Entry>& suffix);

  Error save_commit(const raft::HardState& hard);

  std::filesystem::path dir_;
  FileSync& sync_;
  int log_fd_ = -1;          // open for append after load()
  int commit_fd_ = -1;       // opened on the first save_commit
  // Term and vote as the hardstate file holds them (after load or a save).
  std::optional<raft::HardState> durable_term_vote_;
  raft::Index base_ = 0;  // the log continues the snapshot at this index
  raft::Index last_index_ = 0;
};

}  // namespace faultline::store
