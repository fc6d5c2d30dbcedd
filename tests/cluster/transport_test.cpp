// The reference cluster over its streaming Raft transport, as real processes
// on loopback: a follower killed and restarted catches up; a paused follower
// does not hold back the leader's commits to the other one, even once its
// stream stalls; members bind ports held by a reserving socket, or any free
// port, and say in their ready line what they bound.
#include <gtest/gtest.h>

#include <signal.h>

#include <fstream>
#include <regex>

#include <nlohmann/json.hpp>

#include "cluster/http/client.hpp"
#include "cluster/net/socket.hpp"
#include "tests/support/cli_process.hpp"
#include "tests/support/cluster_harness.hpp"
#include "tests/support/held_port.hpp"

namespace faultline::testing {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

std::string key(int i) { return "k" + std::to_string(i); }

TEST(RaftTransport, ElectsCommitsAndSurvivesAFollowerKillAndRestart) {
  ClusterHarness cluster(3);
  ASSERT_TRUE(cluster.start()) << cluster.error();
  const auto leader = cluster.wait_leader();
  ASSERT_TRUE(leader.has_value());
  for (int i = 0; i < 10; ++i) ASSERT_EQ(cluster.put(*leader, key(i), "before").status, 200) << i;

  const std::string follower = cluster.other_than(*leader);
  ASSERT_TRUE(cluster.kill(follower)) << cluster.error();
  // Two of three still commit; the dead peer's link only drops its frames.
  for (int i = 10; i < 20; ++i) ASSERT_EQ(cluster.put(*leader, key(i), "while-down").status, 200) << i;

  ASSERT_TRUE(cluster.restart(follower)) << cluster.error();
  ASSERT_TRUE(cluster.wait_converged());
  const auto current = cluster.wait_leader();
  ASSERT_TRUE(current.has_value());
  EXPECT_GE(cluster.status(follower).applied_index, cluster.status(*current).commit_index);
  for (int i = 0; i < 20; ++i) {
    const auto read = Json::parse(cluster.get(*current, "/api/kv/" + key(i)).body);
    EXPECT_EQ(read.at("value"), i < 10 ? "before" : "while-down") << i;
  }
  // The restarted member is written to again, on a new stream.
  ASSERT_EQ(cluster.put(*current, "after", "restart").status, 200);
  ASSERT_TRUE(cluster.wait_converged());
}

TEST(RaftTransport, APausedFollowerDoesNotHoldBackCommitsToTheOther) {
  ClusterHarness cluster(3);
  ASSERT_TRUE(cluster.start()) << cluster.error();
  const auto leader = cluster.wait_leader();
  ASSERT_TRUE(leader.has_value());
  const std::string paused = cluster.other_than(*leader);
  ASSERT_TRUE(cluster.pause(paused)) << cluster.error();

  // Large entries fill the kernel's buffers towards the paused member until
  // its stream stalls and is abandoned; every write commits meanwhile, with
  // the leader and the other follower.
  const auto* leader_member = cluster.cluster().member(*leader);
  ASSERT_NE(leader_member, nullptr);
  const std::string stall_line = "raft link to " + paused + " (";
  const std::string value(64 * 1024, 'v');
  int writes = 0;
  const bool stalled = wait_until(
      [&] {
        EXPECT_EQ(cluster.put(*leader, key(writes % 50), value).status, 200) << "write " << writes;
        ++writes;
        const std::string log = read_file(leader_member->log_file);
        return log.find(stall_line) != std::string::npos &&
               log.find("lost: no write progress") != std::string::npos;
      },
      60s);
  EXPECT_TRUE(stalled) << "after " << writes << " writes:\n" << read_file(leader_member->log_file);

  ASSERT_TRUE(cluster.resume(paused)) << cluster.error();
  ASSERT_TRUE(cluster.wait_converged(30s));
}

// A single coordinator's mcp_settings.json; `raft_self` is its own peers
// entry, which nothing dials when it has no peers.
std::filesystem::path write_single_config(const std::filesystem::path& dir, const std::string& listen,
                                          const std::string& raft_listen, const std::string& raft_self) {
  const Json coordinator{{"id", 1},
                         {"name", "c1"},
                         {"listen", listen},
                         {"raftListen", raft_listen},
                         {"dataDir", (dir / "data").string()},
                         {"peers", Json::array({Json{{"id", 1},
                                                     {"name", "c1"},
                                                     {"url", "http://" + listen},
                                                     {"raft", raft_self}}})}};
  const Json config{
      {"systemConfig", {{"cluster", {{"enabled", true}, {"mode", "coordinator"}, {"coordinator", coordinator}}}}}};
  const auto file = dir / "c1.json";
  std::ofstream(file) << config.dump();
  return file;
}

long health(const std::string& address) {
  http::Client client;
  const auto response = client.get("http://" + address + "/health", 1000);
  return response.ok() ? response.status : 0;
}

TEST(MemberAddresses, ACoordinatorBindsPortsHeldByAReservingSocketAndServesOnThem) {
  const auto dir = scratch_dir("held-ports");
  HeldPort http_port;
  HeldPort raft_port;
  ASSERT_NE(http_port.port(), 0) << http_port.error();
  ASSERT_NE(raft_port.port(), 0) << raft_port.error();
  const std::string listen = "127.0.0.1:" + std::to_string(http_port.port());
  const std::string raft = "127.0.0.1:" + std::to_string(raft_port.port());
  const auto config = write_single_config(dir, listen, raft, raft);
  {
    CliProcess member({"coordinator", "--config", config.string()}, dir);
    ASSERT_TRUE(wait_until([&] { return health(listen) == 200; }, 15s)) << read_file(member.out_file());
    // A group of one elects itself and commits on its own.
    http::Client client;
    ASSERT_TRUE(wait_until(
        [&] {
          const auto put = client.request("PUT", "http://" + listen + "/api/kv/k", "v", 1000);
          return put.ok() && put.status == 200;
        },
        15s));
    // The Raft port accepts too (only listening sockets get connections).
    net::WakeFd wake;
    std::string error;
    const auto endpoint = net::Endpoint{"127.0.0.1", static_cast<std::uint16_t>(raft_port.port())};
    EXPECT_TRUE(net::connect_tcp(endpoint, 2s, wake, error)) << error;

    member.signal(SIGTERM);
    const auto result = member.wait(10s);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.out.find("faultline coordinator c1 listening on " + listen + " raft " + raft),
              std::string::npos)
        << result.out;
  }
  EXPECT_TRUE(http_port.still_bound());
  EXPECT_TRUE(raft_port.still_bound());
  std::filesystem::remove_all(dir);
}

