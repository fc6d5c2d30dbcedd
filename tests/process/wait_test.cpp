// The one wait of the run: met, timed out, or stopped by a signal or a stop
// condition, and woken by the signal rather than at the end of its interval.
#include "chaos/process/wait.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <thread>

#include "chaos/process/termination.hpp"

namespace faultline::process {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST(Wait, MetAsSoonAsTheConditionHolds) {
  int calls = 0;
  const auto result = wait_until([&] { return ++calls == 3; }, Clock::now() + 10s, 1ms);
  EXPECT_EQ(result, WaitResult::met);
  EXPECT_EQ(calls, 3);
}

TEST(Wait, TimesOutAtTheDeadline) {
  const auto start = Clock::now();
  EXPECT_EQ(wait_until([] { return false; }, start + 50ms, 5ms), WaitResult::timed_out);
  EXPECT_GE(Clock::now() - start, 50ms);
}

TEST(Wait, StopConditionEndsTheWaitAndOnlyWhileItLives) {
  std::atomic<bool> failed{false};
  {
    const StopCondition stop([&] { return failed.load(); });
    int calls = 0;
    EXPECT_EQ(wait_until(
                  [&] {
                    if (++calls == 2) failed = true;
                    return false;
                  },
                  Clock::now() + 10s, 1ms),
              WaitResult::stopped);
    EXPECT_TRUE(stop_requested());
    EXPECT_FALSE(sleep_until(Clock::now() + 10s));
  }
  EXPECT_FALSE(stop_requested()) << "a destroyed StopCondition must not stop later waits";
  EXPECT_EQ(wait_until([] { return true; }, Clock::now() + 1s), WaitResult::met);
}

TEST(Wait, SignalWakesALongIntervalAtOnce) {
  ASSERT_EQ(install_termination_handlers(/*second_signal_is_fatal=*/false), "");
  clear_termination_request();
  std::thread signaller([] {
    std::this_thread::sleep_for(50ms);  // the wait must already be asleep in its interval
    ::kill(::getpid(), SIGTERM);
  });
  const auto start = Clock::now();
  // One poll every 30 s: only the self-pipe can end this wait in time.
  const auto result = wait_until([] { return false; }, start + 60s, 30s);
  const auto waited = Clock::now() - start;
  signaller.join();
  EXPECT_EQ(result, WaitResult::stopped);
  EXPECT_LT(waited, 10s) << "the wait slept through the signal";
  EXPECT_EQ(termination_requested(), SIGTERM);
  clear_termination_request();
  EXPECT_FALSE(stop_requested());
}

}  // namespace
}  // namespace faultline::process
