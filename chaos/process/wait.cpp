#include "chaos/process/wait.hpp"

#include <poll.h>

#include <algorithm>
#include <mutex>
#include <vector>

#include "chaos/process/termination.hpp"

namespace faultline::process {
namespace {

// Process-wide like the signal flag it extends (see header).
std::mutex g_mu;
std::vector<const std::function<bool()>*> g_conditions;  // guarded by g_mu

bool condition_holds() {
  std::lock_guard lock(g_mu);
  for (const auto* condition : g_conditions) {
    if ((*condition)()) return true;
  }
  return false;
}

// A stop condition has no pipe to wake a sleeper: naps are cut at this, so
// one is seen within it even inside a long interval.
constexpr long long kLongestNapMs = 100;

// Sleeps up to `how_long`, woken early by a termination signal (the pipe
// becomes readable). Without installed handlers the fd is -1, which poll(2)
// ignores: a plain sleep.
void nap(std::chrono::steady_clock::duration how_long) {
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(how_long).count();
  if (ms <= 0) return;
  pollfd p{termination_fd(), POLLIN, 0};
  ::poll(&p, 1, static_cast<int>(std::min<long long>(ms, kLongestNapMs)));
}

}  // namespace

bool stop_requested() { return termination_requested() != 0 || condition_holds(); }

WaitResult wait_until(const std::function<bool()>& condition, WaitDeadline deadline,
                      std::chrono::milliseconds interval) {
  while (true) {
    if (stop_requested()) return WaitResult::stopped;
    if (condition()) return WaitResult::met;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return WaitResult::timed_out;
    const auto next_poll = std::min(now + interval, deadline);
    while (std::chrono::steady_clock::now() < next_poll) {
      if (stop_requested()) return WaitResult::stopped;
      nap(next_poll - std::chrono::steady_clock::now());
    }
  }
}

bool sleep_until(WaitDeadline until) {
  while (!stop_requested()) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= until) return true;
    nap(until - now);
  }
  return false;
}

StopCondition::StopCondition(std::function<bool()> condition) : condition_(std::move(condition)) {
  std::lock_guard lock(g_mu);
  g_conditions.push_back(&condition_);
}

StopCondition::~StopCondition() {
  std::lock_guard lock(g_mu);
  g_conditions.erase(std::remove(g_conditions.begin(), g_conditions.end(), &condition_), g_conditions.end());
}

}  // namespace faultline::process
