#include "chaos/proxy/token_bucket.hpp"

#include <algorithm>

namespace faultline::proxy {

namespace {

// Tokens are kept in nanobytes (bytes * 1e9) so that refilling for `dt` ns at
// `rate` bytes/s is the exact integer dt * rate, and ready_at() is exact.
constexpr std::uint64_t kNano = 1'000'000'000;

}  // namespace

std::uint64_t TokenBucket::burst_for(std::uint64_t rate) {
  return std::clamp<std::uint64_t>(rate / 50, 1, kMaxBurst);
}

TokenBucket::TokenBucket(std::uint64_t rate, std::int64_t now_ns) : last_ns_(now_ns) {
  set_rate(rate, now_ns);
  tokens_ = burst_ * kNano;
}

void TokenBucket::set_rate(std::uint64_t rate, std::int64_t now_ns) {
  refill(now_ns);
  rate_ = rate;
  burst_ = rate == 0 ? 0 : burst_for(rate);
  grain_ = std::min(burst_, kMaxGrain);
  tokens_ = std::min(tokens_, burst_ * kNano);
}

void TokenBucket::refill(std::int64_t now_ns) {
  if (now_ns <= last_ns_) return;
  const auto dt = static_cast<std::uint64_t>(now_ns - last_ns_);
  last_ns_ = now_ns;
  if (rate_ == 0) return;
  const std::uint64_t full = burst_ * kNano;
  // A gap longer than the time to fill up would overflow dt * rate.
  if (dt >= full / rate_ + 1) {
    tokens_ = full;
  } else {
    tokens_ = std::min(full, tokens_ + dt * rate_);
  }
}

double TokenBucket::tokens(std::int64_t now_ns) const {
  TokenBucket copy = *this;
  copy.refill(now_ns);
  return static_cast<double>(copy.tokens_) / static_cast<double>(kNano);
}

std::uint64_t TokenBucket::take(std::int64_t now_ns, std::uint64_t want) {
  if (rate_ == 0) return want;
  refill(now_ns);
  const std::uint64_t held = tokens_ / kNano;
  if (want == 0 || held < std::min(want, grain_)) return 0;
  const std::uint64_t granted = std::min(want, held);
  tokens_ -= granted * kNano;
  return granted;
}

std::int64_t TokenBucket::ready_at(std::int64_t now_ns, std::uint64_t want) const {
  if (rate_ == 0 || want == 0) return now_ns;
  TokenBucket copy = *this;
  copy.refill(now_ns);
  const std::uint64_t need = std::min(want, grain_) * kNano;
  if (copy.tokens_ >= need) return now_ns;
  const std::uint64_t wait_ns = (need - copy.tokens_ + rate_ - 1) / rate_;
  return std::max(now_ns, copy.last_ns_) + static_cast<std::int64_t>(wait_ns);
}

}  // namespace faultline::proxy
