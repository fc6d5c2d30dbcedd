// Greedy one-at-a-time schedule shrinking.
#include "cluster/sim/shrink.hpp"

namespace faultline::sim {

ShrinkResult shrink(const SimConfig& config, const Schedule& schedule, std::size_t max_runs) {
  ShrinkResult best{config, schedule, run(config, schedule), 1};
  if (best.result.ok()) return best;
  const auto cut_after_violation = [](ShrinkResult& r) {
    r.config.duration_ms = r.result.first_violation_ms + 1;
    std::erase_if(r.schedule.actions,
                  [&](const Action& a) { return a.at_ms > r.result.first_violation_ms; });
  };
  cut_after_violation(best);
  bool progress = true;
  while (progress && best.runs < max_runs) {
    progress = false;
    // From the end: late actions are the likeliest to be irrelevant.
    for (std::size_t i = best.schedule.actions.size(); i-- > 0 && best.runs < max_runs;) {
      Schedule candidate = best.schedule;
      candidate.actions.erase(candidate.actions.begin() + static_cast<std::ptrdiff_t>(i));
      SimResult r = run(best.config, candidate);
      ++best.runs;
      if (!r.ok()) {
        best.schedule = std::move(candidate);
        best.result = std::move(r);
        cut_after_violation(best);
        progress = true;
      }
    }
  }
  return best;
}

}  // namespace faultline::sim
