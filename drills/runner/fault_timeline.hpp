// The plan's faults on the workload's clock: each fault is injected at its
// `at_ms` and healed `heal_after_ms` later, through the fault registry
// (chaos/faults/registry.hpp), which journals each instant when the effect
// is confirmed rather than when it was asked for, and heals whatever is
// still in force on every way out of the run.
//
// Must be driven from the runner's main thread (kinds spawn members).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "chaos/faults/registry.hpp"
#include "drills/plan/model.hpp"

namespace faultline::runner {

class FaultTimeline {
 public:
  FaultTimeline(const std::vector<plan::FaultSpec>& faults, faults::FaultRegistry& registry);

  // Carries out every action due at `elapsed` since the workload started,
  // then gives every fault in force its step (crash loops, rolling restarts).
  // Returns why, when a fault could not be applied, stepped or healed.
  std::optional<std::string> step(std::chrono::steady_clock::duration elapsed);
  // When the workload ends: heals, now, every fault whose heal is still
  // pending, and those of kinds that are healed at the end (a pause, a
  // partition), so the cluster can be read back whole.
  std::optional<std::string> finish();
  // Faults in force now, for the console.
  std::vector<std::string> in_force() const { return registry_.describe_in_force(); }

 private:
  struct Slot {
    faults::FaultRequest request;
    std::int64_t at_ms = 0;
    std::optional<std::int64_t> heal_after_ms;
    bool injected = false;
    bool healed = false;
  };

  std::vector<Slot> slots_;
  faults::FaultRegistry& registry_;
};

// The registry's request for one plan entry (index = its position).
faults::FaultRequest fault_request(const plan::FaultSpec& spec, std::size_t index);

}  // namespace faultline::runner
