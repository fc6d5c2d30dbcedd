#include "cluster/coordinator/mcp_breaker.hpp"

namespace faultline::coordinator {

CircuitBreaker::CircuitBreaker(const settings::RoutingSettings& s)
    : error_percentage_(s.error_percentage),
      window_(s.window_ms),
      minimum_requests_(s.minimum_requests),
      half_open_after_(s.half_open_after_ms) {}

void CircuitBreaker::prune(Node& n, Clock::time_point now) const {
  while (!n.window.empty() && now - n.window.front().first > window_) n.window.pop_front();
}

bool CircuitBreaker::allow(const std::string& node, Clock::time_point now) {
  std::lock_guard lock(mu_);
  Node& n = nodes_[node];
  switch (n.state) {
    case State::closed: return true;
    case State::open:
      if (now - n.opened_at < half_open_after_) return false;
      n.state = State::half_open;
      n.trial_in_flight = true;
      return true;
    case State::half_open:
      if (n.trial_in_flight) return false;
      n.trial_in_flight = true;
      return true;
  }
  return true;
}

void CircuitBreaker::record(const std::string& node, bool success, Clock::time_point now) {
  std::lock_guard lock(mu_);
  Node& n = nodes_[node];
  if (n.state == State::half_open) {
    n.trial_in_flight = false;
    n.window.clear();
    if (success) {
      n.state = State::closed;
    } else {
      n.state = State::open;
      n.opened_at = now;
    }
    return;
  }
  if (n.state == State::open) return;  // a request that began before it opened
  n.window.emplace_back(now, success);
  prune(n, now);
  const int total = static_cast<int>(n.window.size());
  int failures = 0;
  for (const auto& entry : n.window) failures += entry.second ? 0 : 1;
  if (total >= minimum_requests_ && failures * 100 > error_percentage_ * total) {
    n.state = State::open;
    n.opened_at = now;
  }
}

std::string CircuitBreaker::state(const std::string& node, Clock::time_point now) const {
  std::lock_guard lock(mu_);
  const auto it = nodes_.find(node);
  if (it == nodes_.end()) return "closed";
  switch (it->second.state) {
    case State::closed: return "closed";
    case State::open: return now - it->second.opened_at < half_open_after_ ? "open" : "half-open";
    case State::half_open: return "half-open";
  }
  return "closed";
}

}  // namespace faultline::coordinator
