#include "chaos/process/spawn.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/process/args.hpp>
#include <boost/process/child.hpp>
#include <boost/process/env.hpp>
#include <boost/process/environment.hpp>
#include <boost/process/exe.hpp>
#include <boost/process/extend.hpp>
#include <boost/process/io.hpp>
#include <boost/process/search_path.hpp>
#include <boost/process/start_dir.hpp>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <system_error>

namespace faultline::process {
namespace {

namespace bp = boost::process;

// Runs in the child between fork and exec: only async-signal-safe calls here
// (the runner may have other threads, whose locks the child inherits held).
struct MemberSetup : bp::extend::handler {
  pid_t parent = -1;
  int log_fd = -1;
  int netns_fd = -1;

  template <class Executor>
  void fail(Executor& exec, const char* what) const {
    // Reported through Boost's error pipe, so spawn_member returns the error.
    exec.set_error(std::error_code(errno, std::system_category()), what);
    ::_exit(127);
  }

  template <class Executor>
  void on_exec_setup(Executor& exec) const {
    if (::setpgid(0, 0) != 0) fail(exec, "setpgid(0, 0) failed in the child");
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail(exec, "prctl(PR_SET_PDEATHSIG) failed");
    if (::getppid() != parent) ::_exit(kParentGoneExitCode);
    if (netns_fd >= 0 && ::setns(netns_fd, CLONE_NEWNET) != 0)
      fail(exec, "setns(the member's network namespace) failed in the child");

    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    ::sigemptyset(&dfl.sa_mask);
    for (int sig : {SIGINT, SIGTERM, SIGPIPE, SIGHUP, SIGQUIT}) ::sigaction(sig, &dfl, nullptr);

    if (::dup2(log_fd, STDOUT_FILENO) < 0 || ::dup2(log_fd, STDERR_FILENO) < 0)
      fail(exec, "dup2(log file) failed");
  }

  // Boost leaves the failed child unreaped; it has written its error and is
  // exiting, so a blocking wait here is short.
  template <class Executor>
  void on_error(Executor& exec, const std::error_code&) const {
    if (exec.pid <= 0) return;
    int status = 0;
    for (int attempt = 0; attempt < 100; ++attempt) {
      if (::waitpid(exec.pid, &status, 0) != -1 || errno != EINTR) break;
    }
  }
};

class FdGuard {
 public:
  explicit FdGuard(int fd) : fd_(fd) {}
  ~FdGuard() {
    if (fd_ >= 0) ::close(fd_);
  }
  FdGuard(const FdGuard&) = delete;
  FdGuard& operator=(const FdGuard&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string member_label(const MemberSpec& spec) { return "member '" + spec.id + "'"; }

}  // namespace

SpawnResult spawn_member(const MemberSpec& spec) {
  if (spec.argv.empty() || spec.argv.front().empty())
    return {-1, member_label(spec) + ": empty command line"};

  boost::filesystem::path exe = spec.argv.front();
  if (spec.argv.front().find('/') == std::string::npos) {
    exe = bp::search_path(spec.argv.front());
    if (exe.empty())
      return {-1, member_label(spec) + ": '" + spec.argv.front() + "' not found on PATH"};
  }

  const std::string log_path = spec.log_file.empty() ? "/dev/null" : spec.log_file;
  // O_APPEND keeps the log of earlier runs across restarts; O_CLOEXEC keeps the
  // descriptor out of other children (dup2 in the member clears it there).
  FdGuard log_fd(::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  if (log_fd.get() < 0)
    return {-1, member_label(spec) + ": cannot open log file '" + log_path +
                    "': " + std::strerror(errno)};

  bp::environment env = boost::this_process::environment();
  for (const auto& [key, value] : spec.env) env[key] = value;

  MemberSetup setup;
  setup.parent = ::getpid();
  setup.log_fd = log_fd.get();
  setup.netns_fd = spec.netns_fd;

  const std::vector<std::string> args(spec.argv.begin() + 1, spec.argv.end());
  const std::string dir = spec.working_dir.empty() ? "." : spec.working_dir;
  std::error_code ec;
  bp::child child(bp::exe = exe, bp::args = args, bp::std_in < bp::null, bp::start_dir = dir, env,
                  setup, ec);
  if (ec || !child.valid())
    return {-1, member_label(spec) + ": cannot start '" + exe.string() + "': " + ec.message()};

  // From here the Supervisor owns the pid and reaps it with waitpid; a
  // non-detached boost child would terminate the process in its destructor.
  const int pid = child.id();
  child.detach();
  return {pid, {}};
}

}  // namespace faultline::process
