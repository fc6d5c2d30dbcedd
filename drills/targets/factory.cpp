#include "drills/targets/factory.hpp"

#include "drills/targets/embedded.hpp"

namespace faultline::targets {

std::unique_ptr<Target> make_target(const plan::Plan& plan, const TargetContext& context,
                                    process::ProcessControl& processes, std::string& error) {
  const plan::Topology& t = plan.topology;
  if (t.kind == "embedded") {
    EmbeddedOptions options;
    options.coordinators = t.coordinators;
    options.election_timeout_min_ms = t.election_timeout_min_ms;
    options.election_timeout_max_ms = t.election_timeout_max_ms;
    options.heartbeat_ms = t.heartbeat_ms;
    options.seed = context.seed;
    options.stale_reads = t.stale_reads;
    options.workers = t.workers;
    options.worker_timeout_ms = t.worker_timeout_ms;
    options.mcp_calls = plan.workload.calls == "mcp";
    options.sticky_strategy = t.options.value("sticky_strategy", options.sticky_strategy);
    options.balancing = t.options.value("balancing", options.balancing);
    options.dir = context.dir;
    options.binary = context.binary;
    return std::make_unique<EmbeddedTarget>(options, processes);
  }
  error = "topology kind '" + t.kind + "' has no target in this build";
  return nullptr;
}

}  // namespace faultline::targets
