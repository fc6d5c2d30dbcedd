// MCP through the reference cluster's coordinators, on real processes:
// sessions made by initialize stick to their node through every coordinator
// under each sticky strategy, the management API answers in MCPHub's shape,
// and a malformed settings file stops a process before it starts.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <thread>

#include "tests/mcp/mcp_test_client.hpp"
#include "tests/support/cli_process.hpp"
#include "tests/support/cluster_harness.hpp"

namespace faultline::testing {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

targets::EmbeddedOptions three_by_three(const std::string& sticky, const std::string& balancing = "") {
  targets::EmbeddedOptions o;
  o.coordinators = 3;
  o.workers = 3;
  o.seed = 5;
  o.sticky_strategy = sticky;
  o.balancing = balancing;
  return o;
}

std::vector<std::string> coordinator_urls(ClusterHarness& cluster) {
  std::vector<std::string> urls;
  for (const auto* m : cluster.coordinators()) urls.push_back(m->url);
  return urls;
}

struct StickyCase {
  std::string strategy;
  std::string balancing;
};

class Sticky : public ::testing::TestWithParam<StickyCase> {};

// 1,000 sessions, each initialized through one coordinator and called
// through all three in turn: every call must land on the node its session
// was pinned to (the issue asks for at least 99.9 %).
TEST_P(Sticky, AThousandSessionsKeepTheirCallsOnTheirNode) {
  ClusterHarness cluster(three_by_three(GetParam().strategy, GetParam().balancing));
  ASSERT_TRUE(cluster.start()) << cluster.error();
  ASSERT_TRUE(cluster.wait_leader().has_value());
  ASSERT_TRUE(cluster.wait_workers()) << cluster.error();
  const auto urls = coordinator_urls(cluster);
  constexpr int kSessions = 1000;
  constexpr int kCallsEach = 3;
  constexpr std::size_t kThreads = 4;
  std::vector<int> on_node(kThreads, 0);
  std::vector<int> off_node(kThreads, 0);
  std::vector<std::map<std::string, int>> spread(kThreads);
  std::vector<std::string> failures(kThreads);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      McpTestClient client;
      for (int s = static_cast<int>(t); s < kSessions; s += static_cast<int>(kThreads)) {
        const std::string& via = urls[static_cast<std::size_t>(s) % urls.size()];
        const McpAnswer opened = client.open(via + "/mcp/counter");
        if (opened.status != 200 || opened.node.empty()) {
          failures[t] = "initialize " + std::to_string(s) + ": " + std::to_string(opened.status) + " " + opened.error;
          return;
        }
        ++spread[t][opened.node];
        for (int c = 1; c <= kCallsEach; ++c) {
          const std::string& next = urls[static_cast<std::size_t>(s + c) % urls.size()];
          const McpAnswer r = client.call_tool(next + "/mcp/counter", opened.session, "increment");
          const bool same = r.status == 200 && r.node == opened.node &&
                            r.body["result"]["structuredContent"]["count"] == c;
          ++(same ? on_node[t] : off_node[t]);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& f : failures) ASSERT_TRUE(f.empty()) << f;
  int on = 0;
  int off = 0;
  std::map<std::string, int> per_node;
  for (std::size_t t = 0; t < kThreads; ++t) {
    on += on_node[t];
    off += off_node[t];
    for (const auto& [node, n] : spread[t]) per_node[node] += n;
  }
  const double share = 100.0 * on / (on + off);
  std::cout << "sticky " << GetParam().strategy << ": " << on << " of " << on + off << " calls on their node ("
            << share << " %); sessions per node:";
  for (const auto& [node, n] : per_node) std::cout << " " << node << "=" << n;
  std::cout << "\n";
  EXPECT_GE(share, 99.9);
  EXPECT_EQ(per_node.size(), 3u);  // every strategy spreads new sessions
  for (const auto& [node, n] : per_node) EXPECT_GT(n, 200) << node;
}

INSTANTIATE_TEST_SUITE_P(Strategies, Sticky,
                         ::testing::Values(StickyCase{"consistent-hash", ""}, StickyCase{"cookie", ""},
                                           StickyCase{"header", "least-connections"}),
                         [](const ::testing::TestParamInfo<StickyCase>& param_info) {
                           std::string name = param_info.param.strategy;
                           for (char& c : name) c = c == '-' ? '_' : c;
                           return name;
                         });

TEST(McpCluster, CookieAndHeaderNameTheNodeOfANewSession) {
  for (const std::string strategy : {"cookie", "header"}) {
    ClusterHarness cluster(three_by_three(strategy));
    ASSERT_TRUE(cluster.start()) << cluster.error();
    ASSERT_TRUE(cluster.wait_leader().has_value());
    ASSERT_TRUE(cluster.wait_workers()) << cluster.error();
    const std::string url = cluster.coordinators()[0]->url + "/mcp/counter";
    McpTestClient client;
    for (const std::string node : {"w2", "w3", "w1"}) {
      const http::Headers named = strategy == "cookie" ? http::Headers{{"Cookie", "other=1; MCPHUB_NODE=" + node}}
                                                       : http::Headers{{"X-MCPHub-Node", node}};
      const McpAnswer opened = client.open(url, named);
      ASSERT_EQ(opened.status, 200) << strategy;
      EXPECT_EQ(opened.node, node) << strategy;
      if (strategy == "cookie") {
        EXPECT_EQ(opened.set_cookie.rfind("MCPHUB_NODE=" + node + ";", 0), 0u);
      }
    }
  }
}

TEST(McpCluster, TheTransportsRulesAndTheManagementApi) {
  ClusterHarness cluster(three_by_three("consistent-hash"));
  ASSERT_TRUE(cluster.start()) << cluster.error();
  const auto leader = cluster.wait_leader();
  ASSERT_TRUE(leader.has_value());
  ASSERT_TRUE(cluster.wait_workers()) << cluster.error();
  const std::string follower = cluster.other_than(*leader);
  const std::string base = cluster.member(follower)->url;
  McpTestClient client;
  const McpAnswer opened = client.open(base + "/mcp/counter");
  ASSERT_EQ(opened.status, 200);
  EXPECT_EQ(opened.body["result"]["serverInfo"]["name"], "faultline-counter");
  EXPECT_EQ(opened.body["result"]["protocolVersion"], "2025-06-18");

  // A notification is accepted without a body; a request without a session
  // is refused; an unknown session is not found; GET offers no stream.
  EXPECT_EQ(client.post(base + "/mcp/counter", Json{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}},
                        opened.session)
                .status,
            202);
  const Json list{{"jsonrpc", "2.0"}, {"id", 5}, {"method", "tools/list"}};
  EXPECT_EQ(client.post(base + "/mcp/counter", list).status, 400);
  const McpAnswer unknown = client.post(base + "/mcp/counter", list, "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.body["error"]["code"], -32001);
  EXPECT_EQ(cluster.get(follower, "/mcp/counter").status, 405);
  EXPECT_EQ(client.post(base + "/mcp/counter", list, opened.session, {{"Accept", "text/html"}}).status, 406);
  // The node-wide endpoint merges every server's tools.
  const McpAnswer global = client.open(base + "/mcp");
  ASSERT_EQ(global.status, 200);
  const McpAnswer tools = client.post(base + "/mcp", list, global.session);
  // counter 3, echo 1, kv 4, sleep 1; kv's "get" is shadowed by counter's
  // (the first server of the map keeps a shared name).
  EXPECT_EQ(tools.body["result"]["tools"].size(), 3u + 1u + 3u + 1u);

  // MCPHub's management API, on any coordinator.
  const Json status = Json::parse(cluster.get(follower, "/api/cluster/status").body);
  EXPECT_EQ(status["success"], true);
  EXPECT_EQ(status["data"]["mode"], "coordinator");
  EXPECT_EQ(status["data"]["stats"]["activeNodes"], 3);
  EXPECT_EQ(status["data"]["stats"]["servers"], 4);
  EXPECT_TRUE(wait_until(  // a follower applies the pins a heartbeat after the leader
      [&] { return Json::parse(cluster.get(follower, "/api/cluster/status").body)["data"]["stats"]["mcpSessions"] == 2; },
      5s));
  const Json nodes = Json::parse(cluster.get(follower, "/api/cluster/nodes?active=true").body);
  ASSERT_EQ(nodes["data"].size(), 3u);
  EXPECT_EQ(nodes["data"][0]["status"], "active");
  const Json replicas = Json::parse(cluster.get(*leader, "/api/cluster/servers/counter/replicas").body);
  EXPECT_EQ(replicas["data"].size(), 3u);
  EXPECT_EQ(Json::parse(cluster.get(*leader, "/api/cluster/servers/nope/replicas").body)["data"].size(), 0u);
  const auto affinity = cluster.get(*leader, "/api/cluster/sessions/" + opened.session);
  ASSERT_EQ(affinity.status, 200);
  EXPECT_EQ(Json::parse(affinity.body)["data"]["nodeId"], opened.node);
  const auto missing = cluster.get(follower, "/api/cluster/sessions/nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(Json::parse(missing.body)["message"], "Session affinity not found");
  const auto bad_register = cluster.post(follower, "/api/cluster/register", R"({"id":"x"})");
  EXPECT_EQ(bad_register.status, 400);
  EXPECT_EQ(Json::parse(bad_register.body)["message"], "Missing required fields: id, name, url");
  EXPECT_EQ(cluster.post(follower, "/api/cluster/heartbeat", R"({"id":"stranger"})").status, 404);

  // DELETE ends the session everywhere.
  EXPECT_EQ(client.remove(base + "/mcp/counter", opened.session), 200);
  EXPECT_EQ(client.call_tool(cluster.member(*leader)->url + "/mcp/counter", opened.session, "get").status, 404);
  EXPECT_TRUE(wait_until([&] { return cluster.get(*leader, "/api/cluster/sessions/" + opened.session).status == 404; },
                         5s));
}

TEST(McpCluster, AMalformedSettingsFileStopsTheProcessNamingThePath) {
  const auto dir = scratch_dir("bad-settings");
  const auto file = dir / "mcp_settings.json";
  std::ofstream(file) << R"({"systemConfig": {"cluster": {"enabled": true, "mode": "coordinator",
      "coordinator": {"nodeTimeout": -1}, "stickySession": {"strategy": "random"}}}})";
  const CliResult coordinator = run_cli({"coordinator", "--config", file.string()}, 10s);
  EXPECT_EQ(coordinator.exit_code, 2);
  EXPECT_NE(coordinator.err.find(file.string() + ": $.systemConfig.cluster.coordinator.nodeTimeout: expected an "
                                                 "integer in 1..86400000 ms, found -1"),
            std::string::npos)
      << coordinator.err;
  EXPECT_NE(coordinator.err.find("$.systemConfig.cluster.stickySession.strategy: expected one of consistent-hash | "
                                 "cookie | header"),
            std::string::npos)
      << coordinator.err;
  const CliResult node = run_cli({"node", "--config", file.string()}, 10s);
  EXPECT_EQ(node.exit_code, 2);
  const CliResult worker = run_cli({"worker", "--config", (dir / "absent.json").string()}, 10s);
  EXPECT_EQ(worker.exit_code, 2);
  EXPECT_NE(worker.err.find("cannot read the settings file"), std::string::npos) << worker.err;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace faultline::testing
