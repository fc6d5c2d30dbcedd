// Checks of the fault list, driven by the fault catalogue (chaos/faults):
// each entry's kind, target and timing, and the kind's own parameters with
// their types, ranges and defaults. Adding a kind adds its parameters here
// without a line of this file changing.
#include <algorithm>
#include <set>
#include <string>

#include "chaos/faults/selector.hpp"
#include "chaos/faults/spec.hpp"
#include "drills/plan/suggest.hpp"
#include "drills/plan/params.hpp"
#include "drills/plan/validate.hpp"

namespace faultline::plan {
namespace {

using nlohmann::json;
using faults::KindSpec;
using faults::ParamSpec;
using faults::ParamType;

constexpr const char* kHealField = "heal_after_ms";

std::vector<std::string> generic_fields() { return {"kind", "target", "at_ms", kHealField}; }

// True when `selector` picks workers: "worker", "workers" or a worker's id.
bool names_workers(const std::string& selector, const FaultContext& context) {
  if (selector == "worker" || selector == "workers") return true;
  return std::find(context.workers.begin(), context.workers.end(), selector) != context.workers.end();
}

// Every name a heal may be written under, for any kind.
std::set<std::string> all_heal_aliases() {
  std::set<std::string> out;
  for (const KindSpec& k : faults::catalogue()) out.insert(k.heal_aliases.begin(), k.heal_aliases.end());
  return out;
}

std::optional<FaultSpec> read_fault(const json& value, const JsonPath& path,
                                    const FaultContext& context, Issues& issues) {
  if (!value.is_object()) {
    issues.push_back({path, "expected an object, found " + describe(value)});
    return std::nullopt;
  }
  const std::size_t before = issues.size();
  FaultSpec fault;
  const KindSpec* spec = nullptr;
  const auto kind_it = value.find("kind");
  if (kind_it == value.end()) {
    issues.push_back({child(path, "kind"), "missing required field (one of: " +
                                               join(faults::kind_names()) + ")"});
  } else if (auto kind = read_string(*kind_it, child(path, "kind"), issues)) {
    spec = faults::find_kind(*kind);
    fault.kind = *kind;
    if (spec == nullptr) {
      std::string message = "unknown fault kind " + show_text(*kind);
      if (auto near = closest_match(*kind, faults::kind_names())) {
        message += "; did you mean " + show_text(*near) + "?";
      }
      issues.push_back({child(path, "kind"), message + "; allowed: " + join(faults::kind_names())});
    }
  }

  // Without a known kind its parameters are unknown too: only the fields
  // every kind has are checked, and other members are not reported.
  std::vector<std::string> known = generic_fields();
  if (spec != nullptr) {
    known.insert(known.end(), spec->heal_aliases.begin(), spec->heal_aliases.end());
    for (const ParamSpec& p : spec->params) known.push_back(p.name);
  } else {
    for (const auto& [key, member] : value.items()) known.push_back(key);
  }
  // A heal alias of another kind gets its own message, not a did-you-mean.
  if (spec != nullptr) {
    for (const std::string& alias : all_heal_aliases()) {
      if (value.contains(alias) &&
          std::find(spec->heal_aliases.begin(), spec->heal_aliases.end(), alias) == spec->heal_aliases.end()) {
        issues.push_back({child(path, alias), "does not apply to a " + spec->name + " fault; use " +
                                                  std::string(kHealField)});
        known.push_back(alias);
      }
    }
  }
  ObjectReader r(value, path, issues, known);

  // A kind that cannot act on this topology's members is refused here, with
  // why, rather than run as a fault that does nothing.
  if (spec != nullptr && context.topology_known) {
    if (auto refusal = faults::topology_refusal(*spec, context.topology_kind)) {
      issues.push_back({child(path, "kind"), *refusal});
    }
  }

  const Field<std::string> target =
      r.string("target", spec && !spec->default_target.empty() ? std::optional<std::string>(spec->default_target)
                                                               : std::nullopt,
               spec && !spec->default_target.empty() ? Need::optional : Need::required);
  if (target.value) {
    if (auto problem = selector_problem(*target.value, context)) {
      issues.push_back({r.path_of("target"), *problem});
    } else if (spec != nullptr && spec->voters_only && context.topology_known &&
               names_workers(*target.value, context)) {
      issues.push_back({r.path_of("target"), "a " + spec->name + " fault acts on voters only (" +
                                                 join(context.voters) + "); " + show_text(*target.value) +
                                                 " names workers"});
    }
    fault.target = *target.value;
  }

  const Field<std::int64_t> at = r.integer("at_ms", IntRule{0}, std::nullopt, Need::required);
  if (at.value) {
    fault.at_ms = *at.value;
    if (context.duration_ms && *at.value >= *context.duration_ms) {
      issues.push_back(
          {r.path_of("at_ms"), "must be before the end of the workload (workload.duration_ms = " +
                                   std::to_string(*context.duration_ms) + "), got " +
                                   std::to_string(*at.value)});
    }
  }

  std::vector<std::string> heal_names{kHealField};
  if (spec != nullptr) heal_names.insert(heal_names.end(), spec->heal_aliases.begin(), spec->heal_aliases.end());
  std::vector<std::string> present;
  for (const auto& name : heal_names) {
    if (r.member(name) != nullptr) present.push_back(name);
  }
  if (present.size() > 1) {
    issues.push_back({r.path_of(present[1]), "the heal is already given by " + present[0] +
                                                 "; write it once, as " + kHealField});
  } else if (present.size() == 1) {
    fault.heal_after_ms = r.integer(present[0], IntRule{0}, std::nullopt).value;
  }

  if (spec != nullptr) read_params(spec->params, r, context, fault.params, issues);
  if (issues.size() != before) return std::nullopt;
  return fault;
}

}  // namespace

std::vector<FaultSpec> read_faults(const json* list, const JsonPath& path,
                                   const FaultContext& context, Issues& issues) {
  std::vector<FaultSpec> out;
  if (list == nullptr) return out;
  if (!list->is_array()) {
    issues.push_back({path, "expected an array of faults, found " + describe(*list)});
    return out;
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    if (auto fault = read_fault((*list)[i], child(path, i), context, issues)) {
      out.push_back(std::move(*fault));
    }
  }
  return out;
}

}  // namespace faultline::plan
