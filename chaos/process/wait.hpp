// The one way to wait for a condition in a run: poll it until it holds, its
// deadline passes, or the run is asked to stop — a SIGINT or SIGTERM
// (termination.hpp) or a stop condition the runner has in force (a journal
// that can no longer be written). Every bounded wait of the runner and the
// targets goes through here, so Ctrl-C ends any of them within one poll.
//
// Between polls the caller sleeps in poll(2) on the termination self-pipe,
// so a signal wakes it at once rather than at the end of the interval; a
// stop condition is looked at every 100 ms at least.
//
// Thread-safety: every function may be called from any thread. StopCondition
// registers into a process-wide list (guarded by a mutex) for its lifetime;
// its predicate is called from whichever thread waits, so it must be cheap
// and thread-safe.
#pragma once

#include <chrono>
#include <functional>

namespace faultline::process {

using WaitDeadline = std::chrono::steady_clock::time_point;

enum class WaitResult { met, timed_out, stopped };

inline constexpr std::chrono::milliseconds kDefaultPollInterval{20};

// True when a termination signal arrived or a StopCondition holds.
bool stop_requested();

// Polls `condition` (first at once) every `interval` until it holds (met),
// `deadline` passes (timed_out; the condition is asked one last time), or
// stop_requested() (stopped). A slow condition delays the answer by at most
// one call of it.
WaitResult wait_until(const std::function<bool()>& condition, WaitDeadline deadline,
                      std::chrono::milliseconds interval = kDefaultPollInterval);

// Sleeps until `until` unless asked to stop first; false when asked.
bool sleep_until(WaitDeadline until);

// While an instance lives, stop_requested() is also true whenever
// `condition` holds. Not copyable or movable: it is registered by address.
class StopCondition {
 public:
  explicit StopCondition(std::function<bool()> condition);
  ~StopCondition();
  StopCondition(const StopCondition&) = delete;
  StopCondition& operator=(const StopCondition&) = delete;

 private:
  std::function<bool()> condition_;
};

}  // namespace faultline::process
