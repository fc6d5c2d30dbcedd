// The workload's operations as they complete, for the probes computed from
// them (success_rate, latency) while the run goes: the halts and the
// `before` judgement need them live, the verdict computes them again from
// the journal afterwards (drills/verify/hypothesis.hpp), by the same rule:
// at instant t, the operations of the probe's kind (`of`) that completed in
// (t - window_ms, t]; nothing is judged before one whole window has passed
// since the first operation was invoked.
//
// Fed from the journal's observer with every `op.invoke` and `op.complete`
// event; keeps only what the longest window needs.
//
// Thread-safety: every method may be called from any thread (one mutex).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "drills/runner/probe_judge.hpp"

namespace faultline::runner {

class OpWindow {
 public:
  // `keep_ns`: the longest window any probe asks for.
  explicit OpWindow(std::int64_t keep_ns) : keep_ns_(keep_ns) {}

  // An `op.invoke` or `op.complete` event as journaled (others are ignored).
  void on_event(const std::string& kind, const Json& event);

  // The probe (success_rate or latency, with its params) at `now_ns`;
  // nullopt before its first whole window.
  std::optional<ProbeOutcome> evaluate(const std::string& kind, const Json& params, std::int64_t now_ns) const;

 private:
  struct Done {
    std::int64_t complete_ns = 0;
    bool put = false;
    bool ok = false;
    double latency_ms = 0;
  };

  const std::int64_t keep_ns_;
  mutable std::mutex mu_;
  std::optional<std::int64_t> first_invoke_ns_;      // guarded by mu_
  std::map<std::string, std::int64_t> open_;         // guarded by mu_: op id -> invoke t_ns
  std::deque<Done> done_;                            // guarded by mu_: by completion
};

}  // namespace faultline::runner
