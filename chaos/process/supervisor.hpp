// Supervisor: the production ProcessControl. Starts each member as its own
// process group (see spawn.hpp for what the child does before exec), signals
// whole groups, reaps with waitpid, and guarantees that nothing it started
// outlives it:
//
//  - normal exit: ~Supervisor() calls shutdown_all(), which SIGKILLs every
//    live group and reaps it;
//  - SIGINT/SIGTERM to the runner: install_termination_handlers()
//    (termination.hpp) turns them into a flag the runner polls, after which it
//    unwinds normally and the destructor runs;
//  - SIGKILL to the runner: each member has PR_SET_PDEATHSIG = SIGKILL and is
//    killed by the kernel.
//
// Limit: a member's own children that leave its process group (setsid, or a
// daemonizing double fork) are out of reach of the group signals and of the
// death signal; the members Faultline starts do not do that.
//
// Thread-safety: construct the Supervisor on the runner's main thread (or any
// thread that lives as long as the members should). spawn() and restart()
// fail with an error when called from any other thread, because
// PR_SET_PDEATHSIG kills a child when the thread that forked it exits. The
// other calls may come from any thread; all calls are serialized by one mutex,
// including their bounded waits.
#pragma once

#include <chrono>
#include <memory>

#include "chaos/process/process_control.hpp"

namespace faultline::process {

struct SupervisorOptions {
  // How long shutdown_all() and a stop() that escalated wait for a SIGKILLed
  // process to be reaped. A process in uninterruptible sleep (state D) can
  // take a while to act on SIGKILL.
  std::chrono::milliseconds kill_timeout{10'000};
};

class Supervisor final : public ProcessControl {
 public:
  explicit Supervisor(SupervisorOptions options = {});
  ~Supervisor() override;  // shutdown_all()

  Supervisor(const Supervisor&) = delete;
  Supervisor& operator=(const Supervisor&) = delete;
  Supervisor(Supervisor&&) = delete;
  Supervisor& operator=(Supervisor&&) = delete;

  SpawnResult spawn(const MemberSpec& spec) override;
  ExitResult kill(const std::string& id, int signal, Clock::time_point deadline) override;
  SignalResult pause(const std::string& id, Clock::time_point deadline) override;
  SignalResult resume(const std::string& id, Clock::time_point deadline) override;
  ExitResult stop(const std::string& id, std::chrono::milliseconds grace) override;
  SpawnResult restart(const std::string& id, std::chrono::milliseconds grace) override;
  ExitResult wait_exit(const std::string& id, Clock::time_point deadline) override;
  bool is_running(const std::string& id) override;
  std::optional<int> pid(const std::string& id) const override;
  std::vector<std::string> shutdown_all() override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace faultline::process
