#include "chaos/process/process_control.hpp"

#include <sys/wait.h>

namespace faultline::process {

std::string ExitStatus::describe() const {
  if (signal) return "killed by signal " + std::to_string(*signal);
  if (code) return "exited with code " + std::to_string(*code);
  return "unknown exit";
}

std::optional<ExitStatus> decode_wait_status(int wait_status) {
  if (WIFEXITED(wait_status)) return ExitStatus{WEXITSTATUS(wait_status), std::nullopt};
  if (WIFSIGNALED(wait_status)) return ExitStatus{std::nullopt, WTERMSIG(wait_status)};
  return std::nullopt;
}

std::string ExitResult::confirmation() const {
  const std::string who = "pid " + std::to_string(pid);
  if (!error.empty()) return who + ": " + error;
  if (exit) return who + " reaped: " + exit->describe();
  if (timed_out) return who + " still running at the deadline";
  return who + " signalled";
}

}  // namespace faultline::process
