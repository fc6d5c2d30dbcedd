// mcp_settings.json: MCPHub's documented fields and defaults are read as-is,
// ours beside them; every mistake names the file, the JSON path and what was
// expected, and the process that reads it refuses to start.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "cluster/coordinator/config.hpp"
#include "cluster/settings/settings.hpp"

namespace faultline::settings {
namespace {

using Json = nlohmann::json;

Json mcphub_coordinator() {
  // The coordinator example of MCPHub's cluster guide, as written there.
  return Json::parse(R"({
    "mcpServers": {"fetch": {"command": "uvx", "args": ["mcp-server-fetch"], "env": {"USER_AGENT": "MCPHub/1.0"}}},
    "users": [{"username": "admin", "password": "$2b$10$...", "isAdmin": true}],
    "systemConfig": {
      "routing": {"enableGlobalRoute": true, "enableGroupNameRoute": true, "enableBearerAuth": false},
      "cluster": {
        "enabled": true,
        "mode": "coordinator",
        "coordinator": {"nodeTimeout": 15000, "cleanupInterval": 30000, "stickySessionTimeout": 3600000},
        "stickySession": {"enabled": true, "strategy": "consistent-hash", "cookieName": "MCPHUB_NODE",
                          "headerName": "X-MCPHub-Node"}
      }
    }
  })");
}

Json mcphub_node() {
  return Json::parse(R"({
    "mcpServers": {"echo": {"command": "faultline", "args": ["mcp-server", "echo"]}},
    "systemConfig": {"cluster": {"enabled": true, "mode": "node",
      "node": {"id": "node-1", "name": "Worker Node 1", "coordinatorUrl": "http://127.0.0.1:3000",
               "heartbeatInterval": 5000, "registerOnStartup": true}}}
  })");
}

std::vector<std::string> errors_of(const Json& document) {
  std::vector<std::string> errors;
  EXPECT_FALSE(parse_settings(document, "mcp_settings.json", errors).has_value());
  return errors;
}

TEST(Settings, MCPHubsCoordinatorExampleStartsAsASingleMemberGroup) {
  std::vector<std::string> errors;
  const auto s = parse_settings(mcphub_coordinator(), "mcp_settings.json", errors);
  ASSERT_TRUE(s.has_value()) << join_errors(errors);
  EXPECT_EQ(s->mode, Mode::coordinator);
  EXPECT_EQ(s->coordinator.node_timeout_ms, 15000);
  EXPECT_EQ(s->coordinator.cleanup_interval_ms, 30000);
  EXPECT_EQ(s->coordinator.sticky_session_timeout_ms, 3600000);
  EXPECT_EQ(s->sticky.strategy, StickyStrategy::consistent_hash);
  EXPECT_EQ(s->routing.balancing, Balancing::consistent_hash);
  ASSERT_EQ(s->coordinator.peers.size(), 1u);
  EXPECT_EQ(s->coordinator.peers[0].id, s->coordinator.id);
  ASSERT_EQ(s->servers.size(), 1u);
  EXPECT_EQ(s->servers[0].env.at("USER_AGENT"), "MCPHub/1.0");
}

TEST(Settings, DefaultsAreMCPHubs) {
  std::vector<std::string> errors;
  Json doc = mcphub_node();
  doc["systemConfig"]["cluster"]["node"] = Json{{"coordinatorUrl", "http://127.0.0.1:3000/"}};
  const auto s = parse_settings(doc, "f.json", errors);
  ASSERT_TRUE(s.has_value()) << join_errors(errors);
  EXPECT_TRUE(s->node.id_generated);
  EXPECT_EQ(s->node.id.size(), 36u);  // a UUID
  EXPECT_FALSE(s->node.name.empty());  // the host name
  EXPECT_EQ(s->node.coordinator_url, "http://127.0.0.1:3000");
  EXPECT_EQ(s->node.heartbeat_interval_ms, 5000);
  EXPECT_TRUE(s->node.register_on_startup);
  EXPECT_TRUE(s->sticky.enabled);
  EXPECT_EQ(s->sticky.cookie_name, "MCPHUB_NODE");
  EXPECT_EQ(s->sticky.header_name, "X-MCPHub-Node");
  EXPECT_EQ(s->routing.connect_timeout_ms, 2000);
  EXPECT_EQ(s->routing.read_timeout_ms, 5000);
  EXPECT_EQ(s->routing.error_percentage, 50);
  EXPECT_EQ(s->routing.window_ms, 10000);
  EXPECT_EQ(s->routing.half_open_after_ms, 30000);
}

