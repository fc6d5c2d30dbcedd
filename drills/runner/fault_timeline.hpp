// The plan's faults on the workload's clock: each fault is injected at its
// `at_ms` and healed `restart_after_ms` (kill) or `resume_after_ms` (pause)
// later, with the instant journaled when the effect is confirmed (a SIGKILLed
// process has been reaped; a SIGSTOPped one reads state T; a restarted one
// answers /health) rather than when the action was asked for. Targets are
// coordinators (by role or id) or workers ("worker" or an id).
//
// Must be driven from the runner's main thread (it spawns members).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "drills/journal/journal.hpp"
#include "drills/plan/model.hpp"
#include "drills/runner/embedded_cluster.hpp"

namespace faultline::runner {

class FaultTimeline {
 public:
  // `busiest_worker` resolves the target "worker" (may be empty when the
  // plan has no workers).
  FaultTimeline(std::vector<plan::FaultSpec> faults, EmbeddedCluster& cluster,
                journal::JournalWriter& journal, std::uint64_t seed,
                std::function<std::optional<std::string>()> busiest_worker = {});

  // Carries out every action due at `elapsed` since the workload started.
  // Returns why, when a fault could not be applied or healed.
  std::optional<std::string> step(std::chrono::steady_clock::duration elapsed);
  // Heals, now, every fault whose heal is still pending when the workload ends,
  // so the cluster can be read back whole.
  std::optional<std::string> finish();

 private:
  struct Slot {
    plan::FaultSpec spec;
    bool injected = false;
    bool healed = false;
    std::string target;  // resolved member id
  };

  std::optional<std::string> inject(std::size_t index);
  std::optional<std::string> heal(std::size_t index);
  // Resolves "leader", "follower", a member id, "worker" or a worker id
  // against the cluster now.
  std::optional<std::string> resolve(const std::string& selector, std::uint64_t& term);
  bool is_worker(const std::string& id) const;

  std::vector<Slot> slots_;
  EmbeddedCluster& cluster_;
  journal::JournalWriter& journal_;
  std::mt19937_64 rng_;
  std::function<std::optional<std::string>()> busiest_worker_;
};

}  // namespace faultline::runner
