#include "cluster/util/clock.hpp"

#include <time.h>

#include <cmath>

namespace faultline::util {
namespace {

// Floor division: a clock stepped below zero still reads whole ms.
std::int64_t floor_ms(std::int64_t ns) {
  std::int64_t ms = ns / 1'000'000;
  if (ns < 0 && ns % 1'000'000 != 0) --ms;
  return ms;
}

}  // namespace

ClockReading MonotonicClock::read() const {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  const std::int64_t ns = static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
  return {ns / 1'000'000, ns};
}

const MonotonicClock& monotonic_clock() {
  static const MonotonicClock clock;
  return clock;
}

ClockReading ManualClock::read() const {
  const std::int64_t ns = ns_.load();
  return {ns / 1'000'000, ns};
}

std::int64_t SkewedClock::fake_ns_locked(std::int64_t true_ns) const {
  if (!skewed_) return true_ns;
  if (slew_end_true_ns_ != 0 && true_ns >= slew_end_true_ns_) return true_ns;
  const double elapsed = static_cast<double>(true_ns - anchor_true_ns_);
  return anchor_fake_ns_ + static_cast<std::int64_t>(std::llround(elapsed * rate_));
}

ClockReading SkewedClock::read() const {
  const std::int64_t true_ns = source_.true_ns();
  std::lock_guard lock(mu_);
  return {floor_ms(fake_ns_locked(true_ns)), true_ns};
}

void SkewedClock::set_offset(double offset_ms) {
  const std::int64_t true_ns = source_.true_ns();
  std::lock_guard lock(mu_);
  slew_end_true_ns_ = 0;
  anchor_true_ns_ = true_ns;
  anchor_fake_ns_ = true_ns + static_cast<std::int64_t>(std::llround(offset_ms * 1e6));
  rate_ = 1.0;
  skewed_ = true;
  mode_ = "offset";
  offset_ms_ = offset_ms;
  drift_pct_ = 0;
}

void SkewedClock::jump(double step_ms) {
  const std::int64_t true_ns = source_.true_ns();
  std::lock_guard lock(mu_);
  const std::int64_t fake = fake_ns_locked(true_ns);
  if (slew_end_true_ns_ != 0) rate_ = 1.0;  // a jump during a slew: the slew is over
  slew_end_true_ns_ = 0;
  anchor_true_ns_ = true_ns;
  anchor_fake_ns_ = fake + static_cast<std::int64_t>(std::llround(step_ms * 1e6));
  skewed_ = true;
  mode_ = "jump";
  offset_ms_ = step_ms;
}

void SkewedClock::set_drift(double drift_pct) {
  const std::int64_t true_ns = source_.true_ns();
  std::lock_guard lock(mu_);
  const std::int64_t fake = fake_ns_locked(true_ns);
  slew_end_true_ns_ = 0;
  anchor_true_ns_ = true_ns;
  anchor_fake_ns_ = fake;
  rate_ = 1.0 + drift_pct / 100.0;
  skewed_ = true;
  mode_ = "drift";
  drift_pct_ = drift_pct;
}

double SkewedClock::slew_back(double pct) {
  const std::int64_t true_ns = source_.true_ns();
  std::lock_guard lock(mu_);
  const std::int64_t fake = fake_ns_locked(true_ns);
  const double skew_ns = static_cast<double>(fake - true_ns);
  if (!skewed_ || skew_ns == 0 || pct <= 0) {
    skewed_ = false;
    rate_ = 1.0;
    slew_end_true_ns_ = 0;
    mode_ = "off";
    return 0;
  }
  const double fraction = pct / 100.0;
  anchor_true_ns_ = true_ns;
  anchor_fake_ns_ = fake;
  rate_ = skew_ns > 0 ? 1.0 - fraction : 1.0 + fraction;
  const double left_ns = std::fabs(skew_ns) / fraction;
  slew_end_true_ns_ = true_ns + static_cast<std::int64_t>(std::llround(left_ns));
  mode_ = "slew";
  drift_pct_ = (rate_ - 1.0) * 100.0;
  return left_ns / 1e6;
}

void SkewedClock::clear() {
  std::lock_guard lock(mu_);
  slew_end_true_ns_ = 0;
  skewed_ = false;
  rate_ = 1.0;
  mode_ = "off";
  offset_ms_ = 0;
  drift_pct_ = 0;
}

SkewState SkewedClock::state() const {
  const std::int64_t true_ns = source_.true_ns();
  std::lock_guard lock(mu_);
  SkewState s;
  s.mode = mode_;
  if (slew_end_true_ns_ != 0) {
    if (true_ns >= slew_end_true_ns_) {
      s.mode = "off";
    } else {
      s.slew_left_ms = static_cast<double>(slew_end_true_ns_ - true_ns) / 1e6;
    }
  }
  s.offset_ms = offset_ms_;
  s.drift_pct = drift_pct_;
  const std::int64_t fake = fake_ns_locked(true_ns);
  s.skew_ms = static_cast<double>(fake - true_ns) / 1e6;
  s.reading = {floor_ms(fake), true_ns};
  return s;
}

}  // namespace faultline::util
