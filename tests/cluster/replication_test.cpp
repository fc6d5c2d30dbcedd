// The replication modes on real coordinators (docs/reference-cluster.md,
// "Replication modes"): with followers' fsyncs slowed through the admin
// failpoint, semi-sync with 5 members and async answer before commit and
// say so, semi-sync with 3 members answers only once committed, a read
// after an early answer waits for the commit and returns the write, and
// sync answers exactly as before.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/cli_process.hpp"
#include "tests/support/cluster_harness.hpp"

namespace faultline::testing {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

// Long enough that nothing a slowed member must fsync can be done before an
// early acknowledgement is answered.
constexpr int kSlowMs = 600;

targets::EmbeddedOptions options(int coordinators, const std::string& replication) {
  targets::EmbeddedOptions o;
  o.coordinators = coordinators;
  o.seed = 11;
  o.replication = replication;
  // Elections that a slow follower's vote fsync does not disturb.
  o.election_timeout_min_ms = 1500;
  o.election_timeout_max_ms = 3000;
  return o;
}

void set_disk(ClusterHarness& cluster, const std::string& id, int delay_ms) {
  const Json body = delay_ms > 0 ? Json{{"mode", "slow_fsync"}, {"delay_ms", delay_ms}} : Json{{"mode", "off"}};
  const auto answer = cluster.request("PUT", id, "/admin/failpoints/disk", body.dump());
  ASSERT_EQ(answer.status, 200) << id << ": " << answer.body;
}

std::vector<std::string> followers_of(ClusterHarness& cluster, const std::string& leader) {
  std::vector<std::string> out;
  for (const auto* m : cluster.coordinators()) {
    if (m->id != leader) out.push_back(m->id);
  }
  return out;
}

Json put(ClusterHarness& cluster, const std::string& id, const std::string& key, const std::string& value) {
  const auto answer = cluster.request("PUT", id, "/api/kv/" + key + "?timeout_ms=10000", value);
  EXPECT_EQ(answer.status, 200) << answer.body;
  return Json::parse(answer.body, nullptr, false);
}

std::string read(ClusterHarness& cluster, const std::string& id, const std::string& key) {
  const auto answer = cluster.get(id, "/api/kv/" + key + "?timeout_ms=10000");
  EXPECT_EQ(answer.status, 200) << answer.body;
  const Json body = Json::parse(answer.body, nullptr, false);
  return body.is_object() && body.value("found", false) ? body.value("value", "") : "";
}

TEST(Replication, SemiSyncWithFiveAnswersOnceOneFollowerHasItBeforeCommit) {
  ClusterHarness cluster(options(5, "semi-sync"));
  ASSERT_TRUE(cluster.start()) << cluster.error();
  const auto leader = cluster.wait_leader();
  ASSERT_TRUE(leader.has_value());
  const auto followers = followers_of(cluster, *leader);
  ASSERT_EQ(followers.size(), 4u);
  // One fast follower: leader and it are the two copies; commit needs a
  // third, and every other follower is slow.
  for (std::size_t i = 1; i < followers.size(); ++i) set_disk(cluster, followers[i], kSlowMs);
  for (int i = 0; i < 3; ++i) {
    const Json answer = put(cluster, *leader, "semi" + std::to_string(i), "v" + std::to_string(i));
    EXPECT_EQ(answer.value("replication", ""), "semi-sync") << answer.dump();
    EXPECT_EQ(answer.value("committed", true), false) << answer.dump();
  }
  // The read goes through the log after the writes: it waits for their commit.
  EXPECT_EQ(read(cluster, *leader, "semi2"), "v2");
  for (std::size_t i = 1; i < followers.size(); ++i) set_disk(cluster, followers[i], 0);
}

TEST(Replication, SemiSyncWithThreeAnswersOnlyOnceCommitted) {
  ClusterHarness cluster(options(3, "semi-sync"));
  ASSERT_TRUE(cluster.start()) << cluster.error();
  const auto leader = cluster.wait_leader();
  ASSERT_TRUE(leader.has_value());
  const auto followers = followers_of(cluster, *leader);
  set_disk(cluster, followers[1], kSlowMs);
  for (int i = 0; i < 3; ++i) {
    const Json answer = put(cluster, *leader, "semi" + std::to_string(i), "v");
    // Leader plus the fast follower is a majority: the pair is the commit.
    EXPECT_EQ(answer.value("committed", false), true) << answer.dump();
  }
  set_disk(cluster, followers[1], 0);
}

TEST(Replication, AsyncAnswersAfterTheLeadersFsyncAndAReadWaitsForTheCommit) {
  ClusterHarness cluster(options(3, "async"));
  ASSERT_TRUE(cluster.start()) << cluster.error();
  const auto leader = cluster.wait_leader();
  ASSERT_TRUE(leader.has_value());
  const auto followers = followers_of(cluster, *leader);
  for (const auto& f : followers) set_disk(cluster, f, kSlowMs);
  const Json answer = put(cluster, *leader, "async", "early");
  EXPECT_EQ(answer.value("replication", ""), "async") << answer.dump();
  EXPECT_EQ(answer.value("committed", true), false) << answer.dump();
  EXPECT_EQ(read(cluster, *leader, "async"), "early");
  // Followers apply only what is committed: once they have, it is there too.
  for (const auto& f : followers) set_disk(cluster, f, 0);
  ASSERT_TRUE(cluster.wait_converged());
}

TEST(Replication, SyncAnswersAsItAlwaysHas) {
  ClusterHarness cluster(options(3, "sync"));
  ASSERT_TRUE(cluster.start()) << cluster.error();
  const auto leader = cluster.wait_leader();
  ASSERT_TRUE(leader.has_value());
  const Json answer = put(cluster, *leader, "sync", "v");
  ASSERT_TRUE(answer.is_object());
  EXPECT_EQ(answer.size(), 2u) << answer.dump();
  EXPECT_TRUE(answer.value("success", false));
  EXPECT_TRUE(answer.contains("index"));
}

}  // namespace
}  // namespace faultline::testing
