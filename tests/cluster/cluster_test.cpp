// The reference cluster as real processes on loopback: election, the client
// API, and durability across SIGKILL and restart.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "tests/support/cli_process.hpp"
#include "tests/support/cluster_harness.hpp"

namespace faultline::testing {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

// SIGKILLs the leader and waits (15 s at most) for another member to lead.
std::optional<std::string> leader_after_killing(ClusterHarness& cluster, const std::string& old_leader) {
  if (!cluster.kill(old_leader)) return std::nullopt;
  std::optional<std::string> new_leader;
  const bool elected = wait_until(
      [&] {
        new_leader = cluster.wait_leader(200ms);
        return new_leader && *new_leader != old_leader;
      },
      15s);
  return elected ? new_leader : std::nullopt;
}

TEST(ReferenceCluster, ElectsExactlyOneLeaderThatEveryMemberNames) {
  ClusterHarness cluster(3);
  ASSERT_TRUE(cluster.start()) << cluster.error();
  const auto leader = cluster.wait_leader();
  ASSERT_TRUE(leader.has_value());

  const auto leader_status = cluster.status(*leader);
  EXPECT_EQ(leader_status.role, "leader");
  // A follower learns who leads from the leader's first append: wait until
  // every member names it, then require that they all do.
  std::map<std::string, std::string> named;
  const bool all_name_it = wait_until(
      [&] {
        named.clear();
        for (const auto& m : cluster.cluster().members()) {
          named[m.id] = cluster.status(m.id).leader.value_or("(none)");
        }
        return std::all_of(named.begin(), named.end(), [&](const auto& n) { return n.second == *leader; });
      },
      10s);
  ASSERT_EQ(named.size(), 3u);
  for (const auto& [member, names] : named) {
    EXPECT_EQ(names, *leader) << member << " names " << names << " as leader, not " << *leader;
  }
  EXPECT_TRUE(all_name_it);
  int leaders = 0;
  for (const auto& m : cluster.cluster().members()) {
    const auto s = cluster.status(m.id);
    ASSERT_TRUE(s.up) << m.id;
    EXPECT_EQ(s.term, leader_status.term) << m.id << " is in another term";
    if (s.role == "leader" && s.term == leader_status.term) ++leaders;
  }
  EXPECT_EQ(leaders, 1);
}

TEST(ReferenceCluster, StatusEndpointsHaveTheirDocumentedShape) {
  ClusterHarness cluster(3);
  ASSERT_TRUE(cluster.start()) << cluster.error();
  ASSERT_TRUE(cluster.wait_leader().has_value());

  const auto health = cluster.get("c1", "/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(Json::parse(health.body).at("status"), "healthy");

  const auto cluster_status = Json::parse(cluster.get("c2", "/api/cluster/status").body);
  EXPECT_EQ(cluster_status.at("success"), true);
  const auto& data = cluster_status.at("data");
  EXPECT_EQ(data.at("enabled"), true);
  EXPECT_EQ(data.at("mode"), "coordinator");
  EXPECT_EQ(data.at("nodeId"), "c2");
  for (const char* field : {"nodes", "activeNodes", "servers", "sessions"}) {
    EXPECT_TRUE(data.at("stats").at(field).is_number()) << field;
  }

  const auto raft = Json::parse(cluster.get("c3", "/api/raft/status").body);
  for (const char* field : {"term", "role", "leader", "commit_index"}) {
    EXPECT_TRUE(raft.contains(field)) << field;
  }
}

// raft.electionTimer "ticks" (etcd's counting) reaches every coordinator, and
// a cluster counting so still elects one leader and elects another after its
// leader is killed, with the acknowledged write kept.
TEST(ReferenceCluster, TicksElectionTimerElectsAndReelectsAfterALeaderKill) {
  targets::EmbeddedOptions options;
  options.election_timeout_min_ms = 250;
  options.election_timeout_max_ms = 500;
  options.heartbeat_ms = 50;
  options.election_timer = "ticks";
  ClusterHarness cluster(options);
  ASSERT_TRUE(cluster.start()) << cluster.error();
  const auto old_leader = cluster.wait_leader();
  ASSERT_TRUE(old_leader.has_value());
  for (const auto& m : cluster.cluster().members()) {
    EXPECT_EQ(Json::parse(cluster.get(m.id, "/api/raft/status").body).value("election_timer", ""), "ticks") << m.id;
  }
  const auto old_term = cluster.status(*old_leader).term;
  ASSERT_EQ(cluster.put(*old_leader, "ticks", "kept").status, 200);
  const auto new_leader = leader_after_killing(cluster, *old_leader);
  ASSERT_TRUE(new_leader.has_value()) << cluster.error();
  EXPECT_GT(cluster.status(*new_leader).term, old_term);
  EXPECT_EQ(Json::parse(cluster.get(*new_leader, "/api/kv/ticks").body).at("value"), "kept");
}

TEST(ReferenceCluster, FollowerRefusesWritesAndNamesTheLeader) {
  ClusterHarness cluster(3);
  ASSERT_TRUE(cluster.start()) << cluster.error();
  const auto leader = cluster.wait_leader();
  ASSERT_TRUE(leader.has_value());
  std::string follower;
  for (const auto& m : cluster.cluster().members()) {
    if (m.id != *leader) follower = m.id;
  }
  const auto refused = cluster.put(follower, "k", "v");
  EXPECT_EQ(refused.status, 421);
  EXPECT_EQ(Json::parse(refused.body).at("leader"), *leader);
}

TEST(ReferenceCluster, CommittedWriteSurvivesTheLeadersKillAndRestart) {
  ClusterHarness cluster(3);
  ASSERT_TRUE(cluster.start()) << cluster.error();
  const auto old_leader = cluster.wait_leader();
  ASSERT_TRUE(old_leader.has_value());
  const auto old_term = cluster.status(*old_leader).term;
  ASSERT_EQ(cluster.put(*old_leader, "survivor", "acknowledged-1").status, 200);

  const auto new_leader = leader_after_killing(cluster, *old_leader);
  ASSERT_TRUE(new_leader.has_value()) << cluster.error();
  EXPECT_GT(cluster.status(*new_leader).term, old_term);
  const auto read = Json::parse(cluster.get(*new_leader, "/api/kv/survivor").body);
  EXPECT_EQ(read.at("value"), "acknowledged-1");

  // The killed member comes back with its durable term and log and catches up.
  ASSERT_TRUE(cluster.restart(*old_leader)) << cluster.error();
  EXPECT_GE(cluster.status(*old_leader).term, old_term);
  ASSERT_TRUE(cluster.wait_converged());
  const auto restarted = cluster.status(*old_leader);
  EXPECT_GE(restarted.applied_index, 2u);
  const auto current = cluster.wait_leader();
  ASSERT_TRUE(current.has_value());
  EXPECT_EQ(Json::parse(cluster.get(*current, "/api/kv/survivor").body).at("value"),
            "acknowledged-1");
}

TEST(ReferenceCluster, EveryMemberKilledAtOnceRecoversCommittedWritesFromDisk) {
  ClusterHarness cluster(3);
  ASSERT_TRUE(cluster.start()) << cluster.error();
  const auto leader = cluster.wait_leader();
  ASSERT_TRUE(leader.has_value());
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(cluster.put(*leader, "k" + std::to_string(i), "v" + std::to_string(i)).status, 200);
  }
  for (const auto* m : cluster.coordinators()) ASSERT_TRUE(cluster.kill(m->id));
  for (const auto* m : cluster.coordinators()) ASSERT_TRUE(cluster.restart(m->id)) << cluster.error();

  const auto again = cluster.wait_leader();
  ASSERT_TRUE(again.has_value());
  for (int i = 0; i < 20; ++i) {
    const auto body = Json::parse(cluster.get(*again, "/api/kv/k" + std::to_string(i)).body);
    EXPECT_EQ(body.at("value"), "v" + std::to_string(i)) << i;
  }
}

}  // namespace
}  // namespace faultline::testing
