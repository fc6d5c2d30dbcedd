// cpu: CPU pressure beside the target, from stress-ng (`--cpu N --cpu-load
// P`) in the target's network namespace, for the fault's duration: the
// member competes for the cores with N busy workers. On a host without a
// cgroup per member the pressure is the host's: every process on it shares
// the cores (docs/faults.md, "Resources"). Confirmed when stress-ng's
// process group uses at least half the cores it asked for, over a second,
// as /proc reads it; the heal journals the CPU time it used and its mean.
#include <unistd.h>

#include "chaos/faults/stress.hpp"

namespace faultline::faults {

const KindDef& cpu_kind() {
  static const KindDef def = [] {
    KindSpec spec;
    spec.name = "cpu";
    spec.summary =
        "CPU pressure beside the target: stress-ng CPU workers at a load, bounded in time; journals "
        "the cores they used";
    spec.effect = Effect::degraded;
    spec.heal = "stop stress-ng; no process of its group left";
    spec.backend = "stress-ng";
    spec.params = {param("workers", ParamType::integer, "stress-ng CPU workers", Json(2), false, 1, 64),
                   param("load_pct", ParamType::integer, "the load each worker puts on its core", Json(100),
                         false, 1, 100),
                   stress_duration_param()};
    return KindDef{spec, [](FaultRequest request) {
                     return make_stress_fault(std::move(request), [](const Json& p) {
                       const int workers = p.value("workers", 2);
                       const int load = p.value("load_pct", 100);
                       const long cores = std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN));
                       const double asked = static_cast<double>(std::min<long>(workers, cores)) * load / 100.0;
                       StressPlan plan;
                       plan.args = {"--cpu", std::to_string(workers), "--cpu-load", std::to_string(load)};
                       plan.describe = std::to_string(workers) + " CPU workers at " + std::to_string(load) + " %";
                       plan.confirm = [asked](const GroupUsage&, double rate, double seconds)
                           -> std::optional<std::string> {
                         if (seconds >= 0.5 && rate >= asked * 0.5) return std::nullopt;
                         return "it uses " + std::to_string(rate) + " cores of the " + std::to_string(asked) +
                                " asked";
                       };
                       return plan;
                     });
                   }};
  }();
  return def;
}

}  // namespace faultline::faults
