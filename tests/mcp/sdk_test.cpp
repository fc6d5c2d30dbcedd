// Parts no one here wrote: the official MCP TypeScript SDK as the client,
// through the coordinators (tests/mcp/node/sdk_client.mjs), and
// @modelcontextprotocol/server-everything hosted by the nodes as a stdio
// server. Both come pinned from tests/mcp/node/package-lock.json, installed
// by scripts/setup.sh (npm ci). Without them the test is skipped, except
// under CI, where it fails.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "tests/support/cli_process.hpp"
#include "tests/support/cluster_harness.hpp"

namespace faultline::testing {
namespace {

const std::filesystem::path kNodeDir = FAULTLINE_MCP_NODE_DIR;

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

TEST(TypeScriptSdk, ListsAndCallsToolsThroughTheCoordinatorsAndSessionsStick) {
  const auto everything = kNodeDir / "node_modules/@modelcontextprotocol/server-everything/dist/index.js";
  if (!std::filesystem::exists(everything) || std::system("node --version > /dev/null 2>&1") != 0) {
    if (std::getenv("CI") != nullptr) FAIL() << "node or " << everything << " is missing: run scripts/setup.sh";
    GTEST_SKIP() << "node or " << everything << " is missing: run scripts/setup.sh (npm ci in tests/mcp/node)";
  }
  targets::EmbeddedOptions o;
  o.coordinators = 3;
  o.workers = 2;
  o.seed = 3;
  o.mcp_servers = nlohmann::json{{"everything", {{"command", "node"}, {"args", {everything.string(), "stdio"}}}}};
  ClusterHarness cluster(o);
  ASSERT_TRUE(cluster.start()) << cluster.error();
  ASSERT_TRUE(cluster.wait_leader().has_value());
  ASSERT_TRUE(cluster.wait_workers()) << cluster.error();
  std::string command = "cd " + shell_quote(kNodeDir.string()) + " && timeout 120 node sdk_client.mjs";
  for (const auto* m : cluster.coordinators()) command += " " + shell_quote(m->url);
  const auto out = cluster.dir() / "sdk.out";
  const auto err = cluster.dir() / "sdk.err";
  command += " > " + shell_quote(out.string()) + " 2> " + shell_quote(err.string());
  const int status = std::system(command.c_str());
  const std::string printed = read_file(out);
  const std::string errors = read_file(err);
  EXPECT_EQ(status, 0) << printed << errors;
  EXPECT_NE(printed.find("{\"ok\":true}"), std::string::npos) << printed << errors;
  EXPECT_NE(printed.find("server-everything get-sum"), std::string::npos) << printed;
}

}  // namespace
}  // namespace faultline::testing