TEST(MemberAddresses, PortZeroBindsAFreePortThatTheReadyLineNames) {
  const auto dir = scratch_dir("port-zero");
  const auto config = write_single_config(dir, "127.0.0.1:0", "127.0.0.1:0", "127.0.0.1:1");
  CliProcess member({"coordinator", "--config", config.string()}, dir);
  const std::regex ready(R"(faultline coordinator c1 listening on 127\.0\.0\.1:(\d+) raft 127\.0\.0\.1:(\d+))");
  std::smatch match;
  std::string out;
  ASSERT_TRUE(wait_until(
      [&] {
        out = read_file(member.out_file());
        return std::regex_search(out, match, ready);
      },
      15s))
      << out;
  const int http_port = std::stoi(match[1]);
  const int raft_port = std::stoi(match[2]);
  EXPECT_NE(http_port, 0);
  EXPECT_NE(raft_port, 0);
  EXPECT_NE(http_port, raft_port);
  EXPECT_EQ(health("127.0.0.1:" + std::to_string(http_port)), 200);
  member.signal(SIGTERM);
  EXPECT_EQ(member.wait(10s).exit_code, 0);
  std::filesystem::remove_all(dir);
}

TEST(MemberAddresses, AWorkerBindsAPortHeldByAReservingSocket) {
  const auto dir = scratch_dir("worker-held-port");
  HeldPort held;
  ASSERT_NE(held.port(), 0) << held.error();
  const std::string listen = "127.0.0.1:" + std::to_string(held.port());
  const auto config = dir / "w1.json";
  // No coordinator answers at port 1: the node just keeps trying.
  std::ofstream(config) << Json{{"systemConfig",
                                 {{"cluster",
                                   {{"enabled", true},
                                    {"mode", "node"},
                                    {"node", {{"id", "w1"}, {"name", "w1"}, {"listen", listen},
                                              {"coordinatorUrl", "http://127.0.0.1:1"}}}}}}}}
                               .dump();
  CliProcess worker({"worker", "--config", config.string()}, dir);
  EXPECT_TRUE(wait_until([&] { return health(listen) == 200; }, 15s));
  worker.signal(SIGTERM);
  const auto result = worker.wait(10s);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("faultline node w1 listening on " + listen), std::string::npos) << result.out;
  EXPECT_TRUE(held.still_bound());
  std::filesystem::remove_all(dir);
}

TEST(MemberAddresses, AMalformedRaftAddressExitsTwoNamingTheFileAndPath) {
  const auto dir = scratch_dir("bad-raft-address");
  const auto config = write_single_config(dir, "127.0.0.1:0", "127.0.0.1:0", "127.0.0.1:99999");
  const auto result = run_cli({"coordinator", "--config", config.string()}, 10s);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("c1.json: $.systemConfig.cluster.coordinator.peers[0].raft: \"127.0.0.1:99999\" is not "
                            "an IPv4 HOST:PORT"),
            std::string::npos)
      << result.err;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace faultline::testing
