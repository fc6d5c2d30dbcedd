#include "drills/targets/factory.hpp"

#include "drills/plan/processes.hpp"
#include "drills/targets/embedded.hpp"
#include "drills/targets/redis.hpp"
#include "drills/targets/etcd.hpp"
#include "drills/targets/member_process.hpp"
#include "drills/targets/processes.hpp"

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
    options.election_timer = t.options.value("election_timer", options.election_timer);
    options.campaign_when_leader_gone = t.options.value("campaign_when_leader_gone", true);
    options.seed = context.seed;
    options.stale_reads = t.stale_reads;
    options.workers = t.workers;
    options.worker_timeout_ms = t.worker_timeout_ms;
    options.mcp_calls = plan.workload.calls == "mcp";
    options.sticky_strategy = t.options.value("sticky_strategy", options.sticky_strategy);
    options.balancing = t.options.value("balancing", options.balancing);
    options.failure_detector = t.options.value("failure_detector", options.failure_detector);
    if (t.options.contains("failure_detector_k")) options.failure_detector_k = t.options["failure_detector_k"].get<double>();
    if (t.options.contains("failure_detector_misses")) {
      options.failure_detector_misses = t.options["failure_detector_misses"].get<int>();
    }
    options.replication = t.options.value("replication", options.replication);
    options.dir = context.dir;
    options.binary = context.binary;
    for (const auto& f : plan.faults) {
      if (f.kind == "clock") options.faketime_workers = true;
    }
    return std::make_unique<EmbeddedTarget>(options, processes);
  }
  if (t.kind == "redis-sentinel") {
    RedisOptions options;
    const Json& o = t.options;
    options.replicas = o.value("replicas", options.replicas);
    options.sentinels = o.value("sentinels", options.sentinels);
    options.down_after_ms = o.value("down_after_ms", options.down_after_ms);
    options.failover_timeout_ms = o.value("failover_timeout_ms", options.failover_timeout_ms);
    options.quorum = o.value("quorum", options.quorum);
    options.min_replicas_to_write = o.value("min_replicas_to_write", options.min_replicas_to_write);
    options.min_replicas_max_lag_s = o.value("min_replicas_max_lag_s", options.min_replicas_max_lag_s);
    options.wait_replicas = o.value("wait_replicas", options.wait_replicas);
    options.wait_timeout_ms = o.value("wait_timeout_ms", options.wait_timeout_ms);
    options.dir = context.dir;
    for (const std::string& program : {options.server_binary, options.sentinel_binary}) {
      if (find_program(program).empty()) {
        error = program + " is not installed (not found on PATH): install the Debian package " + program +
                " (scripts/setup.sh installs it)";
        return nullptr;
      }
    }
    return std::make_unique<RedisSentinelTarget>(options, processes);
  }
  if (t.kind == "etcd") {
    EtcdOptions options;
    options.members = t.coordinators;
    options.election_timeout_ms = t.election_timeout_min_ms;
    options.heartbeat_ms = t.heartbeat_ms;
    options.pre_vote = t.options.value("pre_vote", false);
    options.seed = context.seed;
    options.link_faults = context.link_faults;
    options.dir = context.dir;
    options.binary = find_program("etcd");
    if (options.binary.empty()) {
      error = "the etcd program was not found on PATH: install the Debian package etcd-server "
              "(scripts/setup.sh does)";
      return nullptr;
    }
    return std::make_unique<EtcdTarget>(options, processes);
  }
  if (t.kind == "processes") {
    ProcessesOptions options;
    options.topology = plan::processes_topology(t);
    options.members = t.coordinators;
    options.election_timeout_min_ms = t.election_timeout_min_ms;
    options.election_timeout_max_ms = t.election_timeout_max_ms;
    options.heartbeat_ms = t.heartbeat_ms;
    options.seed = context.seed;
    options.link_faults = context.link_faults;
    options.dir = context.dir;
    const std::string& program = options.topology.command.front();
    options.program = find_program(program);
    if (options.program.empty()) {
      error = "the program " + program + " (topology.command[0]) was not found" +
              (program.find('/') == std::string::npos ? " on PATH" : "") +
              (options.topology.package.empty() ? std::string()
                                                : ": install the package " + options.topology.package);
      return nullptr;
    }
    return std::make_unique<ProcessesTarget>(options, processes);
  }
  error = "topology kind '" + t.kind + "' has no target in this build";
  return nullptr;
}

}  // namespace faultline::targets
