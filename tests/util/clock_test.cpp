// SkewedClock over a ManualClock: what each failpoint does to the member's
// time, and that the true time is always reported beside it.
#include "cluster/util/clock.hpp"

#include <gtest/gtest.h>

namespace faultline::util {
namespace {

TEST(SkewedClock, ReadsTheTrueTimeUntilSkewed) {
  ManualClock source;
  SkewedClock clock(source);
  EXPECT_EQ(clock.now_ms(), source.now_ms());
  EXPECT_EQ(clock.state().mode, "off");
}

TEST(SkewedClock, AnOffsetIsHeldAndTheTrueTimeStaysBesideIt) {
  ManualClock source;
  SkewedClock clock(source);
  clock.set_offset(5000);
  source.advance_ms(100);
  const ClockReading r = clock.read();
  EXPECT_EQ(r.now_ms, source.now_ms() + 5000);
  EXPECT_EQ(r.true_ns, source.true_ns());
  EXPECT_DOUBLE_EQ(clock.state().skew_ms, 5000);
  clock.set_offset(-200);  // absolute: replaces the earlier offset
  EXPECT_EQ(clock.now_ms(), source.now_ms() - 200);
}

TEST(SkewedClock, JumpsAddUpAndKeepTheRate) {
  ManualClock source;
  SkewedClock clock(source);
  clock.set_drift(100);
  source.advance_ms(1000);  // 1 s ahead now
  clock.jump(-3000);
  EXPECT_EQ(clock.now_ms(), source.now_ms() - 2000);
  source.advance_ms(1000);  // still running twice as fast
  EXPECT_EQ(clock.now_ms(), source.now_ms() - 1000);
}

TEST(SkewedClock, DriftRunsAtItsRateWithoutAStep) {
  ManualClock source;
  SkewedClock clock(source);
  const std::int64_t before = clock.now_ms();
  clock.set_drift(-50);
  EXPECT_EQ(clock.now_ms(), before);
  source.advance_ms(1000);
  EXPECT_EQ(clock.now_ms(), before + 500);
  EXPECT_DOUBLE_EQ(clock.state().skew_ms, -500);
}

TEST(SkewedClock, ClearStepsBackToTheTrueTime) {
  ManualClock source;
  SkewedClock clock(source);
  clock.set_drift(50);
  source.advance_ms(2000);
  clock.clear();
  EXPECT_EQ(clock.now_ms(), source.now_ms());
  EXPECT_EQ(clock.state().mode, "off");
}

TEST(SkewedClock, SlewingBackRemovesTheSkewWithoutAStepThenRunsTrue) {
  ManualClock source;
  SkewedClock clock(source);
  clock.set_offset(1000);
  const std::int64_t at = clock.now_ms();
  const double left_ms = clock.slew_back(50);
  EXPECT_DOUBLE_EQ(left_ms, 2000);  // 1 s of skew at half speed
  EXPECT_EQ(clock.now_ms(), at);    // no step
  source.advance_ms(1000);
  EXPECT_EQ(clock.now_ms(), at + 500);
  EXPECT_EQ(clock.state().mode, "slew");
  source.advance_ms(1000);
  EXPECT_EQ(clock.now_ms(), source.now_ms());
  source.advance_ms(1000);
  EXPECT_EQ(clock.now_ms(), source.now_ms());
  EXPECT_EQ(clock.state().mode, "off");
  // Behind: it runs faster until it has caught up.
  clock.set_offset(-600);
  EXPECT_DOUBLE_EQ(clock.slew_back(50), 1200);
  source.advance_ms(1200);
  EXPECT_EQ(clock.now_ms(), source.now_ms());
}

TEST(SkewedClock, ItsTimeNeverGoesBackWhileDriftingOrSlewing) {
  ManualClock source;
  SkewedClock clock(source);
  clock.set_drift(-90);
  std::int64_t last = clock.now_ms();
  for (int i = 0; i < 100; ++i) {
    source.advance_ms(7);
    if (i == 50) clock.slew_back(30);
    EXPECT_GE(clock.now_ms(), last);
    last = clock.now_ms();
  }
}

}  // namespace
}  // namespace faultline::util
