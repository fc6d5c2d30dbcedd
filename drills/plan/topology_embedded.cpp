// topology.kind "embedded": the reference cluster's coordinators and workers.
#include "drills/plan/topology.hpp"

namespace faultline::plan {
namespace {

void read_embedded(ObjectReader& r, Topology& t, Issues& issues) {
  if (auto v = r.integer("coordinators", IntRule{1, 9}, 3).value) t.coordinators = static_cast<int>(*v);
  read_raft_timing(r, t, issues);
  if (auto v = r.boolean("stale_reads", false).value) t.stale_reads = *v;
  if (auto v = r.integer("workers", IntRule{0, 16}, 0).value) t.workers = static_cast<int>(*v);
  if (auto v = r.integer("worker_timeout_ms", IntRule{10, 60'000}, 500).value) t.worker_timeout_ms = *v;
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

}  // namespace

const TopologyKind& embedded_topology() {
  static const TopologyKind kind{
      "embedded",
      {"coordinators", "election_timeout_ms", "heartbeat_ms", "stale_reads", "workers", "worker_timeout_ms"},
      read_embedded,
      embedded_ids,
      write_embedded};
  return kind;
}

}  // namespace faultline::plan
