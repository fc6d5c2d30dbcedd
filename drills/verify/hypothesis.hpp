// The declared steady-state hypothesis over a journal: for each probe of
// `steady_state.probes`, the intervals in which it did not hold, and from
// them the instant the hypothesis held again after the fault (RTO's t_r),
// whether it held before any fault, and whether it held at the end.
//
// Probes computed from the workload (success_rate, latency) are evaluated
// on a grid of `steady_state.sample_ms` over the operations that completed
// in the probe's sliding window (from the first full window after the
// workload's first operation to its last completion). Sampled probes (http,
// metric, raft, cluster, command) hold or not from each `probe` event of
// theirs until the next one. A failure shorter than the probe's
// `tolerance_ms` still counts as holding. "Before any fault" ends when the
// first fault's action was taken (its signal), so a probe that sees the
// fault before its effect is confirmed does not count against the system.
//
// Thread-safety: pure functions of the history.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "drills/verify/history.hpp"

namespace faultline::verify {

struct ProbeTimeline {
  std::string name;
  std::string kind;
  bool continuous = false, before = false, after = false;
  // When the probe was evaluated: its first and last point (none: never).
  std::optional<std::int64_t> from_ns, to_ns;
  std::vector<std::pair<std::int64_t, std::int64_t>> bad;  // [start, end), sorted, merged
  std::size_t points = 0;
  bool holds_at_end = false;
  // The end of its last bad interval at or before the hypothesis' recovery:
  // the probe with the latest one is what held recovery back.
  std::optional<std::int64_t> recovered_ns;
};

struct HypothesisResult {
  bool declared = false;  // the plan declared probes
  std::vector<ProbeTimeline> probes;
  std::optional<std::int64_t> recovery_ns;  // when the continuous probes held again for W
  std::string held_back_by;                 // the continuous probe that recovered last
  std::vector<std::string> failed_before;   // `before` probes that failed before the first fault
  std::vector<std::string> failed_after;    // `after` probes that did not hold at the end
};

// `t_f`: the fault instant, or none for a run without a fault (then only
// before/after are judged, over the whole run).
HypothesisResult evaluate_hypothesis(const History& h, std::optional<std::int64_t> t_f);

}  // namespace faultline::verify
