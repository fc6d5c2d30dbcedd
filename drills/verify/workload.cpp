#include "drills/verify/workload.hpp"

#include <algorithm>
#include <cmath>

namespace faultline::verify {

std::optional<double> percentile(std::vector<double> samples, double p) {
  if (samples.empty()) return std::nullopt;
  std::sort(samples.begin(), samples.end());
  const double rank = std::ceil(p / 100.0 * static_cast<double>(samples.size()));
  const auto index = static_cast<std::size_t>(std::clamp(rank, 1.0, static_cast<double>(samples.size()))) - 1;
  return samples[index];
}

WorkloadStats measure_workload(const History& h) {
  WorkloadStats w;
  const auto buckets = static_cast<std::size_t>(std::max<std::int64_t>(h.end_ns, 0) / w.bucket_ns) + 1;
  w.acked_writes.assign(buckets, 0);
  w.failed_writes.assign(buckets, 0);
  const auto t_f = h.fault_ns();
  const std::int64_t healed = h.faults.empty() ? 0 : h.faults.front().heal_ns.value_or(h.end_ns);
  std::vector<double> baseline;
  std::vector<double> during;
  for (const Op& op : h.ops) {
    switch (op.result) {
      case OpResult::ok: ++w.ok; break;
      case OpResult::fail: ++w.fail; break;
      case OpResult::unknown: ++w.unknown; break;
    }
    if (!op.is_put()) continue;
    const auto bucket = std::min(static_cast<std::size_t>(std::max<std::int64_t>(op.complete_ns, 0) / w.bucket_ns),
                                 buckets - 1);
    if (op.result == OpResult::ok) {
      ++w.acked_writes[bucket];
      if (!t_f || op.complete_ns < *t_f) baseline.push_back(op.latency_ms());
      if (t_f && op.invoke_ns >= *t_f && op.invoke_ns < healed) during.push_back(op.latency_ms());
    } else {
      ++w.failed_writes[bucket];
    }
  }
  w.baseline_writes = baseline.size();
  w.baseline_p50_ms = percentile(baseline, 50.0);
  w.baseline_p99_ms = percentile(std::move(baseline), 99.0);
  w.fault_writes = during.size();
  w.fault_p50_ms = percentile(during, 50.0);
  w.fault_p99_ms = percentile(std::move(during), 99.0);
  return w;
}

}  // namespace faultline::verify
