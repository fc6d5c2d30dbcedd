// The failure detectors, fed arrival times: each suspects exactly when its
// rule says, jitter widens the adaptive bound, and a latency spike shorter
// than that bound passes unsuspected where a short fixed timeout trips.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>

#include "cluster/coordinator/failure_detector.hpp"

namespace faultline::coordinator {
namespace {

DetectorSettings adaptive(std::int64_t node_timeout_ms = 3000) {
  DetectorSettings s;
  s.kind = DetectorKind::adaptive;
  s.node_timeout_ms = node_timeout_ms;
  s.k = 3;
  s.misses = 3;
  s.window = 100;
  s.min_samples = 10;
  return s;
}

DetectorSettings fixed(std::int64_t node_timeout_ms) {
  DetectorSettings s;
  s.kind = DetectorKind::fixed;
  s.node_timeout_ms = node_timeout_ms;
  return s;
}

// Heartbeats every `interval` ms from t=0, `count` of them; returns the last.
std::int64_t feed_steady(FailureDetector& d, int count, std::int64_t interval) {
  std::int64_t t = 0;
  for (int i = 0; i < count; ++i, t += interval) d.heartbeat(t);
  return t - interval;
}

TEST(FailureDetector, NothingIsSuspectedBeforeTheFirstHeartbeat) {
  const FailureDetector d(adaptive());
  EXPECT_FALSE(d.suspected(1'000'000));
}

TEST(FailureDetector, FixedSuspectsExactlyAfterNodeTimeout) {
  FailureDetector d(fixed(500));
  d.heartbeat(1000);
  EXPECT_EQ(d.bound_ms(), 500);
  EXPECT_FALSE(d.suspected(1500));
  EXPECT_TRUE(d.suspected(1501));
  d.heartbeat(1600);
  EXPECT_FALSE(d.suspected(1700));
}

TEST(FailureDetector, AdaptiveFallsBackToNodeTimeoutUntilItHasEnoughSamples) {
  FailureDetector d(adaptive(3000));
  const std::int64_t last = feed_steady(d, 10, 100);  // 9 intervals: one short of min_samples
  EXPECT_EQ(d.samples(), 9u);
  EXPECT_EQ(d.bound_ms(), 3000);
  EXPECT_FALSE(d.suspected(last + 3000));
  EXPECT_TRUE(d.suspected(last + 3001));
  d.heartbeat(last + 100);  // the tenth interval
  EXPECT_EQ(d.bound_ms(), 300);
}

TEST(FailureDetector, OnASteadyLinkTheMissesGuardIsTheBound) {
  FailureDetector d(adaptive());
  const std::int64_t last = feed_steady(d, 50, 100);
  EXPECT_DOUBLE_EQ(d.mean_ms(), 100.0);
  EXPECT_DOUBLE_EQ(d.stddev_ms(), 0.0);
  EXPECT_EQ(d.bound_ms(), 300);  // 3 missed heartbeats of 100 ms
  EXPECT_FALSE(d.suspected(last + 300));
  EXPECT_TRUE(d.suspected(last + 301));
}

TEST(FailureDetector, JitteryArrivalsWidenTheBoundBeyondTheMissesGuard) {
  FailureDetector d(adaptive());
  // 100 ms on average, alternately 20 and 180 ms apart: stddev ~80 ms.
  std::int64_t t = 0;
  for (int i = 0; i < 61; ++i) {
    d.heartbeat(t);
    t += i % 2 == 0 ? 20 : 180;
  }
  EXPECT_NEAR(d.mean_ms(), 100.0, 1.0);
  EXPECT_GT(d.stddev_ms(), 75.0);
  EXPECT_GT(d.bound_ms(), 300);  // mean + 3 * ~80 ms > 3 * 100 ms
  EXPECT_LE(d.bound_ms(), 100 + 3 * 82);
}

TEST(FailureDetector, TheBoundNeverExceedsNodeTimeout) {
  FailureDetector d(adaptive(400));
  std::int64_t t = 0;
  for (int i = 0; i < 60; ++i) {
    d.heartbeat(t);
    t += i % 2 == 0 ? 10 : 390;
  }
  EXPECT_EQ(d.bound_ms(), 400);
}

TEST(FailureDetector, AnOutageLongerThanNodeTimeoutIsNotLearned) {
  FailureDetector d(adaptive(1000));
  const std::int64_t last = feed_steady(d, 30, 100);
  d.heartbeat(last + 5000);  // back after a long pause
  EXPECT_EQ(d.samples(), 29u);
  EXPECT_EQ(d.bound_ms(), 300);
}

TEST(FailureDetector, ResetForgetsTheWindow) {
  FailureDetector d(adaptive(2000));
  feed_steady(d, 30, 100);
  d.reset();
  EXPECT_EQ(d.samples(), 0u);
  EXPECT_FALSE(d.last_ms().has_value());
  EXPECT_EQ(d.bound_ms(), 2000);
}

// The drill's scenario in miniature: heartbeats every 100 ms with a little
// jitter, then every message is held back 150 ms more from one instant on.
// The first late heartbeat comes ~250 ms after the one before: past a fixed
// 200 ms timeout, inside the adaptive bound (3 missed heartbeats, 300 ms).
TEST(FailureDetector, ALatencySpikeShorterThanTheBoundIsNoFailureForAdaptiveButIsForAShortFixedTimeout) {
  FailureDetector fast_fixed(fixed(200));
  FailureDetector learned(adaptive(3000));
  std::mt19937 rng(7);
  std::normal_distribution<double> jitter(0.0, 3.0);
  bool fixed_suspected = false;
  bool adaptive_suspected = false;
  std::int64_t previous = -1;
  for (int i = 0; i < 80; ++i) {
    const std::int64_t sent = i * 100;
    const std::int64_t delay = (i >= 40 ? 150 : 0) + static_cast<std::int64_t>(std::abs(jitter(rng)));
    const std::int64_t arrival = std::max(previous, sent + delay);
    // Ask both detectors every millisecond of the silence before this arrival.
    for (std::int64_t t = previous < 0 ? arrival : previous; t < arrival; ++t) {
      fixed_suspected = fixed_suspected || fast_fixed.suspected(t);
      adaptive_suspected = adaptive_suspected || learned.suspected(t);
    }
    fast_fixed.heartbeat(arrival);
    learned.heartbeat(arrival);
    previous = arrival;
  }
  EXPECT_TRUE(fixed_suspected);
  EXPECT_FALSE(adaptive_suspected);
  // A real failure is still caught, 3 heartbeats after the last one.
  EXPECT_TRUE(learned.suspected(previous + learned.bound_ms() + 1));
  EXPECT_LT(learned.bound_ms(), 3000);
}

}  // namespace
}  // namespace faultline::coordinator
