// The bundled MCP drill end to end: MCP sessions through the coordinators,
// the busiest node SIGKILLed and restarted; its sessions move to replicas
// transparently, no call is lost, no session moves without cause.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/cli_process.hpp"

namespace faultline::testing {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

TEST(McpDrill, NodeKillMovesItsSessionsWithNoLostCall) {
  const auto out = scratch_dir("node-kill-mcp");
  const auto result = run_cli(
      {"run", std::string(FAULTLINE_SOURCE_DIR) + "/drills/library/node-kill-mcp.json", "--out", (out / "run").string()},
      150s);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const auto events = journal_events(out / "run" / "journal.jsonl");
  int calls_ok = 0;
  int moved = 0;
  for (const auto& e : events) {
    if (e.value("kind", "") != "call.complete" || e.value("result", "") != "ok") continue;
    ++calls_ok;
    if (e.value("moved_from", Json()).is_string()) ++moved;
  }
  EXPECT_GT(calls_ok, 100);
  EXPECT_GT(moved, 0);  // the router moved sessions itself
  const Json failover = check_event(events, "failover_ms");
  ASSERT_TRUE(failover.value("measured", Json()).is_number()) << failover.dump();
  EXPECT_NE(failover.value("detail", "").find("moved by the router with no error seen"), std::string::npos)
      << failover.dump();
  EXPECT_EQ(check_event(events, "calls_lost")["measured"], 0);
  EXPECT_EQ(check_event(events, "sessions_moved_without_cause")["measured"], 0);
  std::filesystem::remove_all(out);
}

}  // namespace
}  // namespace faultline::testing
