#include "chaos/faults/links.hpp"

#include <algorithm>

namespace faultline::faults {

bool LinkEffect::needs_proxy() const {
  return latency_ms > 0 || jitter_ms > 0 || bandwidth_bytes_per_s > 0 || blackhole ||
         slow_close_ms > 0 || timeout_ms.has_value() || limit_bytes.has_value();
}

std::optional<double> RttProbe::median_ms() const {
  if (samples_ms.empty()) return std::nullopt;
  std::vector<double> sorted = samples_ms;
  std::sort(sorted.begin(), sorted.end());
  return sorted[sorted.size() / 2];
}

}  // namespace faultline::faults