TEST(Settings, ClusterDisabledIsStandaloneWhateverTheMode) {
  std::vector<std::string> errors;
  Json doc = mcphub_coordinator();
  doc["systemConfig"]["cluster"]["enabled"] = false;
  const auto s = parse_settings(doc, "f.json", errors);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->mode, Mode::standalone);
}

TEST(Settings, CookieAndHeaderStrategiesBalanceRoundRobinUnlessTold) {
  std::vector<std::string> errors;
  Json doc = mcphub_coordinator();
  doc["systemConfig"]["cluster"]["stickySession"]["strategy"] = "header";
  EXPECT_EQ(parse_settings(doc, "f.json", errors)->routing.balancing, Balancing::round_robin);
  doc["systemConfig"]["cluster"]["loadBalancing"] = Json{{"strategy", "least-connections"}};
  EXPECT_EQ(parse_settings(doc, "f.json", errors)->routing.balancing, Balancing::least_connections);
}

TEST(Settings, EveryErrorNamesTheFileThePathAndWhatWasExpected) {
  Json doc = mcphub_coordinator();
  auto& cluster = doc["systemConfig"]["cluster"];
  cluster["coordinator"]["nodeTimeout"] = "15s";
  cluster["stickySession"]["strategy"] = "sticky";
  cluster["coordinator"]["peers"] = Json::array({Json{{"id", 2}, {"name", "c2"}, {"url", "ftp://x"}}});
  cluster["timeouts"] = Json{{"conect", 100}};
  const auto errors = errors_of(doc);
  const std::string all = join_errors(errors);
  EXPECT_NE(all.find("mcp_settings.json: $.systemConfig.cluster.coordinator.nodeTimeout: expected an integer in "
                     "1..86400000 ms, found the string \"15s\""),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("mcp_settings.json: $.systemConfig.cluster.stickySession.strategy: expected one of "
                     "consistent-hash | cookie | header, found the string \"sticky\""),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("$.systemConfig.cluster.coordinator.peers[0].url: expected an http:// URL"), std::string::npos)
      << all;
  EXPECT_NE(all.find("$.systemConfig.cluster.timeouts.conect: unknown field; $.systemConfig.cluster.timeouts takes "
                     "connect, read"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("$.systemConfig.cluster.coordinator.peers: expected this coordinator's id 1"), std::string::npos)
      << all;
}

TEST(Settings, ReplicationDefaultsToSyncAndTakesTheThreeModesOnly) {
  std::vector<std::string> errors;
  Json doc = mcphub_coordinator();
  auto s = parse_settings(doc, "mcp_settings.json", errors);
  ASSERT_TRUE(s.has_value()) << join_errors(errors);
  EXPECT_EQ(s->coordinator.replication, Replication::sync);
  for (const auto& [text, mode] : std::vector<std::pair<std::string, Replication>>{
           {"sync", Replication::sync}, {"semi-sync", Replication::semi_sync}, {"async", Replication::async}}) {
    doc["systemConfig"]["cluster"]["coordinator"]["replication"] = text;
    s = parse_settings(doc, "mcp_settings.json", errors);
    ASSERT_TRUE(s.has_value()) << join_errors(errors);
    EXPECT_EQ(s->coordinator.replication, mode) << text;
    EXPECT_EQ(to_string(mode), text);
  }
  doc["systemConfig"]["cluster"]["coordinator"]["replication"] = "semisync";
  const std::string all = join_errors(errors_of(doc));
  EXPECT_NE(all.find("mcp_settings.json: $.systemConfig.cluster.coordinator.replication: expected one of "
                     "sync | semi-sync | async, found the string \"semisync\""),
            std::string::npos)
      << all;
}

// raft.electionTimer: "wall" by default, "ticks" (etcd's counting) on
// request, which needs whole heartbeats; anything else is refused by path.
TEST(Settings, ElectionTimerIsWallUnlessTicksAndTicksNeedWholeHeartbeats) {
  std::vector<std::string> errors;
  Json doc = mcphub_coordinator();
  auto s = parse_settings(doc, "mcp_settings.json", errors);
  ASSERT_TRUE(s.has_value()) << join_errors(errors);
  EXPECT_EQ(s->coordinator.election_timer, raft::ElectionTimer::wall);
  Json& raft = doc["systemConfig"]["cluster"]["coordinator"]["raft"];
  raft = Json::parse(R"({"electionTimeout": [250, 500], "heartbeatInterval": 50, "electionTimer": "ticks"})");
  s = parse_settings(doc, "mcp_settings.json", errors);
  ASSERT_TRUE(s.has_value()) << join_errors(errors);
  EXPECT_EQ(s->coordinator.election_timer, raft::ElectionTimer::ticks);
  raft["heartbeatInterval"] = 40;
  std::string all = join_errors(errors_of(doc));
  EXPECT_NE(all.find("$.systemConfig.cluster.coordinator.raft.electionTimer: \"ticks\" draws [min, max) heartbeats: "
                     "electionTimeout must be whole heartbeats (40 ms)"),
            std::string::npos)
      << all;
  raft["heartbeatInterval"] = 50;
  raft["electionTimer"] = "sundial";
  all = join_errors(errors_of(doc));
  EXPECT_NE(all.find("$.systemConfig.cluster.coordinator.raft.electionTimer: expected one of wall | ticks"),
            std::string::npos)
      << all;
}

// raft.campaignWhenLeaderGone: on unless set false; a non-boolean is refused by path.
TEST(Settings, CampaignWhenLeaderGoneIsOnUnlessSetFalse) {
  std::vector<std::string> errors;
  Json doc = mcphub_coordinator();
  auto s = parse_settings(doc, "mcp_settings.json", errors);
  ASSERT_TRUE(s.has_value()) << join_errors(errors);
  EXPECT_TRUE(s->coordinator.campaign_when_leader_gone);
  Json& raft = doc["systemConfig"]["cluster"]["coordinator"]["raft"];
  raft["campaignWhenLeaderGone"] = false;
  s = parse_settings(doc, "mcp_settings.json", errors);
  ASSERT_TRUE(s.has_value()) << join_errors(errors);
  EXPECT_FALSE(s->coordinator.campaign_when_leader_gone);
  raft["campaignWhenLeaderGone"] = "no";
  const std::string all = join_errors(errors_of(doc));
  EXPECT_NE(all.find("$.systemConfig.cluster.coordinator.raft.campaignWhenLeaderGone: expected"), std::string::npos)
      << all;
}

TEST(Settings, ANodeNeedsItsCoordinatorUrl) {
  Json doc = mcphub_node();
  doc["systemConfig"]["cluster"]["node"].erase("coordinatorUrl");
  const auto errors = errors_of(doc);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "mcp_settings.json: $.systemConfig.cluster.node.coordinatorUrl: required in node mode: the "
                       "coordinator's URL, such as http://127.0.0.1:3000");
}

