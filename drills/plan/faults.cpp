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
#include "drills/plan/validate.hpp"

namespace faultline::plan {
namespace {

using nlohmann::json;
using faults::KindSpec;
using faults::ParamSpec;
using faults::ParamType;

constexpr const char* kHealField = "heal_after_ms";

std::vector<std::string> generic_fields() { return {"kind", "target", "at_ms", kHealField}; }

// The selector check of the catalogue, with a did-you-mean for a misspelt
// role ("leadr").
std::optional<std::string> selector_problem(const std::string& selector, const FaultContext& context) {
  if (!context.topology_known) return std::nullopt;
  auto problem = faults::check_selector(selector, context.voters, context.workers, context.others);
  if (!problem || problem->rfind("unknown target", 0) != 0) return problem;
  std::vector<std::string> words = faults::role_selectors();
  words.insert(words.end(), {"worker", "workers"});
  if (auto near = closest_match(selector, words)) {
    const auto at = problem->find("; allowed:");
    problem->insert(at == std::string::npos ? problem->size() : at, "; did you mean " + show_text(*near) + "?");
  }
  return problem;
}

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

void check_ids(const json& value, const JsonPath& path, const FaultContext& context,
               std::set<std::string>& seen, Issues& issues) {
  const std::string id = value.is_string() ? value.get<std::string>() : "";
  if (!value.is_string()) {
    issues.push_back({path, "expected a member id, found " + describe(value)});
  } else if (std::find(context.voters.begin(), context.voters.end(), id) == context.voters.end() &&
             std::find(context.workers.begin(), context.workers.end(), id) == context.workers.end() &&
             std::find(context.others.begin(), context.others.end(), id) == context.others.end()) {
    issues.push_back({path, show_text(id) + " is not a member of the topology (members: " +
                                join(context.voters) + ")"});
  } else if (!seen.insert(id).second) {
    issues.push_back({path, show_text(id) + " is in more than one group"});
  }
}

std::optional<json> read_param(const ParamSpec& p, const json& value, const JsonPath& path,
                               const FaultContext& context, Issues& issues) {
  switch (p.type) {
    case ParamType::integer: {
      auto v = read_integer(value, path,
                            IntRule{static_cast<std::int64_t>(p.min), static_cast<std::int64_t>(p.max)},
                            issues);
      return v ? std::optional<json>(*v) : std::nullopt;
    }
    case ParamType::number: {
      auto v = read_number(value, path, NumberRule{p.min, false, p.max}, issues);
      return v ? std::optional<json>(*v) : std::nullopt;
    }
    case ParamType::boolean: {
      auto v = read_boolean(value, path, issues);
      return v ? std::optional<json>(*v) : std::nullopt;
    }
    case ParamType::choice: {
      auto v = read_string(value, path, issues);
      if (!v) return std::nullopt;
      if (std::find(p.choices.begin(), p.choices.end(), *v) != p.choices.end()) return json(*v);
      std::string message = "unknown " + p.name + " " + show_text(*v);
      if (auto near = closest_match(*v, p.choices)) message += "; did you mean " + show_text(*near) + "?";
      issues.push_back({path, message + "; allowed: " + join(p.choices)});
      return std::nullopt;
    }
    case ParamType::selector: {
      auto v = read_string(value, path, issues);
      if (!v) return std::nullopt;
      if (auto problem = selector_problem(*v, context)) {
        issues.push_back({path, *problem});
        return std::nullopt;
      }
      return json(*v);
    }
    case ParamType::groups: {
      if (!value.is_array() || value.size() < 2) {
        issues.push_back({path, "expected an array of at least two groups (arrays of member ids), found " +
                                    describe(value)});
        return std::nullopt;
      }
      const std::size_t before = issues.size();
      std::set<std::string> seen;
      for (std::size_t g = 0; g < value.size(); ++g) {
        const JsonPath group_path = child(path, g);
        if (!value[g].is_array() || value[g].empty()) {
          issues.push_back({group_path, "expected a non-empty array of member ids, found " + describe(value[g])});
          continue;
        }
        for (std::size_t i = 0; i < value[g].size() && context.topology_known; ++i) {
          check_ids(value[g][i], child(group_path, i), context, seen, issues);
        }
      }
      if (issues.size() != before) return std::nullopt;
      return value;
    }
  }
  return std::nullopt;
}

bool applies(const ParamSpec& p, const json& params) {
  if (p.when_param.empty()) return true;
  const auto it = params.find(p.when_param);
  if (it == params.end() || !it->is_string()) return false;
  return std::find(p.when_values.begin(), p.when_values.end(), it->get<std::string>()) !=
         p.when_values.end();
}

void read_params(const KindSpec& spec, ObjectReader& r, const FaultContext& context,
                 FaultSpec& fault, Issues& issues) {
  // Parameters that others depend on (`shape`) first, so `when` can be judged.
  std::vector<const ParamSpec*> order;
  for (const ParamSpec& p : spec.params) order.push_back(&p);
  std::stable_sort(order.begin(), order.end(),
                   [](const ParamSpec* a, const ParamSpec* b) { return a->when_param.empty() && !b->when_param.empty(); });
  for (const ParamSpec* p : order) {
    const json* value = r.member(p->name);
    const bool relevant = applies(*p, fault.params);
    if (value != nullptr && !relevant) {
      std::string values = join(p->when_values);
      issues.push_back({r.path_of(p->name), "applies only when " + p->when_param + " is " + values});
      continue;
    }
    if (!relevant) continue;
    if (value == nullptr) {
      if (p->required) {
        issues.push_back({r.path_of(p->name), "missing required field (" + p->doc + ")"});
      } else if (p->fallback) {
        fault.params[p->name] = *p->fallback;
      }
      continue;
    }
    if (auto read = read_param(*p, *value, r.path_of(p->name), context, issues)) {
      fault.params[p->name] = std::move(*read);
    }
  }
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

  if (spec != nullptr) read_params(*spec, r, context, fault, issues);
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
