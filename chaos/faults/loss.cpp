// loss: drops each packet sent on the links with a probability (nftables `numgen random` in the
// sender's namespace).
#include "chaos/faults/link_faults.hpp"

namespace faultline::faults {

const KindDef& loss_kind() {
  static const KindDef def = [] {
    KindSpec spec;
    spec.name = "loss";
    spec.summary =
        "drops each packet sent on the links with a probability (nftables `numgen random` in the "
        "sender's namespace)";
    spec.effect = Effect::degraded;
    spec.targets = TargetKind::links;
    spec.heal = "lift the rules";
    spec.needs_kernel = true;
    std::vector<ParamSpec> params;
    params = {param("probability", ParamType::number, "chance that a packet is dropped",
                    std::nullopt, true, 0, 1)};
    for (auto& p : link_selection_params()) params.push_back(p);
    spec.params = params;
    return KindDef{spec, [](FaultRequest request) {
                     return make_link_fault(
                         std::move(request),
                         [](const Json& p) {
                           LinkEffect e;
                           e.loss = p.value("probability", 0.0);
                           return e;
                         },
                         confirm_installed);
                   }};
  }();
  return def;
}

}  // namespace faultline::faults
