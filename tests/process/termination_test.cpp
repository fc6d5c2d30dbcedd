// SIGINT/SIGTERM become a polled request; a runner that honours it cleans up.
#include "chaos/process/termination.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include "chaos/process/supervisor.hpp"
#include "tests/process/test_util.hpp"

namespace faultline::process {
namespace {

using test::eventually;
using test::soon;

TEST(Termination, FirstSignalIsRecordedAndWakesThePipe) {
  ASSERT_EQ(install_termination_handlers(/*second_signal_is_fatal=*/false), "");
  clear_termination_request();
  EXPECT_EQ(termination_requested(), 0);
  ASSERT_GE(termination_fd(), 0);

  ASSERT_EQ(::raise(SIGTERM), 0);
  EXPECT_EQ(termination_requested(), SIGTERM);
  pollfd p{termination_fd(), POLLIN, 0};
  EXPECT_EQ(::poll(&p, 1, 5000), 1);

  // A second signal is only recorded when not fatal; the first one wins.
  ASSERT_EQ(::raise(SIGINT), 0);
  EXPECT_EQ(termination_requested(), SIGTERM);

  clear_termination_request();
  EXPECT_EQ(termination_requested(), 0);
  p.revents = 0;
  EXPECT_EQ(::poll(&p, 1, 0), 0);
}

TEST(Termination, SecondSignalIsFatalByDefault) {
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (!install_termination_handlers().empty()) ::_exit(10);
    ::raise(SIGINT);
    if (termination_requested() != SIGINT) ::_exit(11);
    ::raise(SIGINT);
    ::_exit(12);  // survived the second signal: wrong
  }
  const ReapOutcome r = reap_until(child, soon());
  ASSERT_TRUE(r.exit.has_value()) << r.error;
  EXPECT_TRUE(r.exit->killed_by(SIGINT)) << r.exit->describe();
}

// A runner polling the request unwinds on SIGTERM, and its Supervisor's
// destructor takes the members down with it.
TEST(Termination, RunnerThatHonoursSigtermLeavesNothingBehind) {
  int to_test[2];
  ASSERT_EQ(::pipe(to_test), 0);
  const pid_t runner = ::fork();
  ASSERT_GE(runner, 0);
  if (runner == 0) {
    ::close(to_test[0]);
    if (!install_termination_handlers().empty()) ::_exit(10);
    int code = 11;
    {
      Supervisor sup;
      const SpawnResult r = sup.spawn(test::sleeper("c1"));
      test::write_int(to_test[1], r.ok() ? r.pid : -1);
      if (eventually([] { return termination_requested() == SIGTERM; }, test::in_ms(20'000))) code = 0;
    }
    ::_exit(code);
  }
  ::close(to_test[1]);
  const std::optional<int> member = test::read_int(to_test[0], soon());
  ::close(to_test[0]);
  ASSERT_TRUE(member.has_value() && *member > 0);
  ASSERT_TRUE(proc_state(*member).has_value());

  ASSERT_EQ(::kill(runner, SIGTERM), 0);
  const ReapOutcome r = reap_until(runner, soon());
  ASSERT_TRUE(r.exit.has_value()) << r.error;
  EXPECT_TRUE(r.exit->exited_with(0)) << r.exit->describe();
  // The runner reaped its member before exiting.
  EXPECT_FALSE(proc_state(*member).has_value());
}

}  // namespace
}  // namespace faultline::process
