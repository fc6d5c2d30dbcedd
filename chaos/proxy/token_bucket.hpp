// TokenBucket: the rate limit of one direction of a link. Tokens are bytes;
// they accrue at `rate` bytes a second up to `burst`, and a write may go out
// only with tokens taken for it. Pure: time comes in as nanoseconds on any
// monotonic scale, so the arithmetic is unit-tested without a clock.
//
// Burst: rate / 50 (20 ms of traffic), at least 1 byte and at most 64 KiB,
// so a slow link stays smooth and a fast one is not split into tiny writes.
// The bucket starts full. A grant is at most `want` and at most the tokens
// held, and is refused (0) while fewer than min(want, grain) tokens are held,
// grain = min(burst, 1 KiB), so that waiting writers wake to a useful amount
// instead of dribbling bytes; ready_at() says when that will be.
//
// Thread-safety: none; the link guards each bucket with a mutex because all
// connections of the link share it.
#pragma once

#include <cstdint>

namespace faultline::proxy {

class TokenBucket {
 public:
  static constexpr std::uint64_t kMaxBurst = 64 * 1024;
  static constexpr std::uint64_t kMaxGrain = 1024;

  // rate 0 = unlimited: take() grants everything, ready_at() is now.
  explicit TokenBucket(std::uint64_t rate_bytes_per_s = 0, std::int64_t now_ns = 0);

  // Changes the rate from `now_ns` on; tokens already held stay, capped at
  // the new burst.
  void set_rate(std::uint64_t rate_bytes_per_s, std::int64_t now_ns);

  std::uint64_t rate() const { return rate_; }
  std::uint64_t burst() const { return burst_; }
  std::uint64_t grain() const { return grain_; }
  // Tokens held at `now_ns` (after refill), in bytes, fractional.
  double tokens(std::int64_t now_ns) const;

  // Takes and returns the number of bytes that may be written now, in
  // [0, want].
  std::uint64_t take(std::int64_t now_ns, std::uint64_t want);

  // The earliest time at which take(want) grants something (now_ns if it
  // would grant now).
  std::int64_t ready_at(std::int64_t now_ns, std::uint64_t want) const;

  static std::uint64_t burst_for(std::uint64_t rate_bytes_per_s);

 private:
  void refill(std::int64_t now_ns);

  std::uint64_t rate_ = 0;
  std::uint64_t burst_ = 0;
  std::uint64_t grain_ = 0;
  std::uint64_t tokens_ = 0;  // nanobytes
  std::int64_t last_ns_ = 0;
};

}  // namespace faultline::proxy
