// FaultRegistry: every fault in force, and the guarantee that each is healed.
//
// inject() makes the kind's fault, injects it and journals `fault.inject`
// with its effect and measurement; heal() heals one and journals
// `fault.heal`. Whatever is still in force when the registry is asked to
// heal_all() — the workload ended, a halt fired, SIGINT or SIGTERM arrived,
// an error stopped the run — or when it is destroyed, is healed newest
// first, each heal journaled with why it ran. (On SIGKILL of the runner the
// kernel does the same: the namespaces, proxies and members die with it.)
//
// Thread-safety: the runner's main thread only.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "chaos/faults/fault.hpp"

namespace faultline::faults {

class FaultRegistry {
 public:
  explicit FaultRegistry(FaultEnvironment& env) : env_(env) {}
  ~FaultRegistry();  // heal_all("end of run")
  FaultRegistry(const FaultRegistry&) = delete;
  FaultRegistry& operator=(const FaultRegistry&) = delete;

  // Returns the error when the fault could not be injected and confirmed
  // (nothing of it stays in force then).
  std::optional<std::string> inject(const FaultRequest& request);
  // Heals fault `index` if it is in force; `why` is journaled ("timeline").
  std::optional<std::string> heal(std::size_t index, const std::string& why);
  // Heals every fault in force, newest first; returns every error. Faults of
  // kinds that are not healed at the end (spec.healed_at_end false: a kill
  // with no heal) are let go: nothing of them can outlive the run.
  std::vector<std::string> heal_all(const std::string& why);
  // Heals those whose kind is healed at the end of the workload.
  std::vector<std::string> heal_at_end();
  // Gives every fault in force its step (Fault::step); the first error.
  std::optional<std::string> step_all();

  // The `fault.inject` event of the last successful inject().
  const Json& last_injection() const { return last_injection_; }

  bool in_force(std::size_t index) const;
  std::size_t count_in_force() const { return active_.size(); }
  // "kind target,target" of each fault in force, for consoles.
  std::vector<std::string> describe_in_force() const;
  // Index, kind and targets of each fault in force.
  Json list_in_force() const;

 private:
  struct Active {
    std::unique_ptr<Fault> fault;
    std::vector<std::string> targets;
  };
  std::optional<std::string> heal_active(std::size_t position, const std::string& why);

  FaultEnvironment& env_;
  std::vector<Active> active_;  // in injection order
  Json last_injection_ = Json::object();
};

}  // namespace faultline::faults
