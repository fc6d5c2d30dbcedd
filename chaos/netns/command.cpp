#include "chaos/netns/command.hpp"

#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <sstream>

extern char** environ;

namespace faultline::netns {
namespace {

using SteadyClock = std::chrono::steady_clock;

// Captured output beyond this is read and discarded, so a runaway command
// cannot grow this process without bound.
constexpr std::size_t kMaxCapture = 4u << 20;

// What the child reports on its status pipe when it fails before exec.
enum Stage : int { kStageSetns = 1, kStagePrctl, kStageDup, kStageExec };
constexpr int kParentGoneExit = 125;

struct ChildPlan {
  int ns_fd = -1;
  pid_t parent = -1;
  int stdin_fd = -1, stdout_fd = -1, stderr_fd = -1, status_fd = -1;
  const char* path = nullptr;
  char* const* argv = nullptr;
};

// Runs in the forked child: async-signal-safe system calls only (another
// thread of the parent may have held a lock at fork time).
[[noreturn]] void child_fail(int status_fd, int stage) {
  const int payload[2] = {stage, errno};
  if (::write(status_fd, payload, sizeof payload) < 0) {
  }
  ::_exit(127);
}

[[noreturn]] void child_exec(const ChildPlan& plan) {
  auto die = [&](int stage) { child_fail(plan.status_fd, stage); };
  if (plan.ns_fd >= 0 && ::setns(plan.ns_fd, CLONE_NEWNET) != 0) die(kStageSetns);
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) die(kStagePrctl);
  if (::getppid() != plan.parent) ::_exit(kParentGoneExit);
  if (::dup2(plan.stdin_fd, STDIN_FILENO) < 0 || ::dup2(plan.stdout_fd, STDOUT_FILENO) < 0 ||
      ::dup2(plan.stderr_fd, STDERR_FILENO) < 0)
    die(kStageDup);
  // Whatever else this process has open (listeners, pipes of other children)
  // stays out of the tool; failure (a kernel before 5.11) only leaks fds.
  ::close_range(3, ~0u, CLOSE_RANGE_CLOEXEC);
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  ::sigemptyset(&dfl.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGPIPE, SIGHUP, SIGQUIT}) ::sigaction(sig, &dfl, nullptr);
  ::execve(plan.path, plan.argv, environ);
  child_fail(plan.status_fd, kStageExec);
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// Appends what is readable on `fd`; closes it at end of file or error.
void drain(int& fd, std::string& into) {
  char buffer[8192];
  const ssize_t n = ::read(fd, buffer, sizeof buffer);
  if (n > 0) {
    const auto room = kMaxCapture - std::min(kMaxCapture, into.size());
    into.append(buffer, std::min(room, static_cast<std::size_t>(n)));
  } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
    close_fd(fd);
  }
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

std::string stage_text(int stage) {
  switch (stage) {
    case kStageSetns:
      return "setns into the namespace failed";
    case kStagePrctl:
      return "prctl(PR_SET_PDEATHSIG) failed";
    case kStageDup:
      return "dup2 of its standard streams failed";
    default:
      return "exec failed";
  }
}

}  // namespace

std::string describe_argv(const std::vector<std::string>& argv) {
  std::string text;
  for (const auto& arg : argv) {
    if (!text.empty()) text += ' ';
    text += arg;
  }
  return text;
}

std::string find_program(const std::string& name) {
  if (name.empty() || name.find('/') != std::string::npos) return {};
  std::string dirs;
  if (const char* path = std::getenv("PATH")) dirs = path;
  dirs += ":/usr/sbin:/sbin:/usr/bin:/bin";
  std::stringstream split(dirs);
  std::string dir;
  while (std::getline(split, dir, ':')) {
    if (dir.empty()) continue;
    const std::string candidate = dir + "/" + name;
    struct stat st {};
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0)
      return candidate;
  }
  return {};
}

