// ByteRing: the one buffer of one direction of a connection. Bytes are read
// from the source straight into its free space and written to the
// destination straight from it, so forwarding copies nothing beyond what the
// kernel does, and reading can go on while an earlier write is in flight.
//
// Positions are stream offsets (bytes since the connection began), never
// wrapped: head() is the first byte not yet written out, tail() one past the
// last byte stored. The spans returned are at most two (the free space or
// the data may wrap around the end of the storage) and feed readv/writev.
//
// Storage is allocated once, uninitialised, at construction.
// Thread-safety: none (one connection's strand owns it).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace faultline::proxy {

class ByteRing {
 public:
  struct Span {
    char* data = nullptr;
    std::size_t size = 0;
  };

  explicit ByteRing(std::size_t capacity)
      : capacity_(capacity == 0 ? 1 : capacity),
        storage_(std::make_unique_for_overwrite<char[]>(capacity_)) {}

  std::size_t capacity() const { return capacity_; }
  std::uint64_t head() const { return head_; }
  std::uint64_t tail() const { return tail_; }
  std::size_t size() const { return static_cast<std::size_t>(tail_ - head_); }
  std::size_t free() const { return capacity_ - size(); }
  bool empty() const { return head_ == tail_; }

  // The free space after tail(), in order.
  std::array<Span, 2> free_spans() const { return spans(tail_, free()); }

  // The `n` stored bytes from head(), in order. Requires n <= size().
  std::array<Span, 2> data_spans(std::size_t n) const { return spans(head_, n); }

  // Keeps `n` bytes just written into the free spans. Requires n <= free().
  void commit(std::size_t n) { tail_ += n; }
  // Drops `n` bytes from the front once written out. Requires n <= size().
  void consume(std::size_t n) { head_ += n; }

 private:
  std::array<Span, 2> spans(std::uint64_t from, std::size_t n) const {
    const auto at = static_cast<std::size_t>(from % capacity_);
    const std::size_t first = n < capacity_ - at ? n : capacity_ - at;
    return {Span{storage_.get() + at, first}, Span{storage_.get(), n - first}};
  }

  std::size_t capacity_;
  std::unique_ptr<char[]> storage_;
  std::uint64_t head_ = 0;
  std::uint64_t tail_ = 0;
};

}  // namespace faultline::proxy
