// The etcd and processes topology kinds: what they accept, what they fill
// in, and what they refuse, each refusal naming its JSON path; the JSON
// paths and templates the processes kind is written with.
#include <gtest/gtest.h>

#include "drills/plan/json_path.hpp"
#include "drills/plan/plan.hpp"
#include "drills/plan/processes.hpp"
#include "drills/plan/template.hpp"
#include "tests/plan/plan_test_util.hpp"

namespace faultline::plan {
namespace {

using nlohmann::json;
using testing::joined;
using testing::kBase;
using testing::with;

const std::string kEtcd = R"({ "kind": "etcd", "members": 5, "election_timeout_ms": [250, 500], "heartbeat_ms": 50 })";

// A processes topology declaring a small HTTP service; `status` is spliced in.
std::string processes(const std::string& status = "", const std::string& extra = "") {
  return R"({ "kind": "processes", "members": 3, "ports": ["api", "peer"],
    "command": ["/bin/server", "--listen={address}:{port:api}", "--join={peers}", "--data={data_dir}"],
    "peer": "{id}@{address}:{port:peer}", "health": "/health",)" +
         extra + R"(
    "requests": {
      "write": { "path": "/kv/{key}", "method": "PUT", "body": "{value}" },
      "read": { "path": "/kv/{key}", "method": "GET", "value": "$.value" })" +
         status + R"( } })";
}

std::string plan_with(const std::string& topology) {
  return with(kBase, R"({ "kind": "embedded", "coordinators": 3 })", topology);
}

std::string errors_of(const std::string& topology, const std::string& base = kBase) {
  return joined(parse_plan(with(base, R"({ "kind": "embedded", "coordinators": 3 })", topology), "p.json"));
}

// The embedded kind's failure detector reaches the plan's options (and from
// there the coordinators' settings), written back only when set.
TEST(EmbeddedTopology, ReadsTheFailureDetectorAndRefusesAnUnknownOne) {
  const std::string adaptive = R"({ "kind": "embedded", "coordinators": 3, "workers": 2, "failure_detector": "adaptive",
    "failure_detector_k": 2.5, "failure_detector_misses": 4 })";
  const LoadResult r = parse_plan(plan_with(adaptive), "p.json");
  ASSERT_TRUE(r.plan) << joined(r);
  EXPECT_EQ(r.plan->topology.options.value("failure_detector", ""), "adaptive");
  EXPECT_DOUBLE_EQ(r.plan->topology.options.value("failure_detector_k", 0.0), 2.5);
  EXPECT_EQ(r.plan->topology.options.value("failure_detector_misses", 0), 4);
  EXPECT_EQ(to_json(*r.plan)["topology"]["failure_detector"], "adaptive");
  const LoadResult plain = parse_plan(plan_with(R"({ "kind": "embedded", "coordinators": 3 })"), "p.json");
  ASSERT_TRUE(plain.plan) << joined(plain);
  EXPECT_FALSE(to_json(*plain.plan)["topology"].contains("failure_detector"));

  EXPECT_NE(errors_of(R"({ "kind": "embedded", "failure_detector": "phi" })")
                .find("$.topology.failure_detector: expected one of"),
            std::string::npos);
  EXPECT_NE(errors_of(R"({ "kind": "embedded", "failure_detector_misses": 0 })").find("$.topology.failure_detector_misses"),
            std::string::npos);
  EXPECT_NE(errors_of(R"({ "kind": "embedded", "failure_detector_k": -1 })").find("$.topology.failure_detector_k"),
            std::string::npos);
}

// election_timer: absent unless written; "ticks" on both Raft kinds (so one
// plan runs on either), "wall" on the embedded cluster only; ticks want whole
// heartbeats.
TEST(ElectionTimer, TicksOnBothRaftKindsWallOnlyOnTheEmbeddedCluster) {
  const std::string ticks = R"({ "kind": "embedded", "election_timeout_ms": [250, 500], "heartbeat_ms": 50,
    "election_timer": "ticks" })";
  const LoadResult r = parse_plan(plan_with(ticks), "p.json");
  ASSERT_TRUE(r.plan) << joined(r);
  EXPECT_EQ(r.plan->topology.options.value("election_timer", ""), "ticks");
  EXPECT_EQ(to_json(*r.plan)["topology"]["election_timer"], "ticks");
  const LoadResult plain = parse_plan(plan_with(R"({ "kind": "embedded" })"), "p.json");
  ASSERT_TRUE(plain.plan) << joined(plain);
  EXPECT_FALSE(to_json(*plain.plan)["topology"].contains("election_timer"));

  const LoadResult on_etcd = parse_plan(plan_with(with(ticks, "\"embedded\"", "\"etcd\"")), "p.json");
  ASSERT_TRUE(on_etcd.plan) << joined(on_etcd);
  EXPECT_EQ(to_json(*on_etcd.plan)["topology"]["election_timer"], "ticks");
  EXPECT_NE(errors_of(with(with(ticks, "\"embedded\"", "\"etcd\""), "\"ticks\"", "\"wall\""))
                .find("$.topology.election_timer: etcd counts its election timeout in heartbeat ticks only"),
            std::string::npos);
  EXPECT_NE(errors_of(with(ticks, "[250, 500]", "[260, 500]"))
                .find("$.topology.election_timer: \"ticks\" draws a whole number of heartbeats from [min, max)"),
            std::string::npos);
  EXPECT_NE(errors_of(with(ticks, "[250, 500]", "[250, 250]")).find("with max >= min + 50"), std::string::npos);
  EXPECT_NE(errors_of(with(ticks, "\"ticks\"", "\"sundial\""))
                .find("$.topology.election_timer: expected one of wall, ticks"),
            std::string::npos);
}

