// The HTTP server keeps connections alive and binds ports the drill runner
// holds reserved.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "cluster/http/client.hpp"
#include "cluster/http/server.hpp"
#include "cluster/net/socket.hpp"
#include "tests/support/held_port.hpp"

namespace faultline {
namespace {

TEST(HttpServer, OneClientsRequestsShareOneKeptAliveConnection) {
  http::Server server(4);
  server.put("/api/kv/(.+)", [](const http::Request& request) { return http::json_response(200, request.remote); });
  std::string error;
  ASSERT_TRUE(server.start(net::Endpoint{"127.0.0.1", 0}, error)) << error;
  const std::string url = "http://" + server.bound().to_string() + "/api/kv/k";
  http::Client client;
  std::set<std::string> remotes;
  for (int i = 0; i < 50; ++i) {
    const auto response = client.request("PUT", url, "v", 2000);
    ASSERT_TRUE(response.ok()) << response.error;
    ASSERT_EQ(response.status, 200);
    remotes.insert(response.body);
  }
  EXPECT_EQ(remotes.size(), 1u) << "each request came on a connection of its own";
}

// A timeout after the request went out on a kept-alive connection may have
// been acted on: it must not be taken for one that never connected (a
// client would call a write that may have happened certainly failed).
TEST(HttpClient, ATimeoutOnAKeptAliveConnectionMayHaveBeenSent) {
  http::Server server(4);
  server.get("/fast", [](const http::Request&) { return http::json_response(200, "{}"); });
  server.get("/slow", [](const http::Request&) {
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    return http::json_response(200, "{}");
  });
  std::string error;
  ASSERT_TRUE(server.start(net::Endpoint{"127.0.0.1", 0}, error)) << error;
  const std::string base = "http://" + server.bound().to_string();
  http::Client client;
  ASSERT_EQ(client.get(base + "/fast", 2000).status, 200);
  const auto slow = client.get(base + "/slow", 100);
  EXPECT_EQ(slow.transport, http::ClientResponse::Transport::timeout) << slow.error;
  EXPECT_TRUE(slow.maybe_sent);
}

TEST(HttpServer, BindsAPortHeldByAReservingSocketAndServesOnIt) {
  testing::HeldPort held;
  ASSERT_NE(held.port(), 0) << held.error();
  http::Server server(4);
  server.get("/health", [](const http::Request&) { return http::json_response(200, R"({"status":"ok"})"); });
  std::string error;
  const net::Endpoint at{"127.0.0.1", static_cast<std::uint16_t>(held.port())};
  ASSERT_TRUE(server.start(at, error)) << error;
  EXPECT_EQ(server.bound(), at);
  http::Client client;
  const auto response = client.get("http://" + at.to_string() + "/health", 2000);
  ASSERT_TRUE(response.ok()) << response.error;
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(held.still_bound());
}

TEST(NetListen, BindsAPortHeldByAReservingSocketAndAcceptsOnIt) {
  testing::HeldPort held;
  ASSERT_NE(held.port(), 0) << held.error();
  const net::Endpoint at{"127.0.0.1", static_cast<std::uint16_t>(held.port())};
  net::Endpoint bound;
  std::string error;
  const net::Fd listening = net::listen_tcp(at, bound, error);
  ASSERT_TRUE(listening) << error;
  EXPECT_EQ(bound, at);
  net::WakeFd wake;
  // Only the listening socket receives connections: this one must succeed.
  const net::Fd connected = net::connect_tcp(at, std::chrono::milliseconds(2000), wake, error);
  EXPECT_TRUE(connected) << error;
}

}  // namespace
}  // namespace faultline
