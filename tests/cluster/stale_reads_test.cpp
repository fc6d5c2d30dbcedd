// The unsafe stale_reads mode of the reference cluster: any member answers
// GET /api/kv/KEY from its own applied state. The safe default refuses reads
// on a follower (421) because a read must pass a barrier through the leader's
// log.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/cluster_harness.hpp"

namespace faultline::testing {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

TEST(StaleReads, SafeModeRefusesFollowerReadsWithTheLeaderHint) {
  ClusterHarness cluster(3, 11, /*stale_reads=*/false);
  ASSERT_TRUE(cluster.start()) << cluster.error();
  const auto leader = cluster.wait_leader();
  ASSERT_TRUE(leader.has_value());
  ASSERT_EQ(cluster.put(*leader, "k", "v1").status, 200);
  const auto refused = cluster.get(cluster.other_than(*leader), "/api/kv/k");
  EXPECT_EQ(refused.status, 421);
  EXPECT_EQ(Json::parse(refused.body).at("leader"), *leader);
  const auto read = cluster.get(*leader, "/api/kv/k");
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(Json::parse(read.body).at("value"), "v1");
}

TEST(StaleReads, StaleModeServesReadsOnAFollowerFromItsOwnState) {
  ClusterHarness cluster(3, 11, /*stale_reads=*/true);
  ASSERT_TRUE(cluster.start()) << cluster.error();
  const auto leader = cluster.wait_leader();
  ASSERT_TRUE(leader.has_value());
  const std::string follower = cluster.other_than(*leader);

  const auto absent = cluster.get(follower, "/api/kv/never-written");
  ASSERT_EQ(absent.status, 200) << absent.body;
  EXPECT_EQ(Json::parse(absent.body).at("found"), false);

  ASSERT_EQ(cluster.put(*leader, "k", "v1").status, 200);
  // The follower applies the write once it learns the commit index; until
  // then it answers with what it has: it is served either way.
  ASSERT_TRUE(cluster.wait_converged());
  const auto read = cluster.get(follower, "/api/kv/k");
  ASSERT_EQ(read.status, 200) << read.body;
  const Json body = Json::parse(read.body);
  EXPECT_EQ(body.at("value"), "v1");
  EXPECT_EQ(body.at("stale_reads"), true);
  // Writes still need the leader.
  EXPECT_EQ(cluster.put(follower, "k", "v2").status, 421);
}

}  // namespace
}  // namespace faultline::testing
