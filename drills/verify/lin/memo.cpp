#include "drills/verify/lin/memo.hpp"

#include <cstring>

namespace faultline::lin {

bool MemoryBudget::reserve(std::size_t bytes) {
  std::size_t used = used_.load(std::memory_order_relaxed);
  do {
    if (bytes > limit_ || used > limit_ - bytes) return false;
  } while (!used_.compare_exchange_weak(used, used + bytes, std::memory_order_relaxed));
  std::size_t now = used + bytes;
  std::size_t peak = peak_.load(std::memory_order_relaxed);
  while (now > peak && !peak_.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
  return true;
}

MemoSet::MemoSet(std::size_t words, MemoryBudget& budget)
    : words_(words == 0 ? 1 : words), stride_(kHeader + words_), budget_(budget) {}

MemoSet::~MemoSet() { budget_.release(reserved_); }

bool MemoSet::grow_table() {
  const std::size_t cap = slots_.empty() ? 4096 : slots_.size() * 2;
  const std::size_t bytes = cap * sizeof(Slot);
  if (!budget_.reserve(bytes)) return false;
  const std::size_t old_bytes = slots_.size() * sizeof(Slot);
  slots_.assign(cap, Slot{0, kEmpty});
  mask_ = cap - 1;
  // Records are read in order, so rebuilding streams through memory.
  for (std::size_t e = 0; e < count_; ++e) {
    const auto entry = static_cast<std::uint32_t>(e);
    const std::uint64_t hash = record(entry)[0];
    std::size_t i = hash & mask_;
    while (slots_[i].entry != kEmpty) i = (i + 1) & mask_;
    slots_[i] = Slot{static_cast<std::uint32_t>(hash >> 32), entry};
  }
  budget_.release(old_bytes);
  reserved_ += bytes;
  reserved_ -= old_bytes;
  return true;
}

bool MemoSet::grow_records() {
  const std::size_t bytes = std::size_t{kChunkEntries} * stride_ * sizeof(std::uint64_t);
  if (chunks_.size() >= (std::size_t{kEmpty} >> kChunkShift) || !budget_.reserve(bytes)) return false;
  chunks_.emplace_back(new std::uint64_t[std::size_t{kChunkEntries} * stride_]);
  reserved_ += bytes;
  return true;
}

MemoSet::Insert MemoSet::insert(std::uint64_t hash, std::uint32_t state, const std::uint64_t* bits) {
  // Load factor at most 1/2 keeps probe sequences short.
  if ((count_ + 1) * 2 > slots_.size() && !grow_table()) return Insert::OutOfMemory;
  const auto tag = static_cast<std::uint32_t>(hash >> 32);
  std::size_t i = hash & mask_;
  while (slots_[i].entry != kEmpty) {
    const Slot& s = slots_[i];
    if (s.tag == tag) {
      const std::uint64_t* r = record(s.entry);
      if (r[0] == hash && r[1] == state && std::memcmp(r + kHeader, bits, words_ * sizeof(std::uint64_t)) == 0) {
        return Insert::Present;
      }
    }
    i = (i + 1) & mask_;
  }
  if (count_ == chunks_.size() * kChunkEntries && !grow_records()) return Insert::OutOfMemory;
  const auto entry = static_cast<std::uint32_t>(count_);
  std::uint64_t* r = record(entry);
  r[0] = hash;
  r[1] = state;
  std::memcpy(r + kHeader, bits, words_ * sizeof(std::uint64_t));
  slots_[i] = Slot{tag, entry};
  ++count_;
  return Insert::Added;
}

}  // namespace faultline::lin
