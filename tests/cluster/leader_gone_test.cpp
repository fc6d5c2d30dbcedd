// A leader's process gone (Coordinator::peer_stream_closed): its followers
// see its raft stream end, find its raft port refusing connections and
// campaign at once; a paused leader, which closes nothing, is left to the
// election timer; raft.campaignWhenLeaderGone false leaves every case to it.
// Real coordinator processes, real SIGKILL and SIGSTOP.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/cli_process.hpp"
#include "tests/support/cluster_harness.hpp"

namespace faultline::testing {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

Json raft_status_of(ClusterHarness& cluster, const std::string& id) {
  const auto answer = cluster.get(id, "/api/raft/status");
  return answer.status == 200 ? Json::parse(answer.body) : Json::object();
}

// Waits (15 s at most) until a member other than `old_leader` leads; its id.
std::optional<std::string> leader_other_than(ClusterHarness& cluster, const std::string& old_leader) {
  std::optional<std::string> found;
  wait_until(
      [&] {
        for (const auto& m : cluster.cluster().members()) {
          if (m.id != old_leader && raft_status_of(cluster, m.id).value("role", "") == "leader") found = m.id;
        }
        return found.has_value();
      },
      15s);
  return found;
}

std::uint64_t gone_reports_of_all_but(ClusterHarness& cluster, const std::string& except) {
  std::uint64_t sum = 0;
  for (const auto& m : cluster.cluster().members()) {
    if (m.id != except) sum += raft_status_of(cluster, m.id).value("leader_gone_reports", std::uint64_t{0});
  }
  return sum;
}

targets::EmbeddedOptions leader_gone_options(bool campaign_when_leader_gone) {
  targets::EmbeddedOptions o;
  o.election_timeout_min_ms = 250;
  o.election_timeout_max_ms = 500;
  o.heartbeat_ms = 50;
  o.campaign_when_leader_gone = campaign_when_leader_gone;
  return o;
}

TEST(LeaderGone, AKilledLeadersFollowersFindItGoneAndElectAnother) {
  ClusterHarness cluster(leader_gone_options(true));
  ASSERT_TRUE(cluster.start()) << cluster.error();
  const auto old_leader = cluster.wait_leader();
  ASSERT_TRUE(old_leader.has_value());
  EXPECT_EQ(raft_status_of(cluster, *old_leader).value("campaign_when_leader_gone", false), true);
  ASSERT_EQ(cluster.put(*old_leader, "gone", "kept").status, 200);
  const auto old_term = cluster.status(*old_leader).term;
  ASSERT_TRUE(cluster.kill(*old_leader));
  const auto new_leader = leader_other_than(cluster, *old_leader);
  ASSERT_TRUE(new_leader.has_value());
  EXPECT_GT(cluster.status(*new_leader).term, old_term);
  EXPECT_GE(gone_reports_of_all_but(cluster, *old_leader), 1u) << "no survivor found the killed leader gone";
  EXPECT_EQ(Json::parse(cluster.get(*new_leader, "/api/kv/gone").body).at("value"), "kept");
}

TEST(LeaderGone, APausedLeaderIsLeftToTheElectionTimer) {
  ClusterHarness cluster(leader_gone_options(true));
  ASSERT_TRUE(cluster.start()) << cluster.error();
  const auto old_leader = cluster.wait_leader();
  ASSERT_TRUE(old_leader.has_value());
  ASSERT_TRUE(cluster.pause(*old_leader));
  const auto new_leader = leader_other_than(cluster, *old_leader);
  EXPECT_TRUE(new_leader.has_value());
  EXPECT_EQ(gone_reports_of_all_but(cluster, *old_leader), 0u) << "a paused leader was taken for gone";
  ASSERT_TRUE(cluster.resume(*old_leader));
}

TEST(LeaderGone, SwitchedOffOnlyTheTimerElects) {
  ClusterHarness cluster(leader_gone_options(false));
  ASSERT_TRUE(cluster.start()) << cluster.error();
  const auto old_leader = cluster.wait_leader();
  ASSERT_TRUE(old_leader.has_value());
  EXPECT_EQ(raft_status_of(cluster, *old_leader).value("campaign_when_leader_gone", true), false);
  ASSERT_TRUE(cluster.kill(*old_leader));
  EXPECT_TRUE(leader_other_than(cluster, *old_leader).has_value());
  EXPECT_EQ(gone_reports_of_all_but(cluster, *old_leader), 0u);
}

}  // namespace
}  // namespace faultline::testing