// campaign_when_leader_gone: the embedded cluster's, absent unless written;
// etcd has no such thing and refuses it by path.
TEST(EmbeddedTopology, CampaignWhenLeaderGoneIsWrittenOnlyWhenSetAndRefusedOnEtcd) {
  const LoadResult off = parse_plan(plan_with(R"({ "kind": "embedded", "campaign_when_leader_gone": false })"), "p.json");
  ASSERT_TRUE(off.plan) << joined(off);
  EXPECT_EQ(off.plan->topology.options.value("campaign_when_leader_gone", true), false);
  EXPECT_EQ(to_json(*off.plan)["topology"]["campaign_when_leader_gone"], false);
  const LoadResult plain = parse_plan(plan_with(R"({ "kind": "embedded" })"), "p.json");
  ASSERT_TRUE(plain.plan) << joined(plain);
  EXPECT_FALSE(to_json(*plain.plan)["topology"].contains("campaign_when_leader_gone"));
  EXPECT_NE(errors_of(R"({ "kind": "embedded", "campaign_when_leader_gone": "yes" })")
                .find("$.topology.campaign_when_leader_gone: expected true or false"),
            std::string::npos);
  EXPECT_NE(errors_of(with(kEtcd, "\"heartbeat_ms\": 50", "\"heartbeat_ms\": 50, \"campaign_when_leader_gone\": true"))
                .find("$.topology.campaign_when_leader_gone: unknown field"),
            std::string::npos);
}

TEST(EtcdTopology, ReadsMembersAndTimingAndNamesMembersE) {
  const LoadResult r = parse_plan(plan_with(kEtcd), "p.json");
  ASSERT_TRUE(r.plan) << joined(r);
  EXPECT_EQ(r.plan->topology.coordinators, 5);
  EXPECT_EQ(r.plan->topology.election_timeout_min_ms, 250);
  EXPECT_EQ(r.plan->topology.options.value("pre_vote", true), false);
  EXPECT_EQ(member_ids(r.plan->topology).voters, (std::vector<std::string>{"e1", "e2", "e3", "e4", "e5"}));
  EXPECT_EQ(to_json(*r.plan)["topology"]["members"], 5);
}

TEST(EtcdTopology, RefusesWhatEtcdWouldNotRun) {
  EXPECT_NE(errors_of(with(kEtcd, "\"members\": 5", "\"members\": 4")).find("$.topology.members: an etcd cluster here has 3 or 5"),
            std::string::npos);
  EXPECT_NE(errors_of(with(kEtcd, "[250, 500]", "[250, 400]"))
                .find("$.topology.election_timeout_ms: etcd draws its election timeout from [T, 2T) for "
                      "--election-timeout=T: write [250, 500]"),
            std::string::npos);
  EXPECT_NE(errors_of(with(kEtcd, "\"heartbeat_ms\": 50", "\"heartbeat_ms\": 60"))
                .find("$.topology.heartbeat_ms: etcd needs an election timeout of at least 5 heartbeats"),
            std::string::npos);
  EXPECT_NE(errors_of(with(kEtcd, "\"members\"", "\"coordinators\"")).find("$.topology.coordinators: unknown field"),
            std::string::npos);
}

TEST(ProcessesTopology, FillsInDefaultsAndReadsBackTyped) {
  const LoadResult r = parse_plan(with(plan_with(processes()), R"("target": "leader")", R"("target": "p2")"), "p.json");
  ASSERT_TRUE(r.plan) << joined(r);
  const Topology& t = r.plan->topology;
  EXPECT_EQ(member_ids(t).voters, (std::vector<std::string>{"p1", "p2", "p3"}));
  EXPECT_FALSE(member_ids(t).roles);
  const ProcessesTopology p = processes_topology(t);
  EXPECT_EQ(p.api_port, "api");
  EXPECT_EQ(p.peer_separator, ",");
  EXPECT_EQ(p.probe, "/health");
  EXPECT_EQ(p.write.method, "PUT");
  EXPECT_EQ(p.read.encoding, "text");
  EXPECT_EQ(p.read.value, (JsonPath{std::string("value")}));
  EXPECT_FALSE(p.status);
  ASSERT_EQ(p.not_done.size(), 2u);  // 421 and 503 by default
  EXPECT_EQ(p.not_done[0].status, 421);
}

