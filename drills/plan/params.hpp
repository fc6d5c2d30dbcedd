// Reading the declared parameters of a catalogue entry — a fault kind's
// (chaos/faults/spec.hpp) or a probe kind's (probes.hpp) — from a plan
// object: types, ranges, choices, selectors, member groups, conditions on
// another parameter, and the defaults written into the validated value.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "chaos/faults/spec.hpp"
#include "drills/plan/reader.hpp"
#include "drills/plan/validate.hpp"

namespace faultline::plan {

// One value of parameter `p`, or nullopt with the problem recorded.
std::optional<nlohmann::json> read_param(const faults::ParamSpec& p, const nlohmann::json& value,
                                         const JsonPath& path, const FaultContext& context, Issues& issues);

// Every parameter of `params` from the object `r` reads, into `out`
// (defaults filled in; parameters whose condition does not hold are refused
// when given and left out otherwise).
void read_params(const std::vector<faults::ParamSpec>& params, ObjectReader& r, const FaultContext& context,
                 nlohmann::json& out, Issues& issues);

// The selector check of the catalogue, with a did-you-mean for a misspelt
// role ("leadr"); nullopt when valid or when the topology is unknown.
std::optional<std::string> selector_problem(const std::string& selector, const FaultContext& context);

}  // namespace faultline::plan
