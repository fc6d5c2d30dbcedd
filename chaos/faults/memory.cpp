// memory: memory pressure beside the target, from stress-ng's VM workers
// (`--vm N --vm-bytes M --vm-keep`: each keeps M MiB mapped and touched) in
// the target's network namespace, for the fault's duration: the page cache
// and the member's own memory compete with it. Confirmed when the group's
// resident memory reaches 80 % of what it asked for; the heal journals its
// peak and the memory the host had available.
#include "chaos/faults/stress.hpp"

namespace faultline::faults {

const KindDef& memory_kind() {
  static const KindDef def = [] {
    KindSpec spec;
    spec.name = "memory";
    spec.summary =
        "memory pressure beside the target: stress-ng VM workers keeping memory resident, bounded in "
        "time; journals the resident memory reached";
    spec.effect = Effect::degraded;
    spec.heal = "stop stress-ng; no process of its group left";
    spec.backend = "stress-ng";
    spec.params = {param("workers", ParamType::integer, "stress-ng VM workers", Json(1), false, 1, 64),
                   param("mb", ParamType::integer, "MiB each worker keeps resident", Json(256), false, 1, 65536),
                   stress_duration_param()};
    return KindDef{spec, [](FaultRequest request) {
                     return make_stress_fault(std::move(request), [](const Json& p) {
                       const int workers = p.value("workers", 1);
                       const std::int64_t mb = p.value("mb", std::int64_t{256});
                       const double asked = static_cast<double>(workers) * static_cast<double>(mb) * 1048576.0;
                       StressPlan plan;
                       plan.args = {"--vm", std::to_string(workers), "--vm-bytes", std::to_string(mb) + "M",
                                    "--vm-keep"};
                       plan.describe = std::to_string(workers) + " VM workers keeping " + std::to_string(mb) +
                                       " MiB each";
                       plan.confirm = [asked](const GroupUsage& usage, double, double)
                           -> std::optional<std::string> {
                         if (static_cast<double>(usage.rss_bytes) >= asked * 0.8) return std::nullopt;
                         return "its resident memory is " + std::to_string(usage.rss_bytes / 1048576) +
                                " MiB of the " + std::to_string(static_cast<long>(asked / 1048576.0)) + " asked";
                       };
                       return plan;
                     });
                   }};
  }();
  return def;
}

}  // namespace faultline::faults
