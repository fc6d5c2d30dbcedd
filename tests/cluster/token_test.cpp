// The cluster and admin tokens on real processes: registration, heartbeats
// and Raft streams without the cluster token, or with another, are refused
// with a log line naming the peer; the admin failpoints want the admin
// token; the right tokens work (the cluster the harness starts has both, so
// its election and its node's registration prove it); a malformed token in
// a settings file stops the process naming the file and the JSON path.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cluster/coordinator/raft_stream.hpp"
#include "cluster/net/socket.hpp"
#include "tests/support/cli_process.hpp"
#include "tests/support/cluster_harness.hpp"

namespace faultline::testing {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;
using Headers = std::vector<std::pair<std::string, std::string>>;

const Headers kNoToken{};
const Headers kWrongToken{{"Authorization", "Bearer 00000000000000000000000000000000"}};

Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

class ClusterTokens : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    targets::EmbeddedOptions o;
    o.coordinators = 3;
    o.workers = 1;
    o.seed = 9;
    cluster_ = new ClusterHarness(o);
    ASSERT_TRUE(cluster_->start()) << cluster_->error();
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }
  static bool log_has(const std::string& id, const std::string& text) {
    return wait_until([&] { return read_file(cluster_->member(id)->log_file).find(text) != std::string::npos; }, 5s);
  }
  static ClusterHarness* cluster_;
};
ClusterHarness* ClusterTokens::cluster_ = nullptr;

TEST_F(ClusterTokens, TheRightTokensLetTheClusterFormAndTheNodeRegister) {
  EXPECT_FALSE(cluster_->cluster().cluster_token().empty());
  EXPECT_FALSE(cluster_->cluster().admin_token().empty());
  EXPECT_NE(cluster_->cluster().cluster_token(), cluster_->cluster().admin_token());
  ASSERT_TRUE(cluster_->wait_leader().has_value());
  ASSERT_TRUE(cluster_->wait_workers()) << cluster_->error();
  const Json nodes = Json::parse(cluster_->get("c1", "/api/cluster/nodes").body, nullptr, false);
  ASSERT_TRUE(nodes.is_object()) << nodes.dump();
  ASSERT_EQ(nodes["data"].size(), 1u) << nodes.dump();
  EXPECT_EQ(nodes["data"][0]["id"], "w1");
  EXPECT_EQ(nodes["data"][0]["metadata"]["failureDetector"]["kind"], "fixed");
}

TEST_F(ClusterTokens, RegistrationWithoutTheClusterTokenIs401AndLogged) {
  const std::string body = Json{{"id", "intruder"}, {"name", "intruder"}, {"url", "http://127.0.0.1:1"}}.dump();
  const auto missing = cluster_->request_with("POST", "c1", "/api/cluster/register", body, kNoToken);
  EXPECT_EQ(missing.status, 401) << missing.body;
  EXPECT_NE(missing.body.find("no cluster token"), std::string::npos) << missing.body;
  const auto wrong = cluster_->request_with("POST", "c1", "/api/cluster/register", body, kWrongToken);
  EXPECT_EQ(wrong.status, 401) << wrong.body;
  EXPECT_TRUE(log_has("c1", "refused a registration (POST /api/cluster/register) from 127.0.0.1:"));
  EXPECT_TRUE(log_has("c1", ": wrong cluster token"));
  // The admin token is not the cluster token.
  EXPECT_EQ(cluster_->request_with("POST", "c1", "/api/cluster/register", body,
                                   bearer(cluster_->cluster().admin_token()))
                .status,
            401);
  // Nothing was registered.
  const Json nodes = Json::parse(cluster_->get("c1", "/api/cluster/nodes").body, nullptr, false);
  for (const auto& n : nodes["data"]) EXPECT_NE(n["id"], "intruder");
}

TEST_F(ClusterTokens, HeartbeatsWithoutTheClusterTokenAre401) {
  ASSERT_TRUE(cluster_->wait_workers()) << cluster_->error();
  const std::string body = Json{{"id", "w1"}}.dump();
  EXPECT_EQ(cluster_->request_with("POST", "c2", "/api/cluster/heartbeat", body, kNoToken).status, 401);
  EXPECT_EQ(cluster_->request_with("POST", "c2", "/api/cluster/heartbeat", body, kWrongToken).status, 401);
  EXPECT_EQ(cluster_->request_with("POST", "c2", "/api/nodes/heartbeat", body, kNoToken).status, 401);
  EXPECT_TRUE(log_has("c2", "refused a heartbeat (POST /api/cluster/heartbeat) from 127.0.0.1:"));
  // With it, the same heartbeat is taken.
  EXPECT_EQ(cluster_->request_with("POST", "c2", "/api/cluster/heartbeat", body,
                                   bearer(cluster_->cluster().cluster_token()))
                .status,
            200);
}