CommandResult run_command(const Namespace* ns, const Command& command) {
  CommandResult result;
  const std::string where =
      ns ? "namespace '" + ns->name() + "'" : std::string("the caller's namespace");
  const std::string what = "`" + describe_argv(command.argv) + "`";
  auto fail = [&](const std::string& why) {
    result.error = where + ": " + what + " " + why;
    return result;
  };
  if (command.argv.empty() || command.argv.front().empty()) return fail("is an empty command");
  if (ns && !ns->valid()) return fail("cannot run: the namespace is not open");

  const std::string path = command.argv.front().find('/') == std::string::npos
                               ? find_program(command.argv.front())
                               : command.argv.front();
  if (path.empty())
    return fail("cannot run: '" + command.argv.front() +
                "' is not in $PATH, /usr/sbin, /sbin, /usr/bin or /bin");

  std::vector<std::string> args = command.argv;
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  // stdin is a socket so that a child that exits without reading makes
  // send() fail with EPIPE instead of raising SIGPIPE in this process.
  int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1}, status[2] = {-1, -1};
  auto close_all = [&] {
    for (int* pair : {in, out, err, status}) {
      close_fd(pair[0]);
      close_fd(pair[1]);
    }
  };
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0 ||
      ::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0 ||
      ::pipe2(status, O_CLOEXEC) != 0) {
    const int e = errno;
    close_all();
    return fail(std::string("cannot run: pipe failed: ") + std::strerror(e));
  }

  ChildPlan plan;
  plan.ns_fd = ns ? ns->fd() : -1;
  plan.parent = ::getpid();
  plan.stdin_fd = in[1];
  plan.stdout_fd = out[1];
  plan.stderr_fd = err[1];
  plan.status_fd = status[1];
  plan.path = path.c_str();
  plan.argv = argv.data();

  const auto deadline = SteadyClock::now() + command.timeout;
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int e = errno;
    close_all();
    return fail(std::string("cannot run: fork failed: ") + std::strerror(e));
  }
  if (pid == 0) child_exec(plan);

  close_fd(in[1]);
  close_fd(out[1]);
  close_fd(err[1]);
  close_fd(status[1]);
  int stdin_fd = in[0], stdout_fd = out[0], stderr_fd = err[0];
  in[0] = out[0] = err[0] = -1;
  ::fcntl(stdin_fd, F_SETFL, ::fcntl(stdin_fd, F_GETFL) | O_NONBLOCK);

  std::size_t written = 0;
  if (command.stdin_text.empty()) close_fd(stdin_fd);
  bool timed_out = false;
  while (stdin_fd >= 0 || stdout_fd >= 0 || stderr_fd >= 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd fds[3];
    nfds_t n = 0;
    for (int fd : {stdin_fd, stdout_fd, stderr_fd}) {
      if (fd < 0) continue;
      fds[n++] = pollfd{fd, static_cast<short>(fd == stdin_fd ? POLLOUT : POLLIN), 0};
    }
    const int ready = ::poll(fds, n, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (ready < 0 && errno != EINTR) break;
    for (nfds_t i = 0; i < n; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == stdin_fd) {
        const ssize_t sent = ::send(stdin_fd, command.stdin_text.data() + written,
                                    command.stdin_text.size() - written, MSG_NOSIGNAL);
        if (sent > 0) written += static_cast<std::size_t>(sent);
        // A child that stopped reading (EPIPE) gets no more; its exit status tells.
        if (written == command.stdin_text.size() || (sent < 0 && errno != EAGAIN && errno != EINTR))
          close_fd(stdin_fd);
      } else if (fds[i].fd == stdout_fd) {
        drain(stdout_fd, result.out);
      } else {
        drain(stderr_fd, result.err);
      }
    }
  }
  close_fd(stdin_fd);
  close_fd(stdout_fd);
  close_fd(stderr_fd);

  // Both output pipes are closed: the child has exited or is about to. Wait
  // for it until the deadline, then kill it; a SIGKILLed child is reaped
  // promptly, so the final blocking waitpid is short.
  int wait_status = 0;
  bool reaped = false;
  while (!timed_out) {
    const pid_t got = ::waitpid(pid, &wait_status, WNOHANG);
    if (got == pid || (got < 0 && errno != EINTR)) {
      reaped = got == pid;
      break;
    }
    if (SteadyClock::now() >= deadline) {
      timed_out = true;
      break;
    }
    pollfd none{};
    ::poll(&none, 0, 1);
  }
  if (!reaped) {
    ::kill(pid, SIGKILL);
    while (::waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) {
    }
  }

  int payload[2] = {0, 0};
  const ssize_t got = ::read(status[0], payload, sizeof payload);
  close_all();

  const std::string stderr_note =
      trimmed(result.err).empty() ? std::string() : ": " + trimmed(result.err);
  if (timed_out)
    return fail("did not finish within " + std::to_string(command.timeout.count()) +
                " ms and was killed" + stderr_note);
  if (got == static_cast<ssize_t>(sizeof payload))
    return fail("could not start: " + stage_text(payload[0]) + ": " + std::strerror(payload[1]));
  if (WIFSIGNALED(wait_status))
    return fail("was killed by signal " + std::to_string(WTERMSIG(wait_status)) + stderr_note);
  result.exit_code = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
  if (result.exit_code == kParentGoneExit && !WIFSIGNALED(wait_status) && result.err.empty())
    return fail("was not started: its parent thread went away before exec");
  if (result.exit_code != 0)
    return fail("exited with code " + std::to_string(result.exit_code) + stderr_note);
  return result;
}

}  // namespace faultline::netns
