// ChunkQueue: the chunks of one direction of one connection waiting for their
// due time, in arrival order. This is where the ordering rule lives:
//
//   due = max(previous chunk's due, arrival + sample)
//
// so a chunk never overtakes the one before it, whatever the jitter, and a
// chunk is held only as long as its own sample asks or the chunk before it
// forces. Chunks are not stored as bytes: each entry is the stream offset at
// which the chunk ends (the bytes wait in the connection's ByteRing) and its
// due time. Pure: times are nanoseconds on any monotonic scale.
//
// Capacity is fixed and its storage is allocated on the first push, so a
// connection that never sees latency never allocates it, and none of them
// allocates per chunk. A full queue means: stop reading until chunks go out.
//
// Thread-safety: none (one connection's strand owns it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace faultline::proxy {

class ChunkQueue {
 public:
  explicit ChunkQueue(std::size_t capacity);

  static std::int64_t due_of(std::int64_t previous_due, std::int64_t arrival_ns,
                             std::int64_t sample_ns) {
    const std::int64_t own = arrival_ns + sample_ns;
    return own > previous_due ? own : previous_due;
  }

  std::size_t capacity() const { return capacity_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  bool full() const { return size_ == capacity_; }

  // Queues a chunk that ends at stream offset `end` and arrived at
  // `arrival_ns` with a drawn delay of `sample_ns`; returns its due time.
  // Requires !full().
  std::int64_t push(std::uint64_t end, std::int64_t arrival_ns, std::int64_t sample_ns);

  // The due time the next chunk will be compared with: that of the last chunk
  // pushed (also after it left the queue).
  std::int64_t last_due() const { return last_due_; }

  // Due time of the oldest queued chunk. Requires !empty().
  std::int64_t next_due() const { return entries_[first_].due; }

  // Removes every chunk due at or before `now_ns` and returns the end offset
  // of the last one removed, or `released` when none is due.
  std::uint64_t release_due(std::int64_t now_ns, std::uint64_t released);

 private:
  struct Entry {
    std::uint64_t end;
    std::int64_t due;
  };
  std::size_t capacity_;
  std::vector<Entry> entries_;
  std::size_t first_ = 0;
  std::size_t size_ = 0;
  std::int64_t last_due_ = INT64_MIN;
};

}  // namespace faultline::proxy
