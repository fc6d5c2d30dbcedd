// A cluster brought up for a drill or for `faultline cluster up`: the run's
// network, the process supervisor and the target, made and started in that
// order and stopped in the reverse one (members first, then the network's
// namespaces and proxies).
//
// Must be used from the process's main thread (members are spawned from it;
// the kernel backend moves it into the run's hub namespace).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "chaos/network/network.hpp"
#include "chaos/process/supervisor.hpp"
#include "drills/journal/journal.hpp"
#include "drills/plan/model.hpp"
#include "drills/targets/target.hpp"

namespace faultline::runner {

struct ClusterSetup {
  std::filesystem::path members_dir;
  std::string binary;
  std::uint64_t seed = 1;
  network::NetworkOptions::Backend backend = network::NetworkOptions::Backend::automatic;
  // Interpose on every link even if the plan has no link fault (`cluster
  // up`, where faults come later by hand).
  bool interpose_all = false;
};

class LiveCluster {
 public:
  LiveCluster(const plan::Plan& plan, ClusterSetup setup, journal::JournalWriter& journal)
      : plan_(plan), setup_(std::move(setup)), journal_(journal) {}

  // Makes the network and the target and starts every member, then waits
  // for a leader and for the target to be ready. Returns why not (the run
  // cannot be carried out: exit 3). `note` receives the network's fallback
  // note, once, for the console. Notices an interrupt at every wait.
  std::optional<std::string> bring_up(std::string& note);
  void stop_members();

  targets::Target& target() { return *target_; }
  network::Network& network() { return *network_; }
  process::Supervisor& supervisor() { return supervisor_; }

 private:
  std::optional<std::string> check_kinds() const;

  const plan::Plan& plan_;
  const ClusterSetup setup_;
  journal::JournalWriter& journal_;
  // Declared in the order of set-up, destroyed in reverse.
  std::unique_ptr<network::Network> network_;
  process::Supervisor supervisor_;
  std::unique_ptr<targets::Target> target_;
};

}  // namespace faultline::runner