TEST_F(ClusterTokens, ANodesOwnMcpAndCallEndpointsWantTheClusterToken) {
  // Coordinators forward MCP requests and routed calls to a node with the
  // cluster token; without it (a client going around the coordinators) the
  // node refuses, and says so in its log.
  ASSERT_TRUE(cluster_->wait_workers()) << cluster_->error();
  const std::string init = Json{{"jsonrpc", "2.0"},
                                {"id", 1},
                                {"method", "initialize"},
                                {"params", Json{{"protocolVersion", "2025-06-18"},
                                                {"capabilities", Json::object()},
                                                {"clientInfo", Json{{"name", "token-test"}, {"version", "1"}}}}}}
                               .dump();
  Headers accept{{"Accept", "application/json, text/event-stream"}};
  auto with = [&](Headers h) {
    h.insert(h.end(), accept.begin(), accept.end());
    return h;
  };
  const auto missing = cluster_->request_with("POST", "w1", "/mcp/echo", init, with(kNoToken));
  EXPECT_EQ(missing.status, 401) << missing.body;
  EXPECT_NE(missing.body.find("no cluster token"), std::string::npos) << missing.body;
  EXPECT_EQ(cluster_->request_with("POST", "w1", "/mcp/echo", init, with(kWrongToken)).status, 401);
  EXPECT_EQ(cluster_->request_with("DELETE", "w1", "/mcp/echo", "", with(kNoToken)).status, 401);
  EXPECT_TRUE(log_has("w1", "refused an MCP request (POST /mcp/...) from 127.0.0.1:"));
  const auto allowed =
      cluster_->request_with("POST", "w1", "/mcp/echo", init, with(bearer(cluster_->cluster().cluster_token())));
  EXPECT_EQ(allowed.status, 200) << allowed.body;

  const std::string call = Json{{"session", "token-test"}}.dump();
  EXPECT_EQ(cluster_->request_with("POST", "w1", "/api/call", call, kNoToken).status, 401);
  EXPECT_TRUE(log_has("w1", "refused a routed call (POST /api/call) from 127.0.0.1:"));
  EXPECT_EQ(cluster_->request_with("POST", "w1", "/api/call", call, bearer(cluster_->cluster().cluster_token())).status,
            200);
  // Through a coordinator, which adds the token, the call is served.
  const auto leader = cluster_->wait_leader();
  ASSERT_TRUE(leader.has_value());
  const auto routed = cluster_->request_with("POST", *leader, "/api/calls", call, kNoToken);
  EXPECT_EQ(routed.status, 200) << routed.body;
}

TEST_F(ClusterTokens, AdminEndpointsWantTheAdminToken) {
  EXPECT_EQ(cluster_->request_with("GET", "c3", "/admin/failpoints", "", kNoToken).status, 401);
  EXPECT_EQ(cluster_->request_with("GET", "c3", "/admin/failpoints", "", kWrongToken).status, 401);
  EXPECT_EQ(cluster_->request_with("PUT", "c3", "/admin/failpoints/clock", R"({"mode":"offset","offset_ms":5000})",
                                   bearer(cluster_->cluster().cluster_token()))
                .status,
            401);
  EXPECT_TRUE(log_has("c3", "refused an admin request (/admin/failpoints) from 127.0.0.1:"));
  const auto ok = cluster_->request_with("GET", "c3", "/admin/failpoints", "", bearer(cluster_->cluster().admin_token()));
  EXPECT_EQ(ok.status, 200) << ok.body;
  const Json state = Json::parse(ok.body, nullptr, false);
  EXPECT_EQ(state["clock"]["mode"], "off") << "the refused PUT changed nothing";
  // The public API needs no token.
  EXPECT_EQ(cluster_->request_with("GET", "c3", "/api/cluster/status", "", kNoToken).status, 200);
}

// A raw connection to a coordinator's Raft port that says hello as member 2.
bool raft_hello_is_closed(const targets::MemberInfo& to, const std::string& token) {
  net::WakeFd wake;
  std::string error;
  const net::Fd fd = net::connect_tcp(net::Endpoint{to.host, static_cast<std::uint16_t>(to.ports.at("raft"))}, 1s,
                                      wake, error);
  EXPECT_TRUE(fd) << error;
  if (!fd) return false;
  const std::string hello = coordinator::hello_frame(coordinator::Hello{2, 1, token});
  EXPECT_EQ(::send(fd.get(), hello.data(), hello.size(), MSG_NOSIGNAL), static_cast<ssize_t>(hello.size()));
  return wait_until(
      [&] {
        pollfd p{fd.get(), POLLIN, 0};
        if (::poll(&p, 1, 0) <= 0) return false;
        char byte = 0;
        return ::recv(fd.get(), &byte, 1, MSG_DONTWAIT) <= 0;
      },
      3s);
}

TEST_F(ClusterTokens, ARaftPeerWithoutTheClusterTokenIsRefused) {
  const auto* c1 = cluster_->member("c1");
  ASSERT_NE(c1, nullptr);
  EXPECT_TRUE(raft_hello_is_closed(*c1, ""));
  EXPECT_TRUE(log_has("c1", "(c2) closed: refused: no cluster token in the hello"));
  EXPECT_TRUE(raft_hello_is_closed(*c1, "ffffffffffffffffffffffffffffffff"));
  EXPECT_TRUE(log_has("c1", "(c2) closed: refused: wrong cluster token in the hello"));
  // The real c2's stream was not displaced: the group still agrees.
  EXPECT_TRUE(cluster_->wait_converged()) << cluster_->error();
}

TEST(ClusterTokenSettings, AMalformedTokenStopsTheProcessNamingFileAndPath) {
  const auto dir = scratch_dir("bad-token");
  const auto file = dir / "mcp_settings.json";
  std::ofstream(file) << R"({"systemConfig": {"cluster": {"enabled": true, "mode": "coordinator",
      "token": "short", "adminToken": 42}}})";
  const CliResult coordinator = run_cli({"coordinator", "--config", file.string()}, 10s);
  EXPECT_EQ(coordinator.exit_code, 2);
  EXPECT_NE(coordinator.err.find(file.string() + ": $.systemConfig.cluster.token: expected a string of 16 to 4096 "
                                                 "visible ASCII characters"),
            std::string::npos)
      << coordinator.err;
  EXPECT_NE(coordinator.err.find(file.string() + ": $.systemConfig.cluster.adminToken: expected a string"),
            std::string::npos)
      << coordinator.err;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace faultline::testing
