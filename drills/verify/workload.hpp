// Workload facts for the report: op totals, acknowledged and failed writes
// per time bucket (the throughput chart), and baseline write latency.
//
// Thread-safety: pure functions of their arguments.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "drills/verify/history.hpp"

namespace faultline::verify {

inline constexpr std::int64_t kBucketNs = 100'000'000;  // 100 ms

struct WorkloadStats {
  std::size_t ok = 0;  // all ops (puts and gets) by result
  std::size_t fail = 0;
  std::size_t unknown = 0;
  std::int64_t bucket_ns = kBucketNs;
  // Bucket i covers [i * bucket_ns, (i + 1) * bucket_ns) of run time, by
  // completion; the last bucket holds end_ns.
  std::vector<std::size_t> acked_writes;   // puts with result ok
  std::vector<std::size_t> failed_writes;  // puts with result fail or unknown
  // Latency of ok puts completed before t_f (all ok puts if no fault),
  // nearest-rank percentiles; none if there were no such writes.
  std::size_t baseline_writes = 0;
  std::optional<double> baseline_p50_ms;
  std::optional<double> baseline_p99_ms;
  // Latency of ok puts invoked while the first fault was in force (from its
  // injection to its heal, or the end of the run): what a degrading fault
  // (a slow disk, a drifting clock, CPU pressure) did to the clients.
  std::size_t fault_writes = 0;
  std::optional<double> fault_p50_ms;
  std::optional<double> fault_p99_ms;
};

WorkloadStats measure_workload(const History& history);

// Nearest-rank percentile (p in (0, 100]) of unsorted samples; none if empty.
std::optional<double> percentile(std::vector<double> samples, double p);

}  // namespace faultline::verify
