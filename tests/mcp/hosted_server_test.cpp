// Hosting stdio MCP servers: a server that dies is restarted (and its
// state starts afresh), a program that cannot run is reported and retried,
// and a hosted server never outlives its node, even a node killed alone
// with SIGKILL.
#include <gtest/gtest.h>

#include <signal.h>

#include <fstream>
#include <regex>

#include "cluster/mcp/hosted_server.hpp"
#include "tests/support/cli_process.hpp"

namespace faultline::testing {
namespace {

using mcp::Json;
using namespace std::chrono_literals;

Json increment(mcp::HostedServer& server) {
  const auto r = server.call("tools/call", Json{{"name", "increment"}, {"arguments", Json::object()}}, 5s);
  return r.ok ? r.message["result"]["structuredContent"]["count"] : Json(r.error);
}

TEST(HostedServer, ADeadServerIsRestartedWithFreshState) {
  mcp::HostedServer server("counter", mcp::ChildSpec{FAULTLINE_BINARY, {"mcp-server", "counter"}, {}}, "test: ");
  server.start();
  ASSERT_TRUE(server.wait_ready(10s));
  EXPECT_EQ(server.initialize_result()["serverInfo"]["name"], "faultline-counter");
  EXPECT_EQ(increment(server), 1);
  EXPECT_EQ(increment(server), 2);
  const int first = server.pid();
  ASSERT_GT(first, 0);
  ASSERT_EQ(::kill(first, SIGKILL), 0);
  ASSERT_TRUE(wait_until([&] { return server.restarts() >= 1 && server.ready(); }, 10s));
  EXPECT_NE(server.pid(), first);
  EXPECT_EQ(increment(server), 1);
  const int second = server.pid();
  server.stop();
  EXPECT_FALSE(process_alive(second));
  EXPECT_FALSE(server.call("ping", Json::object(), 1s).ok);
}

TEST(HostedServer, AProgramThatCannotRunIsReportedAndRetried) {
  mcp::HostedServer server("missing", mcp::ChildSpec{"/nonexistent/mcp-server", {}, {}}, "test: ");
  server.start();
  ASSERT_TRUE(wait_until([&] { return server.restarts() >= 2; }, 10s));
  EXPECT_FALSE(server.ready());
  const auto r = server.call("ping", Json::object(), 1s);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("not running"), std::string::npos) << r.error;
  server.stop();
}

TEST(HostedServer, NeverOutlivesItsNodeKilledAlone) {
  const auto dir = scratch_dir("node-pdeathsig");
  const auto file = dir / "mcp_settings.json";
  std::ofstream(file) << Json{{"mcpServers", Json{{"counter", Json{{"command", "faultline"},
                                                                  {"args", Json::array({"mcp-server", "counter"})}}}}},
                              {"systemConfig",
                               Json{{"cluster", Json{{"enabled", true},
                                                     {"mode", "node"},
                                                     {"node", Json{{"id", "n1"},
                                                                   {"coordinatorUrl", "http://127.0.0.1:1"},
                                                                   {"listen", "127.0.0.1:0"}}}}}}}}
                             .dump();
  CliProcess node({"node", "--config", file.string()}, dir);
  int child = 0;
  const std::regex started("MCP server counter started \\(pid ([0-9]+)\\)");
  ASSERT_TRUE(wait_until(
      [&] {
        std::smatch m;
        const std::string err = read_file(node.err_file());
        if (!std::regex_search(err, m, started)) return false;
        child = std::stoi(m[1]);
        return true;
      },
      10s))
      << read_file(node.err_file());
  ASSERT_TRUE(process_alive(child));
  node.signal(SIGKILL);  // the node's pid only, not its group
  node.wait(5s);
  EXPECT_TRUE(wait_until([&] { return !process_alive(child); }, 5s)) << "hosted server " << child << " outlived its node";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace faultline::testing
