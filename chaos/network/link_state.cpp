#include "chaos/network/link_state.hpp"

#include <algorithm>

namespace faultline::network {

faults::LinkEffect compose(const faults::LinkEffect& a, const faults::LinkEffect& b) {
  faults::LinkEffect c;
  c.blocked = a.blocked || b.blocked;
  c.reset = a.reset || b.reset;
  c.blackhole = a.blackhole || b.blackhole;
  c.loss = 1.0 - (1.0 - a.loss) * (1.0 - b.loss);
  c.latency_ms = a.latency_ms + b.latency_ms;
  c.jitter_ms = a.jitter_ms + b.jitter_ms;
  c.distribution = b.latency_ms > a.latency_ms ? b.distribution : a.distribution;
  auto lowest_limit = [](double x, double y) { return x <= 0 ? y : y <= 0 ? x : std::min(x, y); };
  c.bandwidth_bytes_per_s = lowest_limit(a.bandwidth_bytes_per_s, b.bandwidth_bytes_per_s);
  c.slow_close_ms = std::max(a.slow_close_ms, b.slow_close_ms);
  auto strictest = [](const std::optional<std::int64_t>& x, const std::optional<std::int64_t>& y,
                      bool zero_is_loosest) -> std::optional<std::int64_t> {
    if (!x) return y;
    if (!y) return x;
    if (zero_is_loosest) {
      if (*x == 0) return y;
      if (*y == 0) return x;
    }
    return std::min(*x, *y);
  };
  // timeout 0 means "stop, never close": any timeout that closes is stricter.
  c.timeout_ms = strictest(a.timeout_ms, b.timeout_ms, true);
  c.limit_bytes = strictest(a.limit_bytes, b.limit_bytes, false);
  return c;
}

const faults::LinkEffects* LinkState::of(int owner) const {
  const auto it = owners_.find(owner);
  return it == owners_.end() ? nullptr : &it->second;
}

faults::LinkEffects LinkState::composed() const {
  faults::LinkEffects out;
  for (const auto& [owner, effects] : owners_) {
    for (const auto& [link, effect] : effects) {
      auto it = out.find(link);
      if (it == out.end()) {
        out.emplace(link, effect);
      } else {
        it->second = compose(it->second, effect);
      }
    }
  }
  return out;
}

std::set<faults::Link> LinkState::links() const {
  std::set<faults::Link> out;
  for (const auto& [owner, effects] : owners_) {
    for (const auto& [link, effect] : effects) out.insert(link);
  }
  return out;
}

}  // namespace faultline::network
