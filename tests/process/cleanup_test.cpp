// Nothing the Supervisor started may outlive it: not on destruction, not on
// shutdown_all(), not when the process that owns it is SIGKILLed.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <vector>

#include "chaos/process/supervisor.hpp"
#include "tests/process/test_util.hpp"

namespace faultline::process {
namespace {

using test::eventually;
using test::soon;

// Makes this test process the reaper of orphaned descendants, so that a
// member orphaned by its parent's death is reparented here and its exit status
// can be read with waitpid, rather than vanishing into a container's init.
class SubreaperScope {
 public:
  SubreaperScope() : ok_(::prctl(PR_SET_CHILD_SUBREAPER, 1) == 0) {}
  ~SubreaperScope() { ::prctl(PR_SET_CHILD_SUBREAPER, 0); }
  SubreaperScope(const SubreaperScope&) = delete;
  SubreaperScope& operator=(const SubreaperScope&) = delete;
  bool ok() const { return ok_; }

 private:
  bool ok_;
};

// Waits until an orphaned descendant is dead: reaped by us as its subreaper
// (checking it was SIGKILLed), or at least gone or a zombie.
void expect_orphan_killed(int pid, const SubreaperScope& reaper) {
  if (reaper.ok()) {
    const ReapOutcome r = reap_until(pid, soon());
    ASSERT_TRUE(r.exit.has_value()) << "pid " << pid << " still alive: " << r.error;
    EXPECT_TRUE(r.exit->killed_by(SIGKILL)) << r.exit->describe();
  } else {
    EXPECT_TRUE(eventually([&] { return proc_gone_or_zombie(pid); })) << "pid " << pid;
  }
}

TEST(SupervisorCleanup, DestructorKillsAndReapsEveryMember) {
  SubreaperScope reaper;
  const std::string dir = test::make_temp_dir();
  ASSERT_FALSE(dir.empty());
  const std::string child_pid_file = dir + "/bg.pid";
  std::vector<int> pids;
  std::optional<int> background;
  {
    Supervisor sup;
    for (const char* id : {"c1", "c2"}) {
      const SpawnResult r = sup.spawn(test::sleeper(id));
      ASSERT_TRUE(r.ok()) << r.error;
      pids.push_back(r.pid);
    }
    ASSERT_TRUE(sup.pause("c2", soon()).ok());  // a stopped member must die too
    // A member with a child of its own in its process group.
    const SpawnResult wrapper =
        sup.spawn(test::shell("c3", "sleep 60 & echo $! > " + child_pid_file + "; wait"));
    ASSERT_TRUE(wrapper.ok()) << wrapper.error;
    pids.push_back(wrapper.pid);
    ASSERT_TRUE(eventually([&] { return test::read_file(child_pid_file).find('\n') != std::string::npos; }));
    background = std::stoi(test::read_file(child_pid_file));
    ASSERT_TRUE(proc_state(*background).has_value());
  }
  // Members were reaped by the Supervisor: gone from /proc, not zombies.
  for (int pid : pids) EXPECT_FALSE(proc_state(pid).has_value()) << "pid " << pid;
  // The wrapper's own child died with its group.
  expect_orphan_killed(*background, reaper);
  std::filesystem::remove_all(dir);
}

TEST(SupervisorCleanup, ShutdownAllIsCompleteAndIdempotent) {
  Supervisor sup;
  const SpawnResult a = sup.spawn(test::sleeper("c1"));
  const SpawnResult b = sup.spawn(test::sleeper("c2"));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(sup.shutdown_all().empty());
  EXPECT_FALSE(sup.is_running("c1"));
  EXPECT_FALSE(sup.is_running("c2"));
  EXPECT_FALSE(proc_state(a.pid).has_value());
  EXPECT_FALSE(proc_state(b.pid).has_value());
  const ExitResult c1 = sup.wait_exit("c1", soon());
  ASSERT_TRUE(c1.exit.has_value()) << c1.error;
  EXPECT_TRUE(c1.exit->killed_by(SIGKILL));
  EXPECT_TRUE(sup.shutdown_all().empty());
}

// The runner is SIGKILLed: no destructor runs, yet its members must die, by
// the PR_SET_PDEATHSIG each of them armed before exec.
TEST(SupervisorCleanup, MembersDieWhenTheirOwnerIsSigkilled) {
  SubreaperScope reaper;
  int to_test[2];
  int to_helper[2];
  ASSERT_EQ(::pipe(to_test), 0);
  ASSERT_EQ(::pipe(to_helper), 0);
  const pid_t helper = ::fork();
  ASSERT_GE(helper, 0);
  if (helper == 0) {
    ::close(to_test[0]);
    ::close(to_helper[1]);
    {
      Supervisor sup;
      const SpawnResult r = sup.spawn(test::sleeper("c1"));
      test::write_int(to_test[1], r.ok() ? r.pid : -1);
      // Wait to be killed; end on our own if the test closes the pipe.
      char c = 0;
      [[maybe_unused]] const ssize_t n = ::read(to_helper[0], &c, 1);
    }
    ::_exit(0);
  }
  ::close(to_test[1]);
  ::close(to_helper[0]);

  const std::optional<int> member = test::read_int(to_test[0], soon());
  ::close(to_test[0]);
  ASSERT_TRUE(member.has_value() && *member > 0);
  ASSERT_TRUE(proc_state(*member).has_value());

  ASSERT_EQ(::kill(helper, SIGKILL), 0);
  const ReapOutcome h = reap_until(helper, soon());
  ::close(to_helper[1]);
  ASSERT_TRUE(h.exit.has_value()) << h.error;
  EXPECT_TRUE(h.exit->killed_by(SIGKILL));

  expect_orphan_killed(*member, reaper);
}

}  // namespace
}  // namespace faultline::process
