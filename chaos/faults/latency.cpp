// latency: delays every chunk sent on the links by its own arrival time plus the delay (with jitter
// and a distribution, as netem has); order is kept.
#include "chaos/faults/link_faults.hpp"

namespace faultline::faults {

const KindDef& latency_kind() {
  static const KindDef def = [] {
    KindSpec spec;
    spec.name = "latency";
    spec.summary =
        "delays every chunk sent on the links by its own arrival time plus the delay (with jitter "
        "and a distribution, as netem has); order is kept";
    spec.effect = Effect::degraded;
    spec.targets = TargetKind::links;
    spec.heal = "lift the toxic";
    spec.needs_kernel = false;
    std::vector<ParamSpec> params;
    ParamSpec delay = param("delay_ms", ParamType::number, "added one-way delay of each chunk",
                            std::nullopt, true, 0, 60'000);
    ParamSpec jitter =
        param("jitter_ms", ParamType::number,
              "spread of the delay (the distribution's half-width or standard deviation)", Json(0),
              false, 0, 60'000);
    ParamSpec distribution = param("distribution", ParamType::choice,
                                   "how the delay is drawn per chunk", Json("uniform"));
    distribution.choices = {"uniform", "normal", "pareto", "paretonormal"};
    params = {delay, jitter, distribution};
    for (auto& p : link_selection_params()) params.push_back(p);
    spec.params = params;
    return KindDef{spec, [](FaultRequest request) {
                     return make_link_fault(
                         std::move(request),
                         [](const Json& p) {
                           LinkEffect e;
                           e.latency_ms = p.value("delay_ms", 0.0);
                           e.jitter_ms = p.value("jitter_ms", 0.0);
                           e.distribution = p.value("distribution", std::string("uniform"));
                           return e;
                         },
                         confirm_round_trip);
                   }};
  }();
  return def;
}

}  // namespace faultline::faults
