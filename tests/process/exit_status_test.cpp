#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include "chaos/process/process_control.hpp"

namespace faultline::process {
namespace {

// Builds wait(2) status words the way Linux encodes them.
int exited(int code) { return (code & 0xff) << 8; }
int signalled(int sig) { return sig & 0x7f; }
int stopped(int sig) { return ((sig & 0xff) << 8) | 0x7f; }

TEST(ExitStatus, DecodesWaitStatus) {
  const auto e = decode_wait_status(exited(3));
  ASSERT_TRUE(e.has_value());
  EXPECT_TRUE(e->exited_with(3));
  EXPECT_FALSE(e->signal.has_value());
  EXPECT_EQ(e->describe(), "exited with code 3");

  const auto s = decode_wait_status(signalled(SIGKILL));
  ASSERT_TRUE(s.has_value());
  EXPECT_TRUE(s->killed_by(SIGKILL));
  EXPECT_FALSE(s->code.has_value());
  EXPECT_EQ(s->describe(), "killed by signal 9");

  EXPECT_FALSE(decode_wait_status(stopped(SIGSTOP)).has_value());
}

TEST(ExitResult, ConfirmationNamesPidAndOutcome) {
  ExitResult r;
  r.pid = 4242;
  r.exit = ExitStatus{std::nullopt, SIGKILL};
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.confirmation(), "pid 4242 reaped: killed by signal 9");
  ExitResult t;
  t.pid = 7;
  t.timed_out = true;
  EXPECT_FALSE(t.ok());
  EXPECT_EQ(t.confirmation(), "pid 7 still running at the deadline");
}

}  // namespace
}  // namespace faultline::process
