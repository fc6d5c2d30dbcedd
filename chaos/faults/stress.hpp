// What the resource kinds (cpu, memory) share: a stress-ng process group
// per target, started in the target's network namespace as a helper tied to
// the run (FaultEnvironment::start_helper: its own process group, a
// parent-death signal, and stress-ng's own --timeout as a bound in time, so
// it never outlives the run even if every other guarantee failed), confirmed
// by the load it achieves as /proc reads it, sampled while it runs, and
// stopped at the heal, confirmed when no process of its group is left.
#pragma once

#include <functional>

#include "chaos/faults/kinds.hpp"
#include "chaos/faults/proc_usage.hpp"

namespace faultline::faults {

struct StressPlan {
  // stress-ng's arguments after the program name, without --timeout.
  std::vector<std::string> args;
  // Nullopt when `usage` over `seconds` since the start shows the pressure,
  // else what is still missing.
  std::function<std::optional<std::string>(const GroupUsage& usage, double cpu_rate, double seconds)> confirm;
  std::string describe;  // "2 CPU workers at 100 %"
};

// The Fault of cpu and memory: `plan` turns the request's parameters into
// stress-ng's arguments and the check of its load.
std::unique_ptr<Fault> make_stress_fault(FaultRequest request, std::function<StressPlan(const Json& params)> plan);

// `max_duration_ms`: the bound in time when the plan does not heal it.
ParamSpec stress_duration_param();

}  // namespace faultline::faults
