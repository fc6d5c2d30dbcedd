// bandwidth: limits what the links carry to a rate, shared by all connections of a link (token
// bucket in the link proxy).
#include "chaos/faults/link_faults.hpp"

namespace faultline::faults {

const KindDef& bandwidth_kind() {
  static const KindDef def = [] {
    KindSpec spec;
    spec.name = "bandwidth";
    spec.summary =
        "limits what the links carry to a rate, shared by all connections of a link (token bucket "
        "in the link proxy)";
    spec.effect = Effect::degraded;
    spec.targets = TargetKind::links;
    spec.heal = "lift the toxic";
    spec.needs_kernel = false;
    std::vector<ParamSpec> params;
    params = {param("rate_kbps", ParamType::number, "kilobytes (1,000 bytes) per second",
                    std::nullopt, true, 1, 10'000'000)};
    for (auto& p : link_selection_params()) params.push_back(p);
    spec.params = params;
    return KindDef{spec, [](FaultRequest request) {
                     return make_link_fault(
                         std::move(request),
                         [](const Json& p) {
                           LinkEffect e;
                           e.bandwidth_bytes_per_s = p.value("rate_kbps", 0.0) * 1000.0;
                           return e;
                         },
                         confirm_installed);
                   }};
  }();
  return def;
}

}  // namespace faultline::faults
