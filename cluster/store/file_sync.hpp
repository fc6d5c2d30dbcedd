// The sync seam of FileStorage: every fsync and fdatasync it needs goes
// through a FileSync passed in, so that a failpoint can delay them, fail
// them, or lie about them (sync_failpoint.hpp), as leveldb's fault-injection
// Env and Jepsen's lazyfs do below a database. Writes and reads go to the
// file system directly: what a disk fault changes is when data becomes
// durable, and whether the member is told the truth about it.
//
// Thread-safety: implementations may be called from any thread.
#pragma once

namespace faultline::store {

enum class SyncKind {
  data,       // fdatasync: the file's data (the log's appends)
  full,       // fsync: data and metadata (a replaced file, a cut tail)
  directory,  // fsync of a directory: a rename or a new file in it
};

class FileSync {
 public:
  virtual ~FileSync() = default;
  // Makes what was written to `fd` durable. Returns 0, or the errno value
  // of the failure (EIO when the disk fails).
  virtual int sync(int fd, SyncKind kind) = 0;
};

// The real thing: fdatasync(2) or fsync(2).
FileSync& real_file_sync();

}  // namespace faultline::store
