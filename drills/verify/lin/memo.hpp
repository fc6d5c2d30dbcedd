// The memo of configurations already explored: (set of linearized ops, model
// state) pairs, as in Lowe's refinement of Wing & Gong's algorithm. Bytes are
// counted against a MemoryBudget so that a hard history ends in `unknown`
// instead of exhausting the machine.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace faultline::lin {

// A byte budget shared by the searches running in parallel.
// Thread-safe: reserve/release may be called from any thread.
class MemoryBudget {
 public:
  explicit MemoryBudget(std::size_t limit_bytes) : limit_(limit_bytes) {}
  // Reserves `bytes`, or returns false and reserves nothing if that would
  // exceed the limit.
  bool reserve(std::size_t bytes);
  void release(std::size_t bytes) { used_.fetch_sub(bytes, std::memory_order_relaxed); }
  std::size_t limit() const { return limit_; }
  std::size_t peak() const { return peak_.load(std::memory_order_relaxed); }

 private:
  const std::size_t limit_;
  std::atomic<std::size_t> used_{0};
  std::atomic<std::size_t> peak_{0};
};

// Open-addressing hash set of (bitset, state), `words` 64-bit words a bitset.
// The caller supplies the hash (the search keeps a Zobrist hash of its bitset
// up to date in O(1) per step). The probed table holds only a hash tag and
// an entry number, 8 bytes a slot, so it stays small and cache friendly; the
// records (hash, state, bitset) sit in fixed chunks that never move.
// Not thread-safe: one per search.
class MemoSet {
 public:
  MemoSet(std::size_t words, MemoryBudget& budget);
  ~MemoSet();
  MemoSet(const MemoSet&) = delete;
  MemoSet& operator=(const MemoSet&) = delete;

  enum class Insert : std::uint8_t { Added, Present, OutOfMemory };
  Insert insert(std::uint64_t hash, std::uint32_t state, const std::uint64_t* bits);

  std::size_t size() const { return count_; }
  std::size_t bytes() const { return reserved_; }

 private:
  struct Slot {
    std::uint32_t tag;    // high bits of the hash
    std::uint32_t entry;  // record number; kEmpty when unused
  };
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFFu;
  static constexpr std::uint32_t kChunkShift = 12;
  static constexpr std::uint32_t kChunkEntries = 1u << kChunkShift;
  static constexpr std::size_t kHeader = 2;  // record words before the bitset: hash, state

  bool grow_table();
  bool grow_records();
  std::uint64_t* record(std::uint32_t entry) const {
    return chunks_[entry >> kChunkShift].get() + (entry & (kChunkEntries - 1)) * stride_;
  }

  std::size_t words_;
  std::size_t stride_;  // kHeader + words_
  MemoryBudget& budget_;
  std::size_t reserved_ = 0;
  std::size_t count_ = 0;
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::vector<std::unique_ptr<std::uint64_t[]>> chunks_;
};

}  // namespace faultline::lin
