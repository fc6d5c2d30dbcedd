// slow_close: delays the close of the links' connections: when one side closes, the other learns of
// it only after the delay (link proxy).
#include "chaos/faults/link_faults.hpp"

namespace faultline::faults {

const KindDef& slow_close_kind() {
  static const KindDef def = [] {
    KindSpec spec;
    spec.name = "slow_close";
    spec.summary =
        "delays the close of the links' connections: when one side closes, the other learns of it "
        "only after the delay (link proxy)";
    spec.effect = Effect::degraded;
    spec.targets = TargetKind::links;
    spec.heal = "lift the toxic";
    spec.needs_kernel = false;
    std::vector<ParamSpec> params;
    params = {param("delay_ms", ParamType::number, "how long the close is held back", std::nullopt,
                    true, 1, 600'000)};
    for (auto& p : link_selection_params()) params.push_back(p);
    spec.params = params;
    return KindDef{spec, [](FaultRequest request) {
                     return make_link_fault(
                         std::move(request),
                         [](const Json& p) {
                           LinkEffect e;
                           e.slow_close_ms = p.value("delay_ms", 0.0);
                           return e;
                         },
                         confirm_installed);
                   }};
  }();
  return def;
}

}  // namespace faultline::faults
