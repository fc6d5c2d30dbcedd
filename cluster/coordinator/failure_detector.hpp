// When a coordinator stops trusting a node: the failure detector of one node,
// fed the arrival times of its heartbeats (docs/reference-cluster.md,
// "Failure detection").
//
//  - fixed (MCPHub's rule): suspected once silent for more than nodeTimeout;
//  - adaptive: keeps the last `window` inter-arrival times and suspects the
//    node once the silence exceeds BOTH mean + k * stddev of them AND
//    `misses` mean intervals (that many expected heartbeats missed in a
//    row), never later than nodeTimeout, which stays the upper bound. Until
//    `min_samples` intervals are known it falls back to nodeTimeout.
//
// Why both conditions: the k * stddev term widens the bound for the jitter
// the node's link has shown; on a quiet link the stddev is near zero, and
// the misses term keeps one late heartbeat (a short latency spike) from
// counting as a failure. An interval longer than nodeTimeout is an outage,
// not jitter: it is not learned (one pause would otherwise stretch the bound
// for the next `window` heartbeats).
//
// Pure: every time is an argument (milliseconds on any monotonic clock), so
// tests feed arrival times and read the verdict.
//
// Thread-safety: none; the registry calls it under its own mutex.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace faultline::coordinator {

enum class DetectorKind { fixed, adaptive };
const char* to_string(DetectorKind kind);

struct DetectorSettings {
  DetectorKind kind = DetectorKind::fixed;
  std::int64_t node_timeout_ms = 15000;  // fixed: the timeout; adaptive: the upper bound
  double k = 3.0;
  int misses = 3;
  std::size_t window = 100;
  std::size_t min_samples = 10;
};

class FailureDetector {
 public:
  explicit FailureDetector(DetectorSettings settings);

  // A heartbeat (or registration) arrived at `now_ms`.
  void heartbeat(std::int64_t now_ms);
  // Forgets what was learned: a node that registers again is a new life.
  void reset();

  // The silence after which the node is suspected, as things stand.
  std::int64_t bound_ms() const;
  // Silent for longer than bound_ms() at `now_ms`; false before any heartbeat.
  bool suspected(std::int64_t now_ms) const;
  std::optional<std::int64_t> last_ms() const { return last_ms_; }

  // What the bound is made of, for the management API.
  std::size_t samples() const { return intervals_.size(); }
  double mean_ms() const;
  double stddev_ms() const;
  const DetectorSettings& settings() const { return settings_; }

 private:
  DetectorSettings settings_;
  std::optional<std::int64_t> last_ms_;
  std::vector<double> intervals_;  // a ring of at most settings_.window
  std::size_t next_ = 0;
};

}  // namespace faultline::coordinator
