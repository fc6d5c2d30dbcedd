// Supervisor against real processes: spawn, signals, stop, restart, logs.
#include "chaos/process/supervisor.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <thread>

#include "tests/process/test_util.hpp"

namespace faultline::process {
namespace {

using namespace std::chrono_literals;
using test::eventually;
using test::in_ms;
using test::soon;

// False (not undefined behaviour) when the wait ended without an exit.
bool exited_with(const ExitResult& r, int code) { return r.exit.has_value() && r.exit->exited_with(code); }

TEST(Supervisor, SpawnStartsTheProcess) {
  Supervisor sup;
  const SpawnResult r = sup.spawn(test::sleeper("c1"));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_GT(r.pid, 0);
  EXPECT_EQ(sup.pid("c1"), r.pid);
  EXPECT_TRUE(sup.is_running("c1"));
  EXPECT_TRUE(proc_state(r.pid).has_value());
  // The member leads its own process group.
  EXPECT_EQ(::getpgid(r.pid), r.pid);
  EXPECT_FALSE(sup.pid("nobody").has_value());
  EXPECT_FALSE(sup.is_running("nobody"));
}

TEST(Supervisor, SigkillReturnsOnlyAfterReap) {
  Supervisor sup;
  const SpawnResult r = sup.spawn(test::sleeper("c1"));
  ASSERT_TRUE(r.ok()) << r.error;
  const ExitResult k = sup.kill("c1", SIGKILL, soon());
  ASSERT_TRUE(k.ok()) << k.confirmation();
  EXPECT_EQ(k.pid, r.pid);
  EXPECT_TRUE(k.exit->killed_by(SIGKILL));
  EXPECT_EQ(k.confirmation(), "pid " + std::to_string(r.pid) + " reaped: killed by signal 9");
  // Reaped, not a zombie: the pid is gone from /proc.
  EXPECT_FALSE(proc_state(r.pid).has_value());
  EXPECT_FALSE(sup.is_running("c1"));
  // Killing it again is an error that still reports how it ended.
  const ExitResult again = sup.kill("c1", SIGKILL, soon());
  EXPECT_FALSE(again.ok());
  ASSERT_TRUE(again.exit.has_value());
  EXPECT_TRUE(again.exit->killed_by(SIGKILL));
}

TEST(Supervisor, OtherSignalsAreDeliveredAndObservedByWaitExit) {
  Supervisor sup;
  ASSERT_TRUE(sup.spawn(test::sleeper("c1")).ok());
  const ExitResult k = sup.kill("c1", SIGTERM, soon());
  EXPECT_TRUE(k.error.empty()) << k.error;
  const ExitResult w = sup.wait_exit("c1", soon());
  ASSERT_TRUE(w.ok()) << w.confirmation();
  EXPECT_TRUE(w.exit->killed_by(SIGTERM));
}

TEST(Supervisor, WaitExitReportsCodeAndTimesOut) {
  Supervisor sup;
  ASSERT_TRUE(sup.spawn(test::shell("c1", "exit 3")).ok());
  const ExitResult w = sup.wait_exit("c1", soon());
  ASSERT_TRUE(w.ok()) << w.confirmation();
  EXPECT_TRUE(w.exit->exited_with(3));
  // Already reaped: the recorded status comes back at once.
  EXPECT_TRUE(exited_with(sup.wait_exit("c1", Clock::now()), 3));

  ASSERT_TRUE(sup.spawn(test::sleeper("c2")).ok());
  const auto start = Clock::now();
  const ExitResult t = sup.wait_exit("c2", in_ms(200));
  EXPECT_TRUE(t.timed_out);
  EXPECT_FALSE(t.exit.has_value());
  EXPECT_GE(Clock::now() - start, 200ms);
  EXPECT_TRUE(sup.is_running("c2"));
}

TEST(Supervisor, PauseStopsAndResumeContinues) {
  Supervisor sup;
  const SpawnResult r = sup.spawn(test::sleeper("c1"));
  ASSERT_TRUE(r.ok()) << r.error;
  const SignalResult p = sup.pause("c1", soon());
  ASSERT_TRUE(p.ok()) << p.error;
  EXPECT_EQ(proc_state(r.pid), 'T');
  EXPECT_EQ(p.confirmed, "pid " + std::to_string(r.pid) + " state T (stopped)");
  EXPECT_TRUE(sup.is_running("c1"));  // paused is not dead

  const SignalResult c = sup.resume("c1", soon());
  ASSERT_TRUE(c.ok()) << c.error;
  const auto state = proc_state(r.pid);
  ASSERT_TRUE(state.has_value());
  EXPECT_NE(*state, 'T');
}

TEST(Supervisor, StopEndsWithSigtermWithinGrace) {
  Supervisor sup;
  ASSERT_TRUE(sup.spawn(test::sleeper("c1")).ok());
  const ExitResult s = sup.stop("c1", 5s);
  ASSERT_TRUE(s.ok()) << s.confirmation();
  EXPECT_TRUE(s.exit->killed_by(SIGTERM));
  EXPECT_FALSE(s.escalated);
}

TEST(Supervisor, StopOfPausedMemberStillUsesSigterm) {
  Supervisor sup;
  ASSERT_TRUE(sup.spawn(test::sleeper("c1")).ok());
  ASSERT_TRUE(sup.pause("c1", soon()).ok());
  const ExitResult s = sup.stop("c1", 5s);
  ASSERT_TRUE(s.ok()) << s.confirmation();
  EXPECT_TRUE(s.exit->killed_by(SIGTERM));
  EXPECT_FALSE(s.escalated);
}

TEST(Supervisor, StopEscalatesToSigkillAfterGrace) {
  const std::string dir = test::make_temp_dir();
  ASSERT_FALSE(dir.empty());
  const std::string log = dir + "/c1.log";
  Supervisor sup;
  // Ignores SIGTERM (inherited by its sleep children too), then says ready.
  ASSERT_TRUE(sup.spawn(test::shell("c1", "trap '' TERM; echo ready; while :; do sleep 1; done", log))
                  .ok());
  ASSERT_TRUE(eventually([&] { return test::read_file(log).find("ready") != std::string::npos; }));
  const auto start = Clock::now();
  const ExitResult s = sup.stop("c1", 300ms);
  ASSERT_TRUE(s.ok()) << s.confirmation();
  EXPECT_TRUE(s.escalated);
  EXPECT_TRUE(s.exit->killed_by(SIGKILL));
  EXPECT_GE(Clock::now() - start, 300ms);
  std::filesystem::remove_all(dir);
}

TEST(Supervisor, RestartGivesANewPid) {
  Supervisor sup;
  const SpawnResult first = sup.spawn(test::sleeper("c1"));
  ASSERT_TRUE(first.ok()) << first.error;
  const SpawnResult second = sup.restart("c1", 5s);
  ASSERT_TRUE(second.ok()) << second.error;
  EXPECT_NE(second.pid, first.pid);
  EXPECT_FALSE(proc_state(first.pid).has_value());
  EXPECT_TRUE(sup.is_running("c1"));
  EXPECT_EQ(sup.pid("c1"), second.pid);

  // A member that already died is simply started again.
  ASSERT_TRUE(sup.kill("c1", SIGKILL, soon()).ok());
  const SpawnResult third = sup.restart("c1", 5s);
  ASSERT_TRUE(third.ok()) << third.error;
  EXPECT_TRUE(sup.is_running("c1"));
}

TEST(Supervisor, LogFileGetsStdoutAndStderrAndIsAppendedOnRestart) {
  const std::string dir = test::make_temp_dir();
  ASSERT_FALSE(dir.empty());
  const std::string log = dir + "/c1.log";
  Supervisor sup;
  MemberSpec spec = test::shell("c1", "echo out-$GREETING; echo err-line >&2", log);
  spec.env = {{"GREETING", "hello"}};
  ASSERT_TRUE(sup.spawn(spec).ok());
  ASSERT_TRUE(exited_with(sup.wait_exit("c1", soon()), 0));
  EXPECT_EQ(test::read_file(log), "out-hello\nerr-line\n");

  ASSERT_TRUE(sup.restart("c1", 5s).ok());
  ASSERT_TRUE(exited_with(sup.wait_exit("c1", soon()), 0));
  EXPECT_EQ(test::read_file(log), "out-hello\nerr-line\nout-hello\nerr-line\n");
  std::filesystem::remove_all(dir);
}

TEST(Supervisor, WorkingDirIsApplied) {
  const std::string dir = test::make_temp_dir();
  ASSERT_FALSE(dir.empty());
  Supervisor sup;
  MemberSpec spec = test::shell("c1", "pwd", dir + "/pwd.log");
  spec.working_dir = dir;
  ASSERT_TRUE(sup.spawn(spec).ok());
  ASSERT_TRUE(exited_with(sup.wait_exit("c1", soon()), 0));
  EXPECT_EQ(test::read_file(dir + "/pwd.log"), std::filesystem::canonical(dir).string() + "\n");
  std::filesystem::remove_all(dir);
}

TEST(Supervisor, SpawnErrorsAreValues) {
  Supervisor sup;
  EXPECT_FALSE(sup.spawn(MemberSpec{"c1", {}, {}, {}, {}}).ok());
  const SpawnResult missing = sup.spawn(MemberSpec{"c1", {"/nonexistent/faultline-x"}, {}, {}, {}});
  EXPECT_FALSE(missing.ok());
  EXPECT_NE(missing.error.find("member 'c1'"), std::string::npos) << missing.error;
  EXPECT_FALSE(sup.spawn(MemberSpec{"c1", {"faultline-no-such-tool"}, {}, {}, {}}).ok());
  EXPECT_FALSE(sup.spawn(MemberSpec{"c1", {"/bin/true"}, "/nonexistent/dir/log", {}, {}}).ok());

  ASSERT_TRUE(sup.spawn(test::sleeper("c1")).ok());
  const SpawnResult duplicate = sup.spawn(test::sleeper("c1"));
  EXPECT_FALSE(duplicate.ok());
  EXPECT_NE(duplicate.error.find("already running"), std::string::npos) << duplicate.error;
  EXPECT_FALSE(sup.kill("nobody", SIGKILL, soon()).error.empty());
  EXPECT_FALSE(sup.pause("nobody", soon()).ok());
}

TEST(Supervisor, SpawnFromAnotherThreadIsRefused) {
  Supervisor sup;
  SpawnResult from_worker;
  std::thread worker([&] { from_worker = sup.spawn(test::sleeper("c1")); });
  worker.join();
  EXPECT_FALSE(from_worker.ok());
  EXPECT_NE(from_worker.error.find("thread"), std::string::npos) << from_worker.error;
  EXPECT_FALSE(sup.is_running("c1"));

  // A refused restart leaves the running member alone.
  const SpawnResult r = sup.spawn(test::sleeper("c1"));
  ASSERT_TRUE(r.ok()) << r.error;
  SpawnResult restarted;
  std::thread restarter([&] { restarted = sup.restart("c1", std::chrono::seconds(5)); });
  restarter.join();
  EXPECT_FALSE(restarted.ok());
  EXPECT_TRUE(sup.is_running("c1"));
  EXPECT_EQ(sup.pid("c1"), r.pid);
  // Other calls are allowed from any thread.
  ExitResult killed;
  std::thread killer([&] { killed = sup.kill("c1", SIGKILL, soon()); });
  killer.join();
  EXPECT_TRUE(killed.ok()) << killed.confirmation();
}

}  // namespace
}  // namespace faultline::process
