// topology.kind "etcd": an etcd 3.4 cluster of `members` (3 or 5) voters,
// e1..eN. The plan's election timeout [min, max] maps onto etcd's
// --election-timeout=min, from which etcd itself draws [min, 2 min): the
// plan must say so (max = 2 min), so that what it declares is what runs.
// etcd also refuses a heartbeat above a fifth of the election timeout.
#include "drills/plan/schema_build.hpp"
#include "drills/plan/topology.hpp"

namespace faultline::plan {
namespace {

using nlohmann::json;

void read_etcd(ObjectReader& r, Topology& t, Issues& issues) {
  const Field<std::int64_t> members = r.integer("members", IntRule{3, 5}, 3);
  if (members.value) {
    if (*members.value != 3 && *members.value != 5) {
      issues.push_back({r.path_of("members"), "an etcd cluster here has 3 or 5 members, got " +
                                                  std::to_string(*members.value)});
    } else {
      t.coordinators = static_cast<int>(*members.value);
    }
  }
  const std::size_t before = issues.size();
  read_raft_timing(r, t, issues);
  if (issues.size() == before) {
    const std::int64_t min = t.election_timeout_min_ms;
    if (t.election_timeout_max_ms != 2 * min) {
      issues.push_back({r.path_of("election_timeout_ms"),
                        "etcd draws its election timeout from [T, 2T) for --election-timeout=T: write [" +
                            std::to_string(min) + ", " + std::to_string(2 * min) + "], got [" +
                            std::to_string(min) + ", " + std::to_string(t.election_timeout_max_ms) + "]"});
    }
    if (min > 50'000) {
      issues.push_back({r.path_of("election_timeout_ms"),
                        "etcd allows an election timeout of at most 50000 ms, got " + std::to_string(min)});
    }
    if (5 * t.heartbeat_ms > min) {
      issues.push_back({r.path_of("heartbeat_ms"), "etcd needs an election timeout of at least 5 heartbeats: at most " +
                                                       std::to_string(min / 5) + " ms for an election timeout of " +
                                                       std::to_string(min) + " ms, got " +
                                                       std::to_string(t.heartbeat_ms)});
    }
  }
  // etcd counts in heartbeat ticks and nothing else; "ticks" is accepted so
  // that one plan can name the counting and run on either kind.
  if (issues.size() == before) {
    read_election_timer(r, t, issues,
                        "etcd counts its election timeout in heartbeat ticks only: write \"ticks\" or leave it out");
  }
  // etcd 3.4's default is off; the embedded cluster always pre-votes.
  if (auto v = r.boolean("pre_vote", false).value) t.options["pre_vote"] = *v;
}

MemberIds etcd_ids(const Topology& t) { return {numbered_ids('e', t.coordinators), {}, {}}; }

nlohmann::json write_etcd(const Topology& t) {
  nlohmann::json out{
      {"kind", t.kind},
      {"members", t.coordinators},
      {"election_timeout_ms", nlohmann::json::array({t.election_timeout_min_ms, t.election_timeout_max_ms})},
      {"heartbeat_ms", t.heartbeat_ms},
      {"pre_vote", t.options.value("pre_vote", false)}};
  // Written only when set, so the plans (and hashes) of before stay as they were.
  if (t.options.contains("election_timer")) out["election_timer"] = t.options["election_timer"];
  return out;
}

nlohmann::json etcd_schema() {
  using namespace schema;
  json members = integer(3, 5, 3, "number of etcd members e1..eN, all voters: 3 or 5");
  members["enum"] = json::array({3, 5});
  json properties{{"members", members}};
  add_raft_timing(properties);
  properties["election_timeout_ms"]["description"] =
      "[T, 2T]: etcd's --election-timeout=T, from which etcd draws [T, 2T) itself; T <= 50000";
  properties["heartbeat_ms"]["description"] = "etcd's --heartbeat-interval, at most T/5";
  properties["election_timer"] =
      choice({"ticks"}, "ticks", "etcd counts its election timeout in heartbeat ticks (see the embedded kind's)");
  properties["pre_vote"] = boolean(false, "etcd's --pre-vote (off by default in 3.4)");
  return {{"properties", properties}, {"required", json::array()}};
}

}  // namespace

const TopologyKind& etcd_topology() {
  static const TopologyKind kind{
      "etcd", {"members", "election_timeout_ms", "heartbeat_ms", "election_timer", "pre_vote"}, read_etcd, etcd_ids,
      write_etcd, etcd_schema};
  return kind;
}

}  // namespace faultline::plan
