// The list of kinds, the lookups over it, and the shared helpers of fault.hpp.
#include <algorithm>
#include <thread>

#include "chaos/faults/kinds.hpp"

namespace faultline::faults {

const std::vector<const KindDef*>& kind_defs() {
  static const std::vector<const KindDef*> defs{
      &kill_kind(),      &pause_kind(),     &partition_kind(),       &latency_kind(),
      &loss_kind(),      &bandwidth_kind(), &reset_kind(),           &blackhole_kind(),
      &slow_close_kind(), &timeout_kind(),  &terminate_kind(),       &crash_loop_kind(),
      &rolling_restart_kind(), &clock_kind(), &disk_kind(),          &power_loss_kind(),
      &cpu_kind(),       &memory_kind()};
  return defs;
}

const KindDef* find_kind_def(std::string_view name) {
  for (const KindDef* def : kind_defs()) {
    if (def->spec.name == name) return def;
  }
  return nullptr;
}

const std::vector<KindSpec>& catalogue() {
  static const std::vector<KindSpec> specs = [] {
    std::vector<KindSpec> out;
    for (const KindDef* def : kind_defs()) out.push_back(def->spec);
    return out;
  }();
  return specs;
}

const KindSpec* find_kind(std::string_view name) {
  for (const KindSpec& spec : catalogue()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::vector<std::string> kind_names() {
  std::vector<std::string> names;
  for (const KindSpec& spec : catalogue()) names.push_back(spec.name);
  return names;
}

ParamSpec param(std::string name, ParamType type, std::string doc,
                std::optional<nlohmann::json> fallback, bool required, double min, double max) {
  ParamSpec p;
  p.name = std::move(name);
  p.type = type;
  p.doc = std::move(doc);
  p.fallback = std::move(fallback);
  p.required = required;
  p.min = min;
  p.max = max;
  return p;
}

const ParamSpec* KindSpec::param(std::string_view param_name) const {
  for (const ParamSpec& p : params) {
    if (p.name == param_name) return &p;
  }
  return nullptr;
}

std::string_view effect_name(Effect effect) {
  switch (effect) {
    case Effect::down:
      return "down";
    case Effect::frozen:
      return "frozen";
    case Effect::isolated:
      return "isolated";
    case Effect::degraded:
      return "degraded";
  }
  return "unknown";
}

std::optional<std::string> topology_refusal(const KindSpec& spec, const std::string& topology_kind) {
  for (const auto& [kind, why] : spec.refused_topologies) {
    if (kind == topology_kind) {
      return "a " + spec.name + " fault cannot act on topology kind " + topology_kind + ": " + why;
    }
  }
  if (!spec.topologies.empty() &&
      std::find(spec.topologies.begin(), spec.topologies.end(), topology_kind) == spec.topologies.end()) {
    std::string kinds;
    for (const auto& k : spec.topologies) kinds += (kinds.empty() ? "" : ", ") + k;
    return "a " + spec.name + " fault acts only on topology kind " + kinds + " (" + spec.topologies_why +
           "); this plan's topology is " + topology_kind;
  }
  return std::nullopt;
}

std::string fault_label(const FaultRequest& request) {
  return "fault " + std::to_string(request.index) + " (" +
         (request.spec ? request.spec->name : std::string("?")) + "): ";
}

std::string no_match(const FaultRequest& request) {
  return fault_label(request) + "nothing matches target '" + request.target +
         "' (no such member up, or none in that role within 5 s)";
}

Selection resolve_members(FaultEnvironment& env, const std::string& selector, Deadline deadline) {
  // Every attempt draws from the same generator state, so the choice depends
  // on what the members report, not on how many attempts it took.
  const std::mt19937_64 start = env.rng();
  while (true) {
    std::mt19937_64 rng = start;
    Selection chosen = select_members(selector, env.observe(), rng, env.busiest_worker());
    if (!chosen.ids.empty()) {
      env.rng() = rng;
      return chosen;
    }
    if (std::chrono::steady_clock::now() >= deadline) return chosen;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace faultline::faults

namespace faultline::faults {

void record_exit(FaultEnvironment& env, const std::string& id, int pid,
                 const std::optional<process::ExitStatus>& exit, bool expected) {
  const bool worker = env.is_worker(id);
  Json event{{worker ? "worker" : "member", id}, {"pid", pid}, {"expected", expected}};
  event["signal"] = exit && exit->signal ? Json(*exit->signal) : Json(nullptr);
  event["code"] = exit && exit->code ? Json(*exit->code) : Json(nullptr);
  env.record(worker ? "worker.exit" : "member.exit", std::move(event));
}

std::optional<Selection> resolve_targets(FaultEnvironment& env, const FaultRequest& request,
                                         std::string& error) {
  Selection chosen =
      resolve_members(env, request.target, std::chrono::steady_clock::now() + std::chrono::seconds(5));
  if (chosen.ids.empty()) {
    error = no_match(request);
    return std::nullopt;
  }
  if (request.spec != nullptr && request.spec->voters_only) {
    for (const auto& id : chosen.ids) {
      if (env.is_worker(id)) {
        error = fault_label(request) + id + " is a worker; a " + request.spec->name +
                " fault acts on voters only";
        return std::nullopt;
      }
    }
  }
  return chosen;
}

void record_step(FaultEnvironment& env, const FaultRequest& request, Json fields) {
  fields["fault"] = request.index;
  fields["fault_kind"] = request.spec ? request.spec->name : std::string();
  env.record("fault.step", std::move(fields));
}

}  // namespace faultline::faults
