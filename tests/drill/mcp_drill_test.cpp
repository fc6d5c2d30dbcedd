// The bundled MCP drill end to end: MCP sessions through the coordinators,
// the busiest node SIGKILLed and restarted; its sessions move to replicas
// transparently, no call is lost but one the node was carrying out at the
// kill, no session moves without cause.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "tests/support/cli_process.hpp"

namespace faultline::testing {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

TEST(McpDrill, NodeKillMovesItsSessionsLosingAtMostTheCallCutByTheKill) {
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
  // A call that reached the node around the kill (in flight at the signal,
  // or sent in the milliseconds until the node's process was gone and its
  // connections reset) may end unknown: no router can know whether it ran.
  // Any other loss is a failover failure.
  std::int64_t kill_ns = -1;
  std::int64_t gone_ns = -1;  // the runner reaped the node
  for (const auto& e : events) {
    if (e.value("kind", "") != "fault.inject") continue;
    gone_ns = e.value("t_ns", std::int64_t{-1});
    kill_ns = e.value("signal_t_ns", gone_ns);
  }
  ASSERT_GE(kill_ns, 0);
  std::map<std::string, std::int64_t> invoked;
  int lost = 0;
  for (const auto& e : events) {
    const std::string kind = e.value("kind", "");
    if (kind == "call.invoke") invoked[e.at("call").dump()] = e.value("t_ns", std::int64_t{0});
    if (kind != "call.complete" || e.value("result", "") == "ok") continue;
    ++lost;
    EXPECT_EQ(e.value("result", ""), "unknown") << e.dump();
    EXPECT_LE(invoked[e.at("call").dump()], gone_ns) << "lost a call invoked after the node was gone: " << e.dump();
    EXPECT_GE(e.value("t_ns", std::int64_t{0}), kill_ns) << e.dump();
  }
  EXPECT_LE(lost, 1);
  EXPECT_EQ(check_event(events, "calls_lost")["measured"], lost);
  EXPECT_EQ(check_event(events, "sessions_moved_without_cause")["measured"], 0);
  std::filesystem::remove_all(out);
}

}  // namespace
}  // namespace faultline::testing
