// topology.kind "embedded": the reference cluster's coordinators and workers.
#include <algorithm>

#include "drills/plan/suggest.hpp"
#include "drills/plan/schema_build.hpp"
#include "drills/plan/topology.hpp"

namespace faultline::plan {
namespace {

using nlohmann::json;

void read_embedded(ObjectReader& r, Topology& t, Issues& issues) {
  if (auto v = r.integer("coordinators", IntRule{1, 9}, 3).value) t.coordinators = static_cast<int>(*v);
  const std::size_t before = issues.size();
  read_raft_timing(r, t, issues);
  if (issues.size() == before) read_election_timer(r, t, issues);
  if (auto v = r.boolean("stale_reads", false).value) t.stale_reads = *v;
  // Written only when set (t.options), so the plans of before keep their hash.
  if (auto v = r.boolean("campaign_when_leader_gone", std::nullopt).value) t.options["campaign_when_leader_gone"] = *v;
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
  // How the coordinators judge a node's heartbeats (docs/reference-cluster.md,
  // "Failure detection"); worker_timeout_ms is its nodeTimeout.
  one_of("failure_detector", {"fixed", "adaptive"});
  if (auto v = r.number("failure_detector_k", NumberRule{0, false, 100}, std::nullopt).value) {
    t.options["failure_detector_k"] = *v;
  }
  if (auto v = r.integer("failure_detector_misses", IntRule{1, 100}, std::nullopt).value) {
    t.options["failure_detector_misses"] = *v;
  }
  // When a key-value write is acknowledged (docs/reference-cluster.md, "Replication modes").
  one_of("replication", {"sync", "semi-sync", "async"});
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

nlohmann::json embedded_schema() {
  using namespace schema;
  json properties{{"coordinators", integer(1, 9, 3, "number of Raft coordinators, c1..cN")}};
  add_raft_timing(properties);
  properties["election_timer"] =
      choice({"wall", "ticks"}, "wall",
             "how a coordinator counts its election timeout: on the wall clock from its last contact with a leader, "
             "never before the minimum (wall), or in heartbeats as etcd does, drawn from [min, max) heartbeats with "
             "a partial first tick, so (min - heartbeat, max - heartbeat] on the wall clock (ticks; whole heartbeats)");
  properties["campaign_when_leader_gone"] =
      boolean(true, "a follower whose leader closes its raft stream and then refuses connections on its raft port "
                    "(its process is gone: killed, crashed, stopped) campaigns in its turn (half a heartbeat each, "
                    "by id) instead of after its election timeout; false: only the timer, as etcd does");
  properties["stale_reads"] =
      boolean(false, "unsafe on purpose: every coordinator answers reads from its own state, without a barrier "
                     "through the log");
  properties["workers"] = integer(0, 16, 0, "worker nodes w1..wN serving routed calls of sticky sessions");
  properties["worker_timeout_ms"] =
      integer(10, 60'000, 500, "a worker is dead for the coordinators after this long without a heartbeat");
  properties["sticky_strategy"] = choice({"consistent-hash", "cookie", "header"}, "consistent-hash",
                                         "how a new MCP session finds its node");
  properties["balancing"] = choice({"consistent-hash", "round-robin", "weighted", "least-connections"},
                                   std::nullopt, "how a new or moving session's node is chosen among the replicas");
  properties["failure_detector"] =
      choice({"fixed", "adaptive"}, "fixed",
             "when the coordinators mark a node unhealthy: silent for worker_timeout_ms (fixed), or for "
             "mean + k stddev of its heartbeat intervals and failure_detector_misses missed heartbeats, "
             "worker_timeout_ms at most (adaptive)");
  properties["failure_detector_k"] =
      number(0, false, 100, 3.0, "adaptive detector: standard deviations of the heartbeat intervals above their mean");
  properties["failure_detector_misses"] =
      integer(1, 100, 3, "adaptive detector: consecutive missed heartbeats (mean intervals) before a suspicion");
  properties["replication"] =
      choice({"sync", "semi-sync", "async"}, "sync",
             "when a key-value write is acknowledged: after commit (sync, RPO 0), once the leader and one follower "
             "have it durably (semi-sync; the same as sync with 3 coordinators), or after the leader's own durable "
             "append (async: losing the leader loses acknowledged writes not yet replicated)");
  return {{"properties", properties}, {"required", json::array()}};
}

}  // namespace

const TopologyKind& embedded_topology() {
  static const TopologyKind kind{
      "embedded",
      {"coordinators", "election_timeout_ms", "heartbeat_ms", "election_timer", "campaign_when_leader_gone", "stale_reads",
       "workers", "worker_timeout_ms",
       "sticky_strategy", "balancing", "failure_detector", "failure_detector_k", "failure_detector_misses",
       "replication"},
      read_embedded,
      embedded_ids,
      write_embedded_with_options,
      embedded_schema};
  return kind;
}

}  // namespace faultline::plan
