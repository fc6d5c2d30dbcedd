// topology.kind "embedded": the reference cluster's coordinators and workers.
#include <algorithm>

#include "drills/plan/suggest.hpp"
#include "drills/plan/topology.hpp"

namespace faultline::plan {
namespace {

void read_embedded(ObjectReader& r, Topology& t, Issues& issues) {
  if (auto v = r.integer("coordinators", IntRule{1, 9}, 3).value) t.coordinators = static_cast<int>(*v);
  read_raft_timing(r, t, issues);
  if (auto v = r.boolean("stale_reads", false).value) t.stale_reads = *v;
  if (auto v = r.integer("workers", IntRule{0, 16}, 0).value) t.workers = static_cast<int>(*v);
  if (auto v = r.integer("worker_timeout_ms", IntRule{10, 60'000}, 500).value) t.worker_timeout_ms = *v;
  // How the coordinators place MCP sessions (docs/reference-cluster.md, "MCP").
  const auto one_of = [&](const char* key, const std::vector<std::string>& allowed) {
    const auto v = r.string(key, std::nullopt).value;
    if (!v) return;
    if (std::find(allowed.begin(), allowed.end(), *v) == allowed.end()) {
      issues.push_back({r.path_of(key), "expected one of " + join(allowed) + ", found " + show_text(*v)});
      return;
    }
    t.options[key] = *v;
  };
  one_of("sticky_strategy", {"consistent-hash", "cookie", "header"});
  one_of("balancing", {"consistent-hash", "round-robin", "weighted", "least-connections"});
}

MemberIds embedded_ids(const Topology& t) {
  return {numbered_ids('c', t.coordinators), numbered_ids('w', t.workers), {}};
}

nlohmann::json write_embedded(const Topology& t) {
  return {{"kind", t.kind},
          {"coordinators", t.coordinators},
          {"election_timeout_ms", nlohmann::json::array({t.election_timeout_min_ms, t.election_timeout_max_ms})},
          {"heartbeat_ms", t.heartbeat_ms},
          {"stale_reads", t.stale_reads},
          {"workers", t.workers},
          {"worker_timeout_ms", t.worker_timeout_ms}};
}

nlohmann::json write_embedded_with_options(const Topology& t) {
  nlohmann::json out = write_embedded(t);
  // Written only when set, so the plans (and hashes) of before stay as they were.
  for (const auto& [key, value] : t.options.items()) out[key] = value;
  return out;
}

}  // namespace

const TopologyKind& embedded_topology() {
  static const TopologyKind kind{
      "embedded",
      {"coordinators", "election_timeout_ms", "heartbeat_ms", "stale_reads", "workers", "worker_timeout_ms",
       "sticky_strategy", "balancing"},
      read_embedded,
      embedded_ids,
      write_embedded_with_options};
  return kind;
}

}  // namespace faultline::plan
