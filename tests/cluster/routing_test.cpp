// Routed calls through the reference cluster: sessions stick to their worker,
// move only when that worker fails (killed or paused), keep their pin across a
// change of coordinator leader, and do not move back when the worker returns.
// Real processes, real SIGKILL/SIGSTOP, loopback only.
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "tests/support/cli_process.hpp"
#include "tests/support/cluster_harness.hpp"

namespace faultline::testing {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

struct Call {
  long status = 0;
  std::string worker;
  Json moved_from;
  std::string cause;
  std::uint64_t calls = 0;  // the worker's count for this session
};

Call call(ClusterHarness& cluster, const std::string& coordinator, const std::string& session) {
  const auto r = cluster.post(coordinator, "/api/calls", Json{{"session", session}}.dump());
  Call out;
  out.status = r.status;
  if (r.status != 200) {
    out.cause = r.body;
    return out;
  }
  const Json body = Json::parse(r.body);
  out.worker = body.at("worker").get<std::string>();
  out.moved_from = body.at("moved_from");
  out.cause = body.at("cause").is_string() ? body.at("cause").get<std::string>() : "";
  out.calls = body.at("result").at("calls").get<std::uint64_t>();
  return out;
}

Json cluster_stats(ClusterHarness& cluster, const std::string& id) {
  return Json::parse(cluster.get(id, "/api/cluster/status").body).at("data").at("stats");
}

TEST(Routing, SessionsStickAndMoveOnlyWhenTheirWorkerIsKilled) {
  ClusterHarness cluster(3, 13, false, /*workers=*/3);
  ASSERT_TRUE(cluster.start()) << cluster.error();
  const auto leader = cluster.wait_leader();
  ASSERT_TRUE(leader.has_value());
  ASSERT_TRUE(cluster.wait_workers()) << cluster.error();

  const Call first = call(cluster, *leader, "s1");
  ASSERT_EQ(first.status, 200) << first.cause;
  EXPECT_TRUE(first.moved_from.is_null());
  for (std::uint64_t n = 2; n <= 5; ++n) {
    const Call again = call(cluster, *leader, "s1");
    ASSERT_EQ(again.status, 200);
    EXPECT_EQ(again.worker, first.worker);
    EXPECT_EQ(again.calls, n);  // the session's state lives on its worker
  }
  EXPECT_EQ(cluster_stats(cluster, *leader).at("activeNodes"), 3);
  EXPECT_EQ(cluster_stats(cluster, *leader).at("sessions"), 1);
  // Only the leader routes; a follower names it.
  const auto refused = cluster.post(cluster.other_than(*leader), "/api/calls", R"({"session":"s1"})");
  EXPECT_EQ(refused.status, 421);

  ASSERT_TRUE(cluster.kill(first.worker)) << cluster.error();
  const Call moved = call(cluster, *leader, "s1");
  ASSERT_EQ(moved.status, 200);
  EXPECT_NE(moved.worker, first.worker);
  EXPECT_EQ(moved.moved_from, first.worker);
  EXPECT_NE(moved.cause.find(first.worker), std::string::npos) << moved.cause;
  EXPECT_EQ(moved.calls, 1u);  // a fresh session on the new worker

  // The old worker comes back: the session stays where it is.
  ASSERT_TRUE(cluster.restart(first.worker)) << cluster.error();
  ASSERT_TRUE(cluster.wait_workers()) << cluster.error();
  const Call after = call(cluster, *leader, "s1");
  ASSERT_EQ(after.status, 200);
  EXPECT_EQ(after.worker, moved.worker);
  EXPECT_TRUE(after.moved_from.is_null());
  EXPECT_EQ(after.calls, 2u);
}

TEST(Routing, APausedWorkerLosesItsSessionsAfterTheWorkerTimeout) {
  ClusterHarness cluster(3, 17, false, /*workers=*/2);
  ASSERT_TRUE(cluster.start()) << cluster.error();
  const auto leader = cluster.wait_leader();
  ASSERT_TRUE(leader.has_value());
  ASSERT_TRUE(cluster.wait_workers()) << cluster.error();
  const Call first = call(cluster, *leader, "s9");
  ASSERT_EQ(first.status, 200);

  ASSERT_TRUE(cluster.pause(first.worker)) << cluster.error();
  const auto paused_at = std::chrono::steady_clock::now();
  const Call moved = call(cluster, *leader, "s9");
  const auto moved_after = std::chrono::steady_clock::now() - paused_at;
  ASSERT_TRUE(cluster.resume(first.worker)) << cluster.error();
  ASSERT_EQ(moved.status, 200);
  EXPECT_NE(moved.worker, first.worker);
  EXPECT_EQ(moved.moved_from, first.worker);
  EXPECT_NE(moved.cause.find(first.worker), std::string::npos) << moved.cause;
  // A stopped worker still accepts connections, so the router learns of the
  // pause only when the call to it times out (worker_timeout_ms) or its
  // heartbeats lapse (worker_timeout_ms after the last one, which arrived at
  // most worker_heartbeat_ms before the pause). No upper bound is asserted
  // here: the harness's request timeout already bounds the call.
  const targets::EmbeddedOptions defaults;
  const auto earliest = std::chrono::milliseconds(defaults.worker_timeout_ms - defaults.worker_heartbeat_ms);
  EXPECT_GE(moved_after, earliest)
      << "the session moved "
      << std::chrono::duration_cast<std::chrono::milliseconds>(moved_after).count()
      << " ms after the pause, before the worker timeout could have expired";
}

TEST(Routing, PinsSurviveAChangeOfCoordinatorLeader) {
  ClusterHarness cluster(3, 19, false, /*workers=*/3);
  ASSERT_TRUE(cluster.start()) << cluster.error();
  const auto leader = cluster.wait_leader();
  ASSERT_TRUE(leader.has_value());
  ASSERT_TRUE(cluster.wait_workers()) << cluster.error();
  std::map<std::string, std::string> pinned;
  for (const std::string session : {"a", "b", "c", "d", "e", "f"}) {
    const Call c = call(cluster, *leader, session);
    ASSERT_EQ(c.status, 200);
    pinned[session] = c.worker;
  }
  ASSERT_TRUE(cluster.kill(*leader)) << cluster.error();
  std::optional<std::string> next;
  const auto deadline = std::chrono::steady_clock::now() + 15s;
  while (std::chrono::steady_clock::now() < deadline) {
    next = cluster.wait_leader(1s);
    if (next && *next != *leader) break;
  }
  ASSERT_TRUE(next.has_value() && *next != *leader);
  for (const auto& [session, worker] : pinned) {
    const Call c = call(cluster, *next, session);
    ASSERT_EQ(c.status, 200) << session;
    EXPECT_EQ(c.worker, worker) << session;
    EXPECT_TRUE(c.moved_from.is_null()) << session;
  }
}

TEST(WorkerConfig, BadConfigsExitTwoNamingTheFileAndField) {
  const auto dir = scratch_dir("worker-config");
  const auto missing = run_cli({"worker", "--config", (dir / "missing.json").string()}, 10s);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("missing.json: cannot read the settings file"), std::string::npos)
      << missing.err;
  const auto malformed = dir / "malformed.json";
  std::ofstream(malformed) << R"({"systemConfig":{"cluster":{"enabled":true,"mode":"node",
      "node":{"listen":"10.77.0.300:7000","coordinatorUrl":"http://127.0.0.1:1"}}}})";
  const auto refused = run_cli({"worker", "--config", malformed.string()}, 10s);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("malformed.json: $.systemConfig.cluster.node.listen: \"10.77.0.300:7000\" is not an "
                             "IPv4 HOST:PORT"),
            std::string::npos)
      << refused.err;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace faultline::testing
