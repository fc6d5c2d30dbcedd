// The Clock seam: where a member's timers read the time.
//
// The Raft core takes time as an argument; the process that drives it reads
// it from a Clock passed in, never from a static function. MonotonicClock is
// the host's CLOCK_MONOTONIC. SkewedClock wraps another clock and can be made
// to lie, as a clock failpoint: an offset from the true time, a step (jump)
// at one instant, a rate (drift). Tests pass a ManualClock as the source.
//
// Every reading says both what the member believes (`now_ms`, which its
// timers use) and the true time of its source (`true_ns`): reports that
// another process places on its own timeline (role_since_mono_ns, read by the
// drill runner with CLOCK_MONOTONIC) carry the true time, so a skewed member
// is still placed where its events happened.
//
// Thread-safety: every method of every clock here may be called from any
// thread concurrently (SkewedClock serialises with a mutex).
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

namespace faultline::util {

struct ClockReading {
  std::int64_t now_ms = 0;   // the member's time (what its timers read)
  std::int64_t true_ns = 0;  // the source's true time at the same instant
};

class Clock {
 public:
  virtual ~Clock() = default;
  virtual ClockReading read() const = 0;
  std::int64_t now_ms() const { return read().now_ms; }
  std::int64_t true_ns() const { return read().true_ns; }
};

// CLOCK_MONOTONIC, shared by every process on the host.
class MonotonicClock final : public Clock {
 public:
  ClockReading read() const override;
};
const MonotonicClock& monotonic_clock();

// A clock that moves only when told (tests).
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::int64_t start_ns = 1'000'000'000) : ns_(start_ns) {}
  ClockReading read() const override;
  void advance_ms(std::int64_t ms) { ns_ += ms * 1'000'000; }

 private:
  std::atomic<std::int64_t> ns_;
};

// What a SkewedClock does now, for status reports.
struct SkewState {
  std::string mode = "off";  // off | offset | jump | drift | slew
  double slew_left_ms = 0;   // slew: true ms until the skew is gone
  double offset_ms = 0;      // the last offset or jump asked for
  double drift_pct = 0;      // the rate's excess over true time, in percent
  double skew_ms = 0;        // the member's time minus the true time, now
  ClockReading reading;
};

class SkewedClock final : public Clock {
 public:
  explicit SkewedClock(const Clock& source) : source_(source) {}
  ClockReading read() const override;

  // The member's time becomes the true time plus `offset_ms` from now on,
  // at the true rate (replaces any offset, jump or drift).
  void set_offset(double offset_ms);
  // The member's time steps by `step_ms` (forward or back) now and runs on
  // at the rate it had.
  void jump(double step_ms);
  // From now on the member's time runs at 1 + drift_pct/100 of the true
  // rate, continuously (no step at this instant).
  void set_drift(double drift_pct);
  // Back to the true time at the true rate: a step of minus the skew.
  void clear();
  // Back to the true time without a step, as NTP slews a clock: the clock
  // runs `pct` percent slower (when ahead) or faster (when behind) than the
  // true rate until the skew is gone, then at the true time and rate.
  // Returns how long that takes, in true ms.
  double slew_back(double pct);
  SkewState state() const;

 private:
  // Requires mu_. The member's time at `true_ns` in ns.
  std::int64_t fake_ns_locked(std::int64_t true_ns) const;

  const Clock& source_;
  mutable std::mutex mu_;
  // The member's time is anchor_fake_ns_ + (true - anchor_true_ns_) * rate_.
  std::int64_t anchor_true_ns_ = 0;  // guarded by mu_
  std::int64_t anchor_fake_ns_ = 0;  // guarded by mu_
  double rate_ = 1.0;                // guarded by mu_
  bool skewed_ = false;              // guarded by mu_; false: the true time
  // Slewing back: at this true instant the skew is gone and the clock is
  // the true one again. 0: not slewing. Guarded by mu_.
  std::int64_t slew_end_true_ns_ = 0;
  std::string mode_ = "off";         // guarded by mu_
  double offset_ms_ = 0;             // guarded by mu_
  double drift_pct_ = 0;             // guarded by mu_
};

}  // namespace faultline::util