TEST(ProcessesTopology, AStatusRequestGivesRoles) {
  const std::string status = R"(,
      "status": { "path": "/status", "leader": "$.leader", "term": "$.term", "term_of": "last_applied" })";
  const LoadResult r = parse_plan(plan_with(processes(status)), "p.json");
  ASSERT_TRUE(r.plan) << joined(r);
  EXPECT_TRUE(member_ids(r.plan->topology).roles);
  const ProcessesTopology p = processes_topology(r.plan->topology);
  ASSERT_TRUE(p.status);
  EXPECT_EQ(p.status->term_of, "last_applied");
  EXPECT_FALSE(p.status->commit_index);
}

TEST(ProcessesTopology, TemplatesAreCheckedWhereTheyAre) {
  const std::string text = errors_of(with(processes(), "--data={data_dir}", "--data={datadir}"));
  EXPECT_NE(text.find("$.topology.command[3]: unknown placeholder {datadir} here; did you mean {data_dir}?"),
            std::string::npos)
      << text;
  EXPECT_NE(errors_of(with(processes(), "{port:peer}", "{port:raft}"))
                .find("$.topology.peer: placeholder {port:raft} names no declared port"),
            std::string::npos);
  // The clients' requests name the operation only: a member's address has no meaning there.
  EXPECT_NE(errors_of(with(processes(), "\"/kv/{key}\", \"method\": \"PUT\"", "\"/{address}/{key}\", \"method\": \"PUT\""))
                .find("$.topology.requests.write.path: unknown placeholder {address} here"),
            std::string::npos);
  EXPECT_NE(errors_of(with(processes(), "\"$.value\"", "\"value\"")).find("$.topology.requests.read.value: bad JSON path"),
            std::string::npos);
}

TEST(ProcessesTopology, WithoutRolesLeaderSelectorsAndElectionObjectivesAreRefused) {
  const std::string text = errors_of(processes());
  EXPECT_NE(text.find("$.faults[0].target: the topology's members report no roles"), std::string::npos) << text;
  const std::string objective =
      errors_of(processes(), with(with(kBase, R"("target": "leader")", R"("target": "majority")"), R"("rto_ms": 3000)",
                                  R"("rto_ms": 3000, "max_elections": 2)"));
  EXPECT_NE(objective.find("$.objectives.max_elections: cannot be measured"), std::string::npos) << objective;
}

TEST(JsonPath, ParsesWhatFormatPathWritesAndFindsValues) {
  std::string error;
  const auto path = parse_json_path(R"($.kvs[0]["odd key"].value)", error);
  ASSERT_TRUE(path) << error;
  EXPECT_EQ(format_path(*path), R"($.kvs[0]["odd key"].value)");
  const json doc = json::parse(R"({"kvs": [{"odd key": {"value": "v"}}]})");
  ASSERT_NE(find_at(doc, *path), nullptr);
  EXPECT_EQ(*find_at(doc, *path), "v");
  EXPECT_EQ(find_at(doc, *parse_json_path("$.kvs[1]", error)), nullptr);
  EXPECT_EQ(find_at(doc, *parse_json_path("$.kvs.x", error)), nullptr);
  EXPECT_EQ(find_at(doc, *parse_json_path("$", error)), &doc);
  for (const char* bad : {"", "kvs", "$.", "$[x]", "$[0", "$..a", "$[\"a]"}) {
    EXPECT_FALSE(parse_json_path(bad, error)) << bad;
    EXPECT_NE(error.find("bad JSON path"), std::string::npos) << bad;
  }
}

TEST(Template, OnlyNamedBracesArePlaceholders) {
  const auto found = placeholders(R"({"key": "{key_base64}", "n": {}} {port:client}{Upper}{x)");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].name, "key_base64");
  EXPECT_EQ(found[1].name, "port");
  EXPECT_EQ(found[1].arg, "client");
  std::string error;
  const auto text = render("{id}={address}:{port:peer}", [](const std::string& name, const std::string& arg) {
    if (name == "port") return std::optional<std::string>(arg == "peer" ? "7002" : "");
    return std::optional<std::string>(name == "id" ? "e1" : "10.77.0.11");
  }, error);
  EXPECT_EQ(text, "e1=10.77.0.11:7002");
  EXPECT_FALSE(render("{nope}", [](const std::string&, const std::string&) { return std::optional<std::string>(); },
                      error));
  EXPECT_NE(error.find("{nope}"), std::string::npos);
}

}  // namespace
}  // namespace faultline::plan
