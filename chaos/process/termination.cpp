#include "chaos/process/termination.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>

namespace faultline::process {
namespace {

static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs a lock-free flag");

// Process-wide by nature (signal dispositions are per process); see header.
std::atomic<int> g_requested{0};
std::atomic<int> g_pipe_read{-1};
std::atomic<int> g_pipe_write{-1};
std::atomic<bool> g_second_is_fatal{true};
std::atomic<bool> g_installed{false};

extern "C" void on_termination_signal(int sig) {
  const int saved_errno = errno;
  int expected = 0;
  if (!g_requested.compare_exchange_strong(expected, sig)) {
    if (g_second_is_fatal.load()) {
      ::signal(sig, SIG_DFL);
      ::raise(sig);
    }
    errno = saved_errno;
    return;
  }
  const int fd = g_pipe_write.load();
  if (fd >= 0) {
    const char byte = static_cast<char>(sig);
    // A full pipe already says "requested": the result does not matter.
    [[maybe_unused]] const ssize_t n = ::write(fd, &byte, 1);
  }
  errno = saved_errno;
}

}  // namespace

std::string install_termination_handlers(bool second_signal_is_fatal) {
  g_second_is_fatal.store(second_signal_is_fatal);
  if (g_installed.load()) return {};
  int fds[2] = {-1, -1};
  if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0)
    return std::string("termination self-pipe: pipe2 failed: ") + std::strerror(errno);
  g_pipe_read.store(fds[0]);
  g_pipe_write.store(fds[1]);

  struct sigaction action {};
  action.sa_handler = on_termination_signal;
  ::sigemptyset(&action.sa_mask);
  // SA_RESTART: libraries in the runner (HTTP clients) need not see EINTR;
  // the runner notices the request by polling, not by interrupted calls.
  action.sa_flags = SA_RESTART;
  for (int sig : {SIGINT, SIGTERM}) {
    if (::sigaction(sig, &action, nullptr) != 0)
      return "sigaction(" + std::to_string(sig) + ") failed: " + std::strerror(errno);
  }
  g_installed.store(true);
  return {};
}

int termination_requested() { return g_requested.load(); }

int termination_fd() { return g_pipe_read.load(); }

void clear_termination_request() {
  const int fd = g_pipe_read.load();
  if (fd >= 0) {
    char buffer[64];
    for (int i = 0; i < 64 && ::read(fd, buffer, sizeof buffer) > 0; ++i) {
    }
  }
  g_requested.store(0);
}

}  // namespace faultline::process
