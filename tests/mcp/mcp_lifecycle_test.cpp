// The registry's life as MCPHub's guide describes it, on real processes: a
// silent node is marked unhealthy after nodeTimeout and removed after
// cleanupInterval more, with MCPHub's log lines, and registers again when
// it returns; an affinity expires after stickySessionTimeout and its
// session is then unknown.
#include <gtest/gtest.h>

#include "tests/mcp/mcp_test_client.hpp"
#include "tests/support/cli_process.hpp"
#include "tests/support/cluster_harness.hpp"

namespace faultline::testing {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

std::string node_status(ClusterHarness& cluster, const std::string& coordinator, const std::string& node) {
  const Json nodes = Json::parse(cluster.get(coordinator, "/api/cluster/nodes").body, nullptr, false);
  if (!nodes.is_object() || !nodes.contains("data")) return "?";
  for (const auto& n : nodes["data"]) {
    if (n.value("id", "") == node) return n.value("status", "?");
  }
  return "absent";
}

TEST(McpLifecycle, ASilentNodeTurnsUnhealthyIsRemovedAndRegistersAgain) {
  targets::EmbeddedOptions o;
  o.coordinators = 1;
  o.workers = 2;
  o.worker_timeout_ms = 400;    // nodeTimeout
  o.cleanup_interval_ms = 600;  // removed 1 s after the last heartbeat
  ClusterHarness cluster(o);
  ASSERT_TRUE(cluster.start()) << cluster.error();
  ASSERT_TRUE(cluster.wait_leader().has_value());
  ASSERT_TRUE(cluster.wait_workers()) << cluster.error();
  ASSERT_EQ(node_status(cluster, "c1", "w1"), "active");
  ASSERT_TRUE(cluster.pause("w1")) << cluster.error();
  EXPECT_TRUE(wait_until([&] { return node_status(cluster, "c1", "w1") == "unhealthy"; }, 5s));
  EXPECT_TRUE(wait_until([&] { return node_status(cluster, "c1", "w1") == "absent"; }, 5s));
  const std::string log = read_file(cluster.member("c1")->log_file);
  EXPECT_NE(log.find("Marking node w1 as unhealthy (last heartbeat: "), std::string::npos) << log;
  EXPECT_NE(log.find("Removed node w1 (no heartbeat since "), std::string::npos) << log;
  // Back: its heartbeat is answered 404, and it registers again.
  ASSERT_TRUE(cluster.resume("w1")) << cluster.error();
  EXPECT_TRUE(wait_until([&] { return node_status(cluster, "c1", "w1") == "active"; }, 5s));
  EXPECT_NE(read_file(cluster.member("c1")->log_file).find("Received heartbeat from unknown node: w1"),
            std::string::npos);
  EXPECT_EQ(node_status(cluster, "c1", "w2"), "active");
}

TEST(McpLifecycle, AnAffinityExpiresAfterTheStickySessionTimeout) {
  targets::EmbeddedOptions o;
  o.coordinators = 3;
  o.workers = 2;
  o.worker_timeout_ms = 500;
  o.cleanup_interval_ms = 300;
  o.sticky_session_timeout_ms = 4000;  // long enough for the calls below on a loaded machine
  ClusterHarness cluster(o);
  ASSERT_TRUE(cluster.start()) << cluster.error();
  const auto leader = cluster.wait_leader();
  ASSERT_TRUE(leader.has_value());
  ASSERT_TRUE(cluster.wait_workers()) << cluster.error();
  McpTestClient client;
  const std::string url = cluster.member(*leader)->url + "/mcp/counter";
  const McpAnswer opened = client.open(url);
  ASSERT_EQ(opened.status, 200);
  EXPECT_EQ(client.call_tool(url, opened.session, "increment").status, 200);
  const Json affinity = Json::parse(cluster.get(*leader, "/api/cluster/sessions/" + opened.session).body);
  EXPECT_EQ(affinity["data"]["expiresAt"].get<std::int64_t>() - affinity["data"]["createdAt"].get<std::int64_t>(),
            4000);
  EXPECT_TRUE(wait_until(
      [&] { return cluster.get(*leader, "/api/cluster/sessions/" + opened.session).status == 404; }, 10s));
  EXPECT_EQ(client.call_tool(url, opened.session, "increment").status, 404);  // the client initializes again
  EXPECT_NE(read_file(cluster.member(*leader)->log_file).find("Removed expired session affinity: " + opened.session),
            std::string::npos);
}

}  // namespace
}  // namespace faultline::testing
