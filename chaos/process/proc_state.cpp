#include "chaos/process/proc_state.hpp"

#include <sys/types.h>
#include <sys/wait.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

namespace faultline::process {

std::optional<char> proc_state(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  if (!in) return std::nullopt;
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string line = buffer.str();
  // The command name (field 2) is in parentheses and may itself contain ')' or
  // spaces, so the state is the first field after the *last* ')'.
  const auto close = line.rfind(')');
  if (close == std::string::npos || close + 2 >= line.size()) return std::nullopt;
  return line[close + 2];
}

bool proc_gone_or_zombie(int pid) {
  const auto state = proc_state(pid);
  return !state || *state == 'Z' || *state == 'X';
}

ReapOutcome try_reap(int pid) {
  // Bounded retry on EINTR: a signal landing on this thread must not turn into
  // a spurious "waitpid failed".
  for (int attempt = 0; attempt < 100; ++attempt) {
    int status = 0;
    const pid_t r = ::waitpid(static_cast<pid_t>(pid), &status, WNOHANG);
    if (r == 0) return {std::nullopt, {}, false};
    if (r == static_cast<pid_t>(pid)) {
      if (auto exit = decode_wait_status(status)) return {exit, {}, false};
      return {std::nullopt, {}, false};  // stop/continue report: not an exit
    }
    const int err = errno;
    if (err == EINTR) continue;
    return {std::nullopt, "waitpid(" + std::to_string(pid) + ") failed: " + std::strerror(err),
            err == ECHILD};
  }
  return {std::nullopt, "waitpid(" + std::to_string(pid) + ") interrupted 100 times", false};
}

void poll_pause(int step, Clock::time_point deadline) {
  const auto wanted = std::chrono::milliseconds(std::min(10, 1 + step));
  const auto left = deadline - Clock::now();
  if (left <= Clock::duration::zero()) return;
  std::this_thread::sleep_for(std::min<Clock::duration>(wanted, left));
}

ReapOutcome reap_until(int pid, Clock::time_point deadline) {
  for (int step = 0;; ++step) {
    ReapOutcome outcome = try_reap(pid);
    if (outcome.exit || !outcome.error.empty()) return outcome;
    if (Clock::now() >= deadline) return outcome;
    poll_pause(step, deadline);
  }
}

}  // namespace faultline::process
