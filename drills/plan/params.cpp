#include "drills/plan/params.hpp"

#include <algorithm>
#include <set>

#include "chaos/faults/selector.hpp"
#include "drills/plan/suggest.hpp"

namespace faultline::plan {

using nlohmann::json;
using faults::ParamSpec;
using faults::ParamType;

// The selector check of the catalogue, with a did-you-mean for a misspelt
// role ("leadr").
std::optional<std::string> selector_problem(const std::string& selector, const FaultContext& context) {
  if (!context.topology_known) return std::nullopt;
  if (!context.roles && (selector == "leader" || selector == "follower" || selector == "followers")) {
    return "the topology's members report no roles (it declares no status request), so " + show_text(selector) +
           " matches no one: name a member (" + join(context.voters) + ") or use minority, majority or all";
  }
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

namespace {

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

}  // namespace

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
    case ParamType::text: {
      auto v = read_string(value, path, issues);
      return v ? std::optional<json>(*v) : std::nullopt;
    }
    case ParamType::text_list: {
      if (!value.is_array() || value.empty() ||
          !std::all_of(value.begin(), value.end(), [](const json& x) { return x.is_string() && !x.get<std::string>().empty(); })) {
        issues.push_back({path, "expected a non-empty array of non-empty strings, found " + describe(value)});
        return std::nullopt;
      }
      return value;
    }
    case ParamType::object: {
      if (!value.is_object()) {
        issues.push_back({path, "expected an object, found " + describe(value)});
        return std::nullopt;
      }
      return value;
    }
    case ParamType::any:
      return value;
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

namespace {

bool applies(const ParamSpec& p, const json& params) {
  if (p.when_param.empty()) return true;
  const auto it = params.find(p.when_param);
  if (it == params.end() || !it->is_string()) return false;
  return std::find(p.when_values.begin(), p.when_values.end(), it->get<std::string>()) !=
         p.when_values.end();
}

}  // namespace

void read_params(const std::vector<ParamSpec>& params, ObjectReader& r, const FaultContext& context, json& out,
                 Issues& issues) {
  // Parameters that others depend on (`shape`) first, so `when` can be judged.
  std::vector<const ParamSpec*> order;
  for (const ParamSpec& p : params) order.push_back(&p);
  std::stable_sort(order.begin(), order.end(),
                   [](const ParamSpec* a, const ParamSpec* b) { return a->when_param.empty() && !b->when_param.empty(); });
  for (const ParamSpec* p : order) {
    const json* value = r.member(p->name);
    const bool relevant = applies(*p, out);
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
        out[p->name] = *p->fallback;
      }
      continue;
    }
    if (auto read = read_param(*p, *value, r.path_of(p->name), context, issues)) {
      out[p->name] = std::move(*read);
    }
  }
}


}  // namespace faultline::plan
