// topology.kind "embedded": the reference cluster's coordinators and workers.
#include "drills/plan/schema_build.hpp"
#include "drills/plan/topology.hpp"

namespace faultline::plan {
namespace {

using nlohmann::json;

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

nlohmann::json embedded_schema() {
  using namespace schema;
  json properties{{"coordinators", integer(1, 9, 3, "number of Raft coordinators, c1..cN")}};
  add_raft_timing(properties);
  properties["stale_reads"] =
      boolean(false, "unsafe on purpose: every coordinator answers reads from its own state, without a barrier "
                     "through the log");
  properties["workers"] = integer(0, 16, 0, "worker nodes w1..wN serving routed calls of sticky sessions");
  properties["worker_timeout_ms"] =
      integer(10, 60'000, 500, "a worker is dead for the coordinators after this long without a heartbeat");
  return {{"properties", properties}, {"required", json::array()}};
}

}  // namespace

const TopologyKind& embedded_topology() {
  static const TopologyKind kind{
      "embedded",
      {"coordinators", "election_timeout_ms", "heartbeat_ms", "stale_reads", "workers", "worker_timeout_ms"},
      read_embedded,
      embedded_ids,
      write_embedded,
      embedded_schema};
  return kind;
}

}  // namespace faultline::plan
