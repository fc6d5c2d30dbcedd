// On-disk record framing and payload encoding of the durable log.
//
// A file is a sequence of records:  u32 length | u32 crc32c(payload) | payload
// (little-endian). Payloads start with a one-byte type:
//   1 entry:      u64 term, u64 index, command bytes (the rest)
//   2 truncate:   u64 from   (drop entries with index >= from)
//   3 hard state: u64 term, u8 has_vote, u32 voted_for, u64 commit
//   4 base:       u64 index  (first record of a compacted log: entries start after it)
//   5 snapshot:   u64 index, u64 term, data bytes (the rest)
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cluster/raft/types.hpp"

namespace faultline::store {

inline constexpr std::size_t kRecordHeaderBytes = 8;
// Larger lengths are taken as corruption, not as a record to wait for.
inline constexpr std::uint32_t kMaxRecordBytes = 64U * 1024U * 1024U;

std::string frame(std::string_view payload);

struct Frame {
  std::uint64_t offset = 0;  // of the header
  std::string_view payload;
};

struct Scan {
  std::vector<Frame> frames;     // every intact record, in order
  std::uint64_t valid_bytes = 0;  // length of the intact prefix
  std::string stop_reason;        // why scanning stopped early; empty at a clean end
};

// Splits `data` into records, stopping at the first short or corrupt one.
// Frames point into `data`.
Scan scan(std::string_view data);

enum class RecordType : std::uint8_t {
  entry = 1,
  truncate = 2,
  hard_state = 3,
  base = 4,
  snapshot = 5
};

std::string encode_entry(const raft::Entry& entry);
std::string encode_truncate(raft::Index from);
std::string encode_hard_state(const raft::HardState& hard);
std::string encode_base(raft::Index base);
std::string encode_snapshot(const raft::Snapshot& snapshot);

struct LogRecord {
  RecordType type = RecordType::entry;
  raft::Entry entry;            // type == entry
  raft::Index truncate_from = 0;  // type == truncate
  raft::Index base = 0;           // type == base
};

std::optional<LogRecord> decode_log_record(std::string_view payload);
std::optional<raft::HardState> decode_hard_state(std::string_view payload);
std::optional<raft::Snapshot> decode_snapshot(std::string_view payload);

}  // namespace faultline::store
