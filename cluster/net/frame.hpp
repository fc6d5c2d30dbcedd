// Length-prefixed frames on a byte stream: a 4-byte big-endian payload
// length, then the payload. TCP delivers bytes, not messages; a reader
// collects them and cuts frames out as they complete.
//
// Thread-safety: FrameReader is a value owned by one reader thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace faultline::net {

// The largest payload a reader accepts by default. Raft's install_snapshot
// carries a snapshot of up to 64 MiB (the store's record limit) as a JSON
// string, and escaping at most doubles it; anything larger is corrupt.
inline constexpr std::size_t kMaxFrameBytes = 160u << 20;

// Appends the frame of `payload` to `out`. Payloads above 4 GiB - 1 cannot
// be framed; callers keep far below kMaxFrameBytes.
void append_frame(std::string& out, std::string_view payload);

class FrameReader {
 public:
  explicit FrameReader(std::size_t max_frame_bytes = kMaxFrameBytes) : max_(max_frame_bytes) {}

  // Bytes read from the stream, in order.
  void feed(const char* data, std::size_t size);

  enum class Next {
    frame,      // `payload` holds the next frame
    need_more,  // no complete frame buffered yet
    error,      // the stream is corrupt (`error` says why); discard the reader
  };
  Next next(std::string& payload, std::string& error);

  // Bytes of an incomplete frame: non-zero at the end of a stream means the
  // stream was torn inside a frame.
  std::size_t buffered() const { return buffer_.size() - start_; }

 private:
  const std::size_t max_;
  std::string buffer_;
  std::size_t start_ = 0;  // where the next frame begins in buffer_
};

}  // namespace faultline::net