TEST(Settings, ServersAreCheckedWhereTheyCanGoWrong) {
  Json doc = mcphub_node();
  doc["mcpServers"]["bad name"] = Json{{"args", "x"}};
  doc["mcpServers"]["remote"] = Json{{"url", "http://example.invalid/sse"}, {"description", "ignored"}};
  const std::string all = join_errors(errors_of(doc));
  EXPECT_NE(all.find("$.mcpServers[\"bad name\"].args: expected an array of strings, found the string \"x\""),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("$.mcpServers[\"bad name\"].command: a stdio server needs a command"), std::string::npos) << all;
  EXPECT_EQ(all.find("remote"), std::string::npos) << all;  // a URL server is valid, just not hostable
}

TEST(Settings, EnvPlaceholdersComeFromTheEnvironment) {
  setenv("FAULTLINE_SETTINGS_TEST", "value-1", 1);
  Json doc = mcphub_node();
  doc["mcpServers"]["echo"]["env"] = Json{{"A", "x-${FAULTLINE_SETTINGS_TEST}-y"}, {"B", "${FAULTLINE_UNSET_VAR}"}};
  std::vector<std::string> errors;
  const auto s = parse_settings(doc, "f.json", errors);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->servers[0].env.at("A"), "x-value-1-y");
  EXPECT_EQ(s->servers[0].env.at("B"), "");
}

