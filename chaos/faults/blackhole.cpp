// blackhole: accepts the links' connections and never answers: what is sent is read and dropped
// (link proxy).
#include "chaos/faults/link_faults.hpp"

namespace faultline::faults {

const KindDef& blackhole_kind() {
  static const KindDef def = [] {
    KindSpec spec;
    spec.name = "blackhole";
    spec.summary =
        "accepts the links' connections and never answers: what is sent is read and dropped (link "
        "proxy)";
    spec.effect = Effect::isolated;
    spec.targets = TargetKind::links;
    spec.heal = "lift the toxic";
    spec.needs_kernel = false;
    std::vector<ParamSpec> params;
    params = {};
    for (auto& p : link_selection_params()) params.push_back(p);
    spec.params = params;
    return KindDef{spec, [](FaultRequest request) {
                     return make_link_fault(
                         std::move(request),
                         [](const Json&) {
                           LinkEffect e;
                           e.blackhole = true;
                           return e;
                         },
                         confirm_installed);
                   }};
  }();
  return def;
}

}  // namespace faultline::faults
