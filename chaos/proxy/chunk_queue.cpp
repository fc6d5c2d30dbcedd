#include "chaos/proxy/chunk_queue.hpp"

namespace faultline::proxy {

ChunkQueue::ChunkQueue(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

std::int64_t ChunkQueue::push(std::uint64_t end, std::int64_t arrival_ns, std::int64_t sample_ns) {
  if (entries_.empty()) entries_.resize(capacity_);
  const std::int64_t due = due_of(last_due_, arrival_ns, sample_ns);
  entries_[(first_ + size_) % capacity_] = Entry{end, due};
  ++size_;
  last_due_ = due;
  return due;
}

std::uint64_t ChunkQueue::release_due(std::int64_t now_ns, std::uint64_t released) {
  while (size_ > 0 && entries_[first_].due <= now_ns) {
    released = entries_[first_].end;
    first_ = (first_ + 1) % capacity_;
    --size_;
  }
  return released;
}

}  // namespace faultline::proxy