TEST(Settings, AFileForTheOtherModeIsRefusedByName) {
  const auto dir = std::filesystem::temp_directory_path() / ("faultline-settings-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const auto file = dir / "mcp_settings.json";
  std::ofstream(file) << mcphub_node().dump();
  std::string error;
  EXPECT_FALSE(load_for(file, Mode::coordinator, error).has_value());
  EXPECT_EQ(error, file.string() + ": $.systemConfig.cluster.mode: expected \"coordinator\" (with \"enabled\": true) "
                                   "to start a coordinator, found \"node\"");
  std::ofstream(file) << "{\"systemConfig\": {";
  EXPECT_FALSE(load_for(file, Mode::node, error).has_value());
  EXPECT_EQ(error.rfind(file.string() + ": not valid JSON", 0), 0u) << error;
  EXPECT_TRUE(load_for(dir / "absent.json", Mode::node, error) == std::nullopt);
  EXPECT_NE(error.find("cannot read the settings file"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(Settings, TheCoordinatorConfigTakesItsRaftFieldsFromTheFile) {
  const auto dir = std::filesystem::temp_directory_path() / ("faultline-settings-c-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  Json doc = mcphub_coordinator();
  doc["systemConfig"]["cluster"]["coordinator"].update(Json::parse(R"({
    "id": 2, "name": "c2", "listen": "10.77.0.12:7000", "raftListen": "10.77.0.12:7100", "dataDir": "/tmp/c2",
    "peers": [{"id": 1, "name": "c1", "url": "http://10.77.0.11:7000", "raft": "10.77.0.11:7100"},
              {"id": 2, "name": "c2", "url": "http://10.77.0.12:7000", "raft": "10.77.0.12:7100"}],
    "raft": {"electionTimeout": [200, 400], "heartbeatInterval": 40, "seed": 9}, "staleReads": true})"));
  const auto file = dir / "c2.json";
  std::ofstream(file) << doc.dump();
  std::string error;
  const auto config = coordinator::load_config(file, error);
  ASSERT_TRUE(config.has_value()) << error;
  EXPECT_EQ(config->id, 2u);
  EXPECT_EQ(config->listen, (net::Endpoint{"10.77.0.12", 7000}));
  EXPECT_EQ(config->member(1)->raft, (net::Endpoint{"10.77.0.11", 7100}));
  EXPECT_EQ(config->election_timeout_min_ms, 200);
  EXPECT_EQ(config->heartbeat_ms, 40);
  EXPECT_EQ(config->seed, 9u);
  EXPECT_TRUE(config->stale_reads);
  doc["systemConfig"]["cluster"]["coordinator"]["listen"] = "0.0.0.0:7000";
  std::ofstream(file) << doc.dump();
  EXPECT_FALSE(coordinator::load_config(file, error).has_value());
  EXPECT_NE(error.find("c2.json: $.systemConfig.cluster.coordinator.listen: expected the member's own address"),
            std::string::npos)
      << error;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace faultline::settings

namespace faultline::settings {
namespace {

// The admin failpoints answer loopback only unless the file says more; a
// source list the coordinator cannot use is refused with its path.
TEST(Settings, AdminAllowDefaultsToLoopbackAndBadEntriesAreRefused) {
  const auto dir = std::filesystem::temp_directory_path() / ("faultline-admin-allow-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto write = [&](const Json& doc) {
    std::ofstream(dir / "mcp_settings.json") << doc.dump();
    return dir / "mcp_settings.json";
  };
  Json doc = mcphub_coordinator();
  std::string error;
  auto config = coordinator::load_config(write(doc), error);
  ASSERT_TRUE(config.has_value()) << error;
  ASSERT_EQ(config->admin_allow.size(), 1u);
  EXPECT_TRUE(config->admin_allow[0].contains(0x7f000001u));
  EXPECT_FALSE(config->admin_allow[0].contains(0x0a4d0002u));

  doc["systemConfig"]["cluster"]["coordinator"]["adminAllow"] = Json::array({"127.0.0.0/8", "10.77.0.2/32"});
  config = coordinator::load_config(write(doc), error);
  ASSERT_TRUE(config.has_value()) << error;
  ASSERT_EQ(config->admin_allow.size(), 2u);
  EXPECT_TRUE(config->admin_allow[1].contains(0x0a4d0002u));

  doc["systemConfig"]["cluster"]["coordinator"]["adminAllow"] = Json::array({"10.77.0.300"});
  EXPECT_FALSE(coordinator::load_config(write(doc), error).has_value());
  EXPECT_NE(error.find("systemConfig.cluster.coordinator.adminAllow[0]"), std::string::npos) << error;

  doc["systemConfig"]["cluster"]["coordinator"]["adminAllow"] = Json::array({7});
  const auto errors = errors_of(doc);
  ASSERT_FALSE(errors.empty());
  EXPECT_NE(errors[0].find("adminAllow[0]"), std::string::npos) << errors[0];
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace faultline::settings

namespace faultline::settings {
namespace {

// A drill's trials derive their seeds over all 64 bits; a seed above
// INT64_MAX is a seed like any other, a negative one is refused.
TEST(Settings, SeedsTakeTheWholeUnsigned64BitRange) {
  Json doc = mcphub_coordinator();
  doc["systemConfig"]["cluster"]["coordinator"]["raft"] = Json{{"seed", 13679457532755275413ull}};
  std::vector<std::string> errors;
  const auto s = parse_settings(doc, "mcp_settings.json", errors);
  ASSERT_TRUE(s.has_value()) << join_errors(errors);
  EXPECT_EQ(s->coordinator.seed, 13679457532755275413ull);
  doc["systemConfig"]["cluster"]["coordinator"]["raft"] = Json{{"seed", -1}};
  const auto refused = errors_of(doc);
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_NE(refused[0].find("raft.seed"), std::string::npos) << refused[0];
}

}  // namespace
}  // namespace faultline::settings
