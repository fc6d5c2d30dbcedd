// Shrinking a failing schedule to a small one that still fails.
//
// Delta-debugging in its simplest form: cut the run at the first violation
// (what comes after cannot matter, the run being deterministic), then remove
// actions one at a time, keeping each removal after which a violation is
// still found, until a full pass removes nothing or the run budget is spent.
//
// Thread-safety: pure function.
#pragma once

#include <cstddef>

#include "cluster/sim/config.hpp"
#include "cluster/sim/schedule.hpp"
#include "cluster/sim/simulator.hpp"

namespace faultline::sim {

struct ShrinkResult {
  SimConfig config;   // duration cut to just past the first violation
  Schedule schedule;  // the smallest failing schedule found
  SimResult result;   // its run
  std::size_t runs = 0;
};

// Precondition: run(config, schedule) finds a violation. If it does not,
// the result's `result.violations` is empty and nothing was shrunk.
ShrinkResult shrink(const SimConfig& config, const Schedule& schedule, std::size_t max_runs = 400);

}  // namespace faultline::sim
