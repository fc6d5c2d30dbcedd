// Failures under MCP sessions, on real processes: a node killed with SIGKILL
// moves its sessions to a replica transparently (same session id, no
// error), and a coordinator leader killed with SIGKILL leaves the MCP
// endpoint, the management API and every affinity working through the
// others.
#include <gtest/gtest.h>

#include <map>

#include "tests/mcp/mcp_test_client.hpp"
#include "tests/support/cli_process.hpp"
#include "tests/support/cluster_harness.hpp"

namespace faultline::testing {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

targets::EmbeddedOptions cluster_options() {
  targets::EmbeddedOptions o;
  o.coordinators = 3;
  o.workers = 3;
  o.seed = 9;
  o.worker_timeout_ms = 1000;  // nodeTimeout: far longer than the failover measured below
  return o;
}

struct Session {
  std::string id;
  std::string node;
  int count = 0;
};

std::vector<Session> open_sessions(ClusterHarness& cluster, McpTestClient& client, int n) {
  std::vector<Session> sessions;
  const auto coordinators = cluster.coordinators();
  for (int i = 0; i < n; ++i) {
    const std::string url = coordinators[static_cast<std::size_t>(i) % coordinators.size()]->url + "/mcp/counter";
    const McpAnswer opened = client.open(url);
    EXPECT_EQ(opened.status, 200);
    Session s{opened.session, opened.node, 0};
    const McpAnswer r = client.call_tool(url, s.id, "increment");
    EXPECT_EQ(r.status, 200);
    s.count = 1;
    sessions.push_back(s);
  }
  return sessions;
}

TEST(McpFailover, ANodeKilledMovesItsSessionsToAReplicaTransparently) {
  ClusterHarness cluster(cluster_options());
  ASSERT_TRUE(cluster.start()) << cluster.error();
  ASSERT_TRUE(cluster.wait_leader().has_value());
  ASSERT_TRUE(cluster.wait_workers()) << cluster.error();
  McpTestClient client;
  auto sessions = open_sessions(cluster, client, 30);
  std::map<std::string, int> per_node;
  for (const auto& s : sessions) ++per_node[s.node];
  std::string victim = per_node.begin()->first;
  for (const auto& [node, n] : per_node) {
    if (n > per_node[victim]) victim = node;
  }
  ASSERT_TRUE(cluster.kill(victim)) << cluster.error();
  const auto killed_at = SteadyClock::now();
  const std::string via = cluster.coordinators()[1]->url + "/mcp/counter";
  double worst_ms = 0;
  double first_ms = 0;
  int moved = 0;
  for (auto& s : sessions) {
    const auto before = SteadyClock::now();
    const McpAnswer r = client.call_tool(via, s.id, "increment");
    const double ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - before).count();
    ASSERT_EQ(r.status, 200) << s.id << " " << r.body.dump();
    if (s.node == victim) {
      // Served elsewhere, the same session id, the move named; the counter
      // starts afresh on the new node (its state was the dead node's).
      EXPECT_NE(r.node, victim);
      EXPECT_EQ(r.moved_from, victim);
      EXPECT_EQ(r.body["result"]["structuredContent"]["count"], 1);
      if (moved == 0) first_ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - killed_at).count();
      worst_ms = std::max(worst_ms, ms);
      ++moved;
      s.node = r.node;
    } else {
      EXPECT_EQ(r.node, s.node);
      EXPECT_TRUE(r.moved_from.empty());
      EXPECT_EQ(r.body["result"]["structuredContent"]["count"], 2);
    }
  }
  std::cout << "node " << victim << " killed: " << moved << " sessions moved; first moved call answered "
            << first_ms << " ms after the kill; slowest moved call " << worst_ms << " ms\n";
  EXPECT_EQ(moved, per_node[victim]);
  EXPECT_LT(worst_ms, 2000.0);  // goal 200 ms (docs/reference-cluster.md); generous here
  // And they stay where they moved.
  for (const auto& s : sessions) {
    const McpAnswer r = client.call_tool(via, s.id, "get");
    EXPECT_EQ(r.node, s.node);
    EXPECT_TRUE(r.moved_from.empty());
  }
}

TEST(McpFailover, TheLeaderKilledLosesNoAffinity) {
  ClusterHarness cluster(cluster_options());
  ASSERT_TRUE(cluster.start()) << cluster.error();
  const auto leader = cluster.wait_leader();
  ASSERT_TRUE(leader.has_value());
  ASSERT_TRUE(cluster.wait_workers()) << cluster.error();
  McpTestClient client;
  const auto sessions = open_sessions(cluster, client, 30);
  ASSERT_TRUE(cluster.kill(*leader)) << cluster.error();
  std::optional<std::string> next;
  ASSERT_TRUE(wait_until(
      [&] {
        next = cluster.wait_leader(1s);
        return next.has_value() && *next != *leader;
      },
      15s));
  for (const auto* m : cluster.coordinators()) {
    if (m->id == *leader) continue;
    const std::string url = m->url + "/mcp/counter";
    for (const auto& s : sessions) {
      const auto affinity = cluster.get(m->id, "/api/cluster/sessions/" + s.id);
      ASSERT_EQ(affinity.status, 200) << m->id << " " << s.id;
      EXPECT_EQ(Json::parse(affinity.body)["data"]["nodeId"], s.node);
      const McpAnswer r = client.call_tool(url, s.id, "get");
      ASSERT_EQ(r.status, 200);
      EXPECT_EQ(r.node, s.node);
      EXPECT_TRUE(r.moved_from.empty());
      EXPECT_EQ(r.body["result"]["structuredContent"]["count"], 1);  // the node kept the session's state
    }
    // Its own count of pins catches up with the new leader's commit index.
    EXPECT_TRUE(wait_until(
        [&] {
          const Json status = Json::parse(cluster.get(m->id, "/api/cluster/status").body);
          return status["data"]["stats"]["mcpSessions"] >= 30 && status["data"]["stats"]["activeNodes"] == 3;
        },
        5s));
    EXPECT_EQ(client.open(url).status, 200);  // new sessions too
  }
}

}  // namespace
}  // namespace faultline::testing
