// `faultline cluster up`: the embedded cluster in the foreground, to explore
// by hand. Every member lives where a drill's would (its own namespace and
// address with the kernel backend), every member's API is forwarded to a
// port on the host's loopback, and a control API on the host's loopback
// takes `faultline fault inject / list / heal`, which act through the same
// catalogue, verification and journal as a drill's faults. Ctrl-C heals
// every fault in force and stops everything.
//
// `faultline fault ...` finds the running cluster through DIR/cluster.json.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace faultline::runner {

struct ClusterUpOptions {
  int coordinators = 3;
  int workers = 0;
  std::filesystem::path dir = "runs/cluster";
  std::string network = "auto";
  std::uint64_t seed = 1;
  std::string binary;
};

// Runs until SIGINT or SIGTERM. Exit codes: 0 after a clean stop, 2 bad
// options, 3 the cluster could not be brought up.
int cluster_up(const ClusterUpOptions& options, std::ostream& out, std::ostream& err);

struct FaultCommandOptions {
  std::string verb;  // inject | list | heal
  std::filesystem::path dir = "runs/cluster";
  std::string kind;
  std::string target;
  std::vector<std::string> params;  // k=v; v is JSON when it parses as JSON, else a string
  std::optional<std::int64_t> heal_after_ms;
  std::optional<std::int64_t> fault;  // heal this one
  bool all = false;                   // heal every one
};

// Exit codes: 0 done, 2 bad request (nothing applied), 3 the fault could not
// be applied or confirmed, or no cluster runs there.
int fault_command(const FaultCommandOptions& options, std::ostream& out, std::ostream& err);

}  // namespace faultline::runner
