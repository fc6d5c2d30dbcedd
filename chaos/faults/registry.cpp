#include "chaos/faults/registry.hpp"

#include "chaos/faults/kinds.hpp"

namespace faultline::faults {

FaultRegistry::~FaultRegistry() {
  heal_all("end of run");
}

std::optional<std::string> FaultRegistry::inject(const FaultRequest& request) {
  const KindDef* def = request.spec ? find_kind_def(request.spec->name) : nullptr;
  if (def == nullptr) return fault_label(request) + "unknown fault kind";
  std::unique_ptr<Fault> fault = def->make(request);
  env_.record("phase", Json{{"phase", "inject"}});
  Injection injection;
  if (auto error = fault->inject(env_, injection)) return error;
  Json event{{"fault", request.index},
             {"fault_kind", request.spec->name},
             {"effect", std::string(effect_name(injection.effect.value_or(request.spec->effect)))},
             {"selector", request.target},
             {"targets", injection.targets},
             {"params", request.params},
             {"detail", injection.detail},
             {"applied", injection.applied},
             {"confirmed", injection.confirmed},
             {"measured", injection.measured},
             {"signal_t_ns", injection.signal_t_ns}};
  if (injection.effect_t_ns > 0) event["effect_t_ns"] = injection.effect_t_ns;
  event["term"] = injection.term ? Json(*injection.term) : Json(nullptr);
  last_injection_ = event;
  env_.record("fault.inject", std::move(event));
  fault->after_inject(env_);
  env_.record("phase", Json{{"phase", "observe"}});
  active_.push_back(Active{std::move(fault), injection.targets});
  return std::nullopt;
}

std::optional<std::string> FaultRegistry::heal_active(std::size_t position,
                                                      const std::string& why) {
  Active active = std::move(active_[position]);
  active_.erase(active_.begin() + static_cast<std::ptrdiff_t>(position));
  const FaultRequest& request = active.fault->request();
  env_.record("phase", Json{{"phase", "heal"}});
  Healing healing;
  if (auto error = active.fault->heal(env_, healing)) {
    env_.record("note", Json{{"text", *error}});
    return error;
  }
  env_.record("fault.heal", Json{{"fault", request.index},
                                 {"fault_kind", request.spec->name},
                                 {"targets", active.targets},
                                 {"applied", healing.applied},
                                 {"confirmed", healing.confirmed},
                                 {"measured", healing.measured},
                                 {"why", why}});
  return std::nullopt;
}

std::optional<std::string> FaultRegistry::heal(std::size_t index, const std::string& why) {
  for (std::size_t i = 0; i < active_.size(); ++i) {
    if (active_[i].fault->request().index == index) return heal_active(i, why);
  }
  return std::nullopt;
}

std::vector<std::string> FaultRegistry::heal_all(const std::string& why) {
  std::vector<std::string> errors;
  while (!active_.empty()) {
    // A kind that is not healed at the end (a kill the plan never heals)
    // leaves nothing behind that could outlive the run: it is let go.
    if (!active_.back().fault->spec().healed_at_end) {
      active_.pop_back();
      continue;
    }
    if (auto error = heal_active(active_.size() - 1, why)) errors.push_back(*error);
  }
  return errors;
}

std::vector<std::string> FaultRegistry::heal_at_end() {
  std::vector<std::string> errors;
  for (std::size_t i = active_.size(); i-- > 0;) {
    if (!active_[i].fault->spec().healed_at_end) continue;
    if (auto error = heal_active(i, "end of workload")) errors.push_back(*error);
  }
  return errors;
}

std::optional<std::string> FaultRegistry::step_all() {
  for (auto& a : active_) {
    if (auto error = a.fault->step(env_)) return error;
  }
  return std::nullopt;
}

bool FaultRegistry::in_force(std::size_t index) const {
  for (const auto& a : active_) {
    if (a.fault->request().index == index) return true;
  }
  return false;
}

std::vector<std::string> FaultRegistry::describe_in_force() const {
  std::vector<std::string> out;
  for (const auto& a : active_) {
    std::string targets;
    for (const auto& t : a.targets) targets += (targets.empty() ? "" : ",") + t;
    out.push_back(a.fault->spec().name + " " + targets);
  }
  return out;
}

}  // namespace faultline::faults

namespace faultline::faults {

Json FaultRegistry::list_in_force() const {
  Json out = Json::array();
  for (const auto& a : active_) {
    out.push_back(Json{{"fault", a.fault->request().index},
                       {"fault_kind", a.fault->spec().name},
                       {"selector", a.fault->request().target},
                       {"targets", a.targets}});
  }
  return out;
}

}  // namespace faultline::faults
