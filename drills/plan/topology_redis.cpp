// topology.kind "redis-sentinel": one Redis primary and `replicas` replicas
// (r1..rN, r1 the first primary), watched by `sentinels` Redis Sentinels
// (s1..sM). The servers are the voters of the selectors (a primary is a
// "leader", a replica a "follower"); the sentinels are named by id only.
//
// Its fields live in Topology::options, every default written out;
// `coordinators` is set to the number of servers, the voters.
#include "drills/plan/schema_build.hpp"
#include "drills/plan/topology.hpp"

namespace faultline::plan {
namespace {

using nlohmann::json;

constexpr std::int64_t kAny = std::numeric_limits<std::int64_t>::max();

void read_redis(ObjectReader& r, Topology& t, Issues& issues) {
  json& o = t.options;
  o = json::object();
  const auto replicas = r.integer("replicas", IntRule{1, 8}, 2).value;
  const auto sentinels = r.integer("sentinels", IntRule{1, 9}, 3).value;
  if (replicas) o["replicas"] = *replicas;
  if (sentinels) o["sentinels"] = *sentinels;
  if (auto v = r.integer("down_after_ms", IntRule{100, 600'000}, 1000).value) o["down_after_ms"] = *v;
  if (auto v = r.integer("failover_timeout_ms", IntRule{500, 3'600'000}, 5000).value) o["failover_timeout_ms"] = *v;
  // Sentinel's own advice: a majority of the sentinels.
  const auto quorum = r.integer("quorum", IntRule{1, 9}, sentinels ? std::optional<std::int64_t>(*sentinels / 2 + 1) : std::nullopt);
  if (quorum.value) {
    o["quorum"] = *quorum.value;
    if (sentinels && *quorum.value > *sentinels) {
      issues.push_back({r.path_of("quorum"), "must not exceed the number of sentinels (" +
                                                 std::to_string(*sentinels) + "), got " + std::to_string(*quorum.value)});
    }
  }
  auto at_most_replicas = [&](const char* field, std::int64_t value) {
    if (replicas && value > *replicas) {
      issues.push_back({r.path_of(field), "must not exceed the number of replicas (" + std::to_string(*replicas) +
                                              "), got " + std::to_string(value)});
    }
  };
  if (auto v = r.integer("min_replicas_to_write", IntRule{0, 8}, 0).value) {
    o["min_replicas_to_write"] = *v;
    at_most_replicas("min_replicas_to_write", *v);
  }
  if (auto v = r.integer("min_replicas_max_lag_s", IntRule{1, 3600}, 10).value) o["min_replicas_max_lag_s"] = *v;
  if (auto v = r.integer("wait_replicas", IntRule{0, 8}, 0).value) {
    o["wait_replicas"] = *v;
    at_most_replicas("wait_replicas", *v);
  }
  if (auto v = r.integer("wait_timeout_ms", IntRule{1, kAny}, 100).value) o["wait_timeout_ms"] = *v;
  if (replicas) t.coordinators = static_cast<int>(*replicas) + 1;
}

MemberIds redis_ids(const Topology& t) {
  const int servers = t.options.value("replicas", 2) + 1;
  return {numbered_ids('r', servers), {}, numbered_ids('s', t.options.value("sentinels", 3))};
}

json write_redis(const Topology& t) {
  json out = t.options;
  out["kind"] = t.kind;
  return out;
}

json redis_schema() {
  using namespace schema;
  const json properties{
      {"replicas", integer(1, 8, 2, "replicas of the first primary; the servers are r1..r(replicas+1)")},
      {"sentinels", integer(1, 9, 3, "sentinels s1..sM")},
      {"down_after_ms", integer(100, 600'000, 1000, "Sentinel's down-after-milliseconds")},
      {"failover_timeout_ms", integer(500, 3'600'000, 5000, "Sentinel's failover-timeout")},
      {"quorum", integer(1, 9, std::nullopt,
                         "sentinels that must see the primary down before a failover (default: a majority of "
                         "the sentinels; at most sentinels)")},
      {"min_replicas_to_write", integer(0, 8, 0, "Redis' min-replicas-to-write (at most replicas); 0: asynchronous")},
      {"min_replicas_max_lag_s", integer(1, 3600, 10, "Redis' min-replicas-max-lag, in seconds")},
      {"wait_replicas", integer(0, 8, 0, "WAIT mode: every SET followed by WAIT wait_replicas wait_timeout_ms (at "
                                         "most replicas); 0: no WAIT")},
      {"wait_timeout_ms", integer(1, std::nullopt, 100, "the WAIT's timeout")}};
  return {{"properties", properties}, {"required", json::array()}};
}

}  // namespace

const TopologyKind& redis_sentinel_topology() {
  static const TopologyKind kind{
      "redis-sentinel",
      {"replicas", "sentinels", "down_after_ms", "failover_timeout_ms", "quorum", "min_replicas_to_write",
       "min_replicas_max_lag_s", "wait_replicas", "wait_timeout_ms"},
      read_redis,
      redis_ids,
      write_redis,
      redis_schema};
  return kind;
}

}  // namespace faultline::plan
