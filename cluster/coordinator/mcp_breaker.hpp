// A circuit breaker per node, as a coordinator sees its requests to it:
// closed while requests succeed; open once more than errorThresholdPercentage
// of at least minimumRequests requests in the rolling window failed (Hystrix's
// rule, with its minimum-volume guard); half-open after halfOpenAfter, when
// one trial request goes through: success closes the breaker, failure opens
// it for another halfOpenAfter. An open breaker sends a session's requests to
// another replica (mcp_router.cpp). Time is given by the caller, so tests
// drive it with a fake clock.
//
// Thread-safety: all methods may be called from any thread (one mutex).
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <string>

#include "cluster/settings/settings.hpp"

namespace faultline::coordinator {

class CircuitBreaker {
 public:
  using Clock = std::chrono::steady_clock;
  explicit CircuitBreaker(const settings::RoutingSettings& settings);

  // May a request go to `node` now? A half-open breaker admits one trial at
  // a time.
  bool allow(const std::string& node, Clock::time_point now);
  void record(const std::string& node, bool success, Clock::time_point now);
  // "closed", "open" or "half-open".
  std::string state(const std::string& node, Clock::time_point now) const;

 private:
  enum class State { closed, open, half_open };
  struct Node {
    State state = State::closed;
    std::deque<std::pair<Clock::time_point, bool>> window;  // (when, success)
    Clock::time_point opened_at{};
    bool trial_in_flight = false;
  };
  void prune(Node& n, Clock::time_point now) const;

  const int error_percentage_;
  const std::chrono::milliseconds window_;
  const int minimum_requests_;
  const std::chrono::milliseconds half_open_after_;
  mutable std::mutex mu_;
  std::map<std::string, Node> nodes_;  // guarded by mu_
};

}  // namespace faultline::coordinator
