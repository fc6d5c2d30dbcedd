// Low-level observation of one child process: its scheduler state from
// /proc/<pid>/stat and bounded, non-blocking reaping with waitpid(2).
//
// These are free functions over a pid so that the Supervisor and the tests
// share one definition of "stopped", "gone" and "reaped". All are thread-safe
// in themselves; reaping a given pid must be done by one owner only (waitpid
// consumes the status).
#pragma once

#include <optional>
#include <string>

#include "chaos/process/process_control.hpp"

namespace faultline::process {

// The state letter of /proc/<pid>/stat ('R', 'S', 'D', 'T', 't', 'Z', ...), or
// nullopt if the process does not exist (or /proc is unreadable).
std::optional<char> proc_state(int pid);

// True when the pid no longer names a live process: /proc/<pid> is gone or the
// process is a zombie waiting for its parent.
bool proc_gone_or_zombie(int pid);

struct ReapOutcome {
  std::optional<ExitStatus> exit;  // set once reaped
  std::string error;               // waitpid failed
  bool not_our_child = false;      // ECHILD: already reaped elsewhere, or never ours
};

// One waitpid(pid, WNOHANG). `exit` unset and `error` empty: still running.
ReapOutcome try_reap(int pid);

// Polls try_reap until the child is reaped or `deadline` passes. The poll
// interval grows from 1 ms to 10 ms so a prompt exit is seen promptly without
// spinning; the loop is bounded by the deadline.
ReapOutcome reap_until(int pid, Clock::time_point deadline);

// Polls proc_state until `want(state)` holds or `deadline` passes. A vanished
// process is passed to `want` as nullopt.
template <class Pred>
bool wait_for_state(int pid, Pred want, Clock::time_point deadline);

// Sleeps for the next poll step of a bounded wait, never past `deadline`.
// `step` is the attempt number and drives the back-off.
void poll_pause(int step, Clock::time_point deadline);

template <class Pred>
bool wait_for_state(int pid, Pred want, Clock::time_point deadline) {
  for (int step = 0;; ++step) {
    if (want(proc_state(pid))) return true;
    if (Clock::now() >= deadline) return false;
    poll_pause(step, deadline);
  }
}

}  // namespace faultline::process
