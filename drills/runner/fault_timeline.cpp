#include "drills/runner/fault_timeline.hpp"

namespace faultline::runner {

faults::FaultRequest fault_request(const plan::FaultSpec& spec, std::size_t index) {
  faults::FaultRequest request;
  request.index = index;
  request.spec = faults::find_kind(spec.kind);
  request.target = spec.target;
  request.params = spec.params;
  request.heal_after_ms = spec.heal_after_ms;
  return request;
}

FaultTimeline::FaultTimeline(const std::vector<plan::FaultSpec>& faults, faults::FaultRegistry& registry)
    : registry_(registry) {
  for (std::size_t i = 0; i < faults.size(); ++i) {
    slots_.push_back(Slot{fault_request(faults[i], i), faults[i].at_ms, faults[i].heal_after_ms, false, false});
  }
}

std::optional<std::string> FaultTimeline::step(std::chrono::steady_clock::duration elapsed) {
  const auto elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
  for (Slot& slot : slots_) {
    if (!slot.injected && elapsed_ms >= slot.at_ms) {
      slot.injected = true;
      if (auto error = registry_.inject(slot.request)) return error;
    }
    if (slot.injected && !slot.healed && slot.heal_after_ms &&
        elapsed_ms >= slot.at_ms + *slot.heal_after_ms) {
      slot.healed = true;
      if (auto error = registry_.heal(slot.request.index, "timeline")) return error;
    }
  }
  return registry_.step_all();
}

std::optional<std::string> FaultTimeline::finish() {
  for (Slot& slot : slots_) {
    if (slot.injected && !slot.healed && slot.heal_after_ms) {
      slot.healed = true;
      if (auto error = registry_.heal(slot.request.index, "end of workload")) return error;
    }
  }
  const auto errors = registry_.heal_at_end();
  if (!errors.empty()) return errors.front();
  return std::nullopt;
}

}  // namespace faultline::runner
