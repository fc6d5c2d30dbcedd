// The steady-state section with its probes, and the sections that refer to
// it or to the objectives: halt conditions, rollbacks, expect.
#include <algorithm>
#include <set>

#include "drills/plan/params.hpp"
#include "drills/plan/probes.hpp"
#include "drills/plan/suggest.hpp"
#include "drills/plan/plan.hpp"
#include "drills/plan/validate.hpp"

namespace faultline::plan {
namespace {

using nlohmann::json;
constexpr IntRule kPositive{1, std::numeric_limits<std::int64_t>::max()};

const std::vector<std::string> kWhen{"before", "continuous", "after"};

std::optional<ProbeSpec> read_probe(const json& value, const JsonPath& path, const FaultContext& context,
                                    std::set<std::string>& names, Issues& issues) {
  if (!value.is_object()) {
    issues.push_back({path, "expected a probe object, found " + describe(value)});
    return std::nullopt;
  }
  const std::size_t before = issues.size();
  ProbeSpec probe;
  const ProbeKind* kind = nullptr;
  if (value.contains("kind")) {
    if (auto name = read_string(value["kind"], child(path, "kind"), issues)) {
      probe.kind = *name;
      kind = find_probe_kind(*name);
      if (kind == nullptr) {
        std::string message = "unknown probe kind " + show_text(*name);
        if (auto near = closest_match(*name, probe_kind_names())) message += "; did you mean " + show_text(*near) + "?";
        issues.push_back({child(path, "kind"), message + "; allowed: " + join(probe_kind_names())});
      }
    }
  }
  std::vector<std::string> known{"name", "kind", "when", "tolerance_ms"};
  if (kind != nullptr) {
    for (const auto& p : kind->params) known.push_back(p.name);
  } else {
    for (const auto& [k, v] : value.items()) known.push_back(k);
  }
  ObjectReader r(value, path, issues, known);
  r.member("kind", Need::required);
  if (auto name = r.string("name", std::nullopt, Need::required).value) {
    probe.name = *name;
    if (!names.insert(*name).second) issues.push_back({r.path_of("name"), "another probe is already called " + show_text(*name)});
  }
  if (const json* when = r.member("when")) {
    probe.when.clear();
    if (!when->is_array()) {
      issues.push_back({r.path_of("when"), "expected an array of before, continuous, after; found " + describe(*when)});
    } else {
      for (std::size_t i = 0; i < when->size(); ++i) {
        const auto w = read_string((*when)[i], child(r.path_of("when"), i), issues);
        if (!w) continue;
        if (std::find(kWhen.begin(), kWhen.end(), *w) == kWhen.end()) {
          issues.push_back({child(r.path_of("when"), i), "unknown " + show_text(*w) + "; allowed: " + join(kWhen)});
        } else if (std::find(probe.when.begin(), probe.when.end(), *w) == probe.when.end()) {
          probe.when.push_back(*w);
        }
      }
    }
  }
  if (auto v = r.integer("tolerance_ms", IntRule{0, 3'600'000}, 0).value) probe.tolerance_ms = *v;
  if (kind != nullptr) read_params(kind->params, r, context, probe.params, issues);
  if (issues.size() != before) return std::nullopt;
  return probe;
}

}  // namespace

const std::vector<std::string>& builtin_checks() {
  static const std::vector<std::string> checks{"election_safety", "term_monotonic", "commit_monotonic",
                                               "stable_leadership", "isolated_leader_acks",
                                               "isolated_leader_step_down"};
  return checks;
}

SteadyState read_steady_state(const json* value, const JsonPath& path, const FaultContext& context,
                              std::optional<std::int64_t> op_timeout_ms, Issues& issues) {
  SteadyState s;
  s.max_latency_ms = op_timeout_ms.value_or(s.max_latency_ms);
  if (value == nullptr) return s;
  ObjectReader r(*value, path, issues, {"stability_window_ms", "max_latency_ms", "sample_ms", "probes"});
  if (!r.is_object()) return s;
  if (auto v = r.integer("stability_window_ms", kPositive, 1000).value) s.stability_window_ms = *v;
  if (auto v = r.integer("max_latency_ms", kPositive, s.max_latency_ms).value) s.max_latency_ms = *v;
  if (auto v = r.integer("sample_ms", IntRule{10, 60'000}, 50).value) s.sample_ms = *v;
  if (const json* probes = r.member("probes")) {
    if (!probes->is_array()) {
      issues.push_back({r.path_of("probes"), "expected an array of probes, found " + describe(*probes)});
      return s;
    }
    std::set<std::string> names;
    for (std::size_t i = 0; i < probes->size(); ++i) {
      if (auto p = read_probe((*probes)[i], child(r.path_of("probes"), i), context, names, issues)) {
        s.probes.push_back(std::move(*p));
      }
    }
  }
  return s;
}

std::vector<HaltSpec> read_halts(const json* value, const JsonPath& path, const SteadyState& steady, Issues& issues) {
  std::vector<HaltSpec> out;
  if (value == nullptr) return out;
  if (!value->is_array()) {
    issues.push_back({path, "expected an array of halt conditions, found " + describe(*value)});
    return out;
  }
  std::vector<std::string> names;
  for (const auto& p : steady.probes) names.push_back(p.name);
  for (std::size_t i = 0; i < value->size(); ++i) {
    ObjectReader r((*value)[i], child(path, i), issues, {"probe", "for_ms"});
    if (!r.is_object()) continue;
    HaltSpec h;
    if (auto probe = r.string("probe", std::nullopt, Need::required).value) {
      h.probe = *probe;
      if (std::find(names.begin(), names.end(), *probe) == names.end()) {
        std::string message = "no probe is called " + show_text(*probe) + " in steady_state.probes";
        if (auto near = closest_match(*probe, names)) message += "; did you mean " + show_text(*near) + "?";
        issues.push_back({r.path_of("probe"), message + (names.empty() ? "" : "; declared: " + join(names))});
      }
    }
    if (auto v = r.integer("for_ms", IntRule{0, 3'600'000}, 0).value) h.for_ms = *v;
    out.push_back(h);
  }
  return out;
}

std::vector<RollbackSpec> read_rollbacks(const json* value, const JsonPath& path, const FaultContext& context,
                                         Issues& issues) {
  std::vector<RollbackSpec> out;
  if (value == nullptr) return out;
  if (!value->is_array()) {
    issues.push_back({path, "expected an array of rollback actions, found " + describe(*value)});
    return out;
  }
  const std::vector<std::string> actions{"heal_all", "restart", "command"};
  for (std::size_t i = 0; i < value->size(); ++i) {
    const json& item = (*value)[i];
    // Which fields are known depends on the action; a mistyped action is
    // reported by the reader below.
    const std::string action = item.is_object() && item.contains("action") && item["action"].is_string()
                                   ? item["action"].get<std::string>()
                                   : std::string();
    std::vector<std::string> known{"action"};
    if (action == "restart") known.push_back("target");
    if (action == "command") known.insert(known.end(), {"argv", "timeout_ms"});
    ObjectReader r(item, child(path, i), issues, known);
    if (!r.is_object()) continue;
    RollbackSpec rb;
    if (auto a = r.string("action", std::nullopt, Need::required).value) {
      rb.action = *a;
      if (std::find(actions.begin(), actions.end(), *a) == actions.end()) {
        issues.push_back({r.path_of("action"), "unknown rollback action " + show_text(*a) + "; allowed: " + join(actions)});
      }
    }
    if (action == "restart") {
      rb.target = r.string("target", std::string("all")).value.value_or("all");
      if (auto problem = selector_problem(rb.target, context)) issues.push_back({r.path_of("target"), *problem});
    }
    if (action == "command") {
      if (const json* argv = r.member("argv", Need::required)) {
        faults::ParamSpec spec = faults::param("argv", faults::ParamType::text_list, "", std::nullopt, true);
        if (auto v = read_param(spec, *argv, r.path_of("argv"), context, issues)) rb.argv = v->get<std::vector<std::string>>();
      }
      if (auto v = r.integer("timeout_ms", IntRule{1, 600'000}, 10'000).value) rb.timeout_ms = *v;
    }
    out.push_back(rb);
  }
  return out;
}

std::vector<std::string> read_expect(const json* value, const JsonPath& path, const Plan& plan, Issues& issues) {
  std::vector<std::string> out;
  // null: no expectation, so `--set expect=null` runs a demonstration as a
  // plain drill.
  if (value == nullptr || value->is_null()) return out;
  ObjectReader r(*value, path, issues, {"fail"});
  if (!r.is_object()) return out;
  const json* fail = r.member("fail", Need::required);
  if (fail == nullptr) return out;
  if (!fail->is_array() || fail->empty()) {
    issues.push_back({r.path_of("fail"), "expected a non-empty array of objective names, found " + describe(*fail)});
    return out;
  }
  // What the run will check: the declared objectives and the built-in checks.
  std::vector<std::string> checked = builtin_checks();
  const json declared = to_json(plan)["objectives"];
  for (const auto& [k, v] : declared.items()) checked.push_back(k);
  for (std::size_t i = 0; i < fail->size(); ++i) {
    const auto name = read_string((*fail)[i], child(r.path_of("fail"), i), issues);
    if (!name) continue;
    if (std::find(checked.begin(), checked.end(), *name) == checked.end()) {
      issues.push_back({child(r.path_of("fail"), i), show_text(*name) +
                                                        " is not checked by this plan: declare it under objectives "
                                                        "(checked: " + join(checked) + ")"});
      continue;
    }
    out.push_back(*name);
  }
  return out;
}

}  // namespace faultline::plan
