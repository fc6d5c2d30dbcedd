// reset: resets the links' TCP connections: new ones are refused at once, open ones reset on their
// next packet (`reject with tcp reset`, or RST from the proxy).
#include "chaos/faults/link_faults.hpp"

namespace faultline::faults {

const KindDef& reset_kind() {
  static const KindDef def = [] {
    KindSpec spec;
    spec.name = "reset";
    spec.summary =
        "resets the links' TCP connections: new ones are refused at once, open ones reset on their "
        "next packet (`reject with tcp reset`, or RST from the proxy)";
    spec.effect = Effect::isolated;
    spec.targets = TargetKind::links;
    spec.heal = "lift the rules";
    spec.needs_kernel = false;
    std::vector<ParamSpec> params;
    params = {};
    for (auto& p : link_selection_params()) params.push_back(p);
    spec.params = params;
    return KindDef{
        spec, [](FaultRequest request) {
          return make_link_fault(
              std::move(request),
              [](const Json&) {
                LinkEffect e;
                e.reset = true;
                return e;
              },
              [](FaultEnvironment& env, const FaultRequest& fault, const std::vector<Link>& links,
                 std::string& confirmed, Json& measured) {
                return confirm_connects(env, fault, links, false, confirmed, measured);
              });
        }};
  }();
  return def;
}

}  // namespace faultline::faults
