// timeout: stops the links' data, and closes each connection after a time, or after a number of
// bytes (link proxy; toxiproxy's timeout and limit_data).
#include "chaos/faults/link_faults.hpp"

namespace faultline::faults {

const KindDef& timeout_kind() {
  static const KindDef def = [] {
    KindSpec spec;
    spec.name = "timeout";
    spec.summary =
        "stops the links' data, and closes each connection after a time, or after a number of "
        "bytes (link proxy; toxiproxy's timeout and limit_data)";
    spec.effect = Effect::isolated;
    spec.targets = TargetKind::links;
    spec.heal = "lift the toxic";
    spec.needs_kernel = false;
    std::vector<ParamSpec> params;
    ParamSpec after_ms =
        param("timeout_ms", ParamType::integer,
              "close a connection this long after the data stopped (0: never close)", Json(0),
              false, 0, 3'600'000);
    ParamSpec after_bytes =
        param("after_bytes", ParamType::integer,
              "let this many bytes through each connection first, then stop (0: stop at once)",
              Json(0), false, 0, 1e12);
    params = {after_ms, after_bytes};
    for (auto& p : link_selection_params()) params.push_back(p);
    spec.params = params;
    return KindDef{spec, [](FaultRequest request) {
                     return make_link_fault(
                         std::move(request),
                         [](const Json& p) {
                           LinkEffect e;
                           e.timeout_ms = p.value("timeout_ms", std::int64_t{0});
                           const std::int64_t bytes = p.value("after_bytes", std::int64_t{0});
                           if (bytes > 0) e.limit_bytes = bytes;
                           return e;
                         },
                         confirm_installed);
                   }};
  }();
  return def;
}

}  // namespace faultline::faults
