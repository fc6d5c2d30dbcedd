// `faultline cluster up` by hand: the members' APIs answer on the host's
// loopback, `fault inject / list / heal` act on the running cluster through
// the same catalogue and confirmation as a drill (and refuse bad requests
// with exit 2), and Ctrl-C heals what is in force and stops everything.
#include <gtest/gtest.h>

#include <signal.h>

#include "cluster/http/client.hpp"
#include "tests/support/cli_process.hpp"

namespace faultline::testing {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

TEST(ClusterUp, ExploreByHandThenCtrlC) {
  const auto dir = scratch_dir("cluster-up");
  const auto cluster_dir = dir / "cluster";
  CliProcess up({"cluster", "up", "--coordinators", "3", "--dir", cluster_dir.string()}, dir);
  ASSERT_TRUE(wait_until([&] { return read_file(up.out_file()).find("Ctrl-C stops everything") != std::string::npos; },
                         60s))
      << read_file(up.out_file());
  const Json state = Json::parse(read_file(cluster_dir / "cluster.json"));
  ASSERT_EQ(state.at("members").size(), 3u);
  http::Client client;
  for (const auto& m : state["members"]) {
    const auto health = client.get(m.at("host_url").get<std::string>() + "/health", 2000);
    EXPECT_TRUE(health.ok() && health.status == 200) << m.dump() << " " << health.error;
  }

  const auto inject = run_cli({"fault", "inject", "partition", "--target", "leader", "--param", "shape=isolate",
                               "--cluster", cluster_dir.string()},
                              60s);
  ASSERT_EQ(inject.exit_code, 0) << inject.out << inject.err;
  EXPECT_NE(inject.out.find("measured reachability equals the planned one"), std::string::npos) << inject.out;
  const auto listed = run_cli({"fault", "list", "--cluster", cluster_dir.string()}, 30s);
  EXPECT_EQ(listed.exit_code, 0);
  EXPECT_NE(listed.out.find("partition"), std::string::npos) << listed.out;

  const auto bad = run_cli({"fault", "inject", "latency", "--target", "leader", "--param", "delay_ms=-5",
                            "--cluster", cluster_dir.string()},
                           30s);
  EXPECT_EQ(bad.exit_code, 2) << bad.out << bad.err;
  EXPECT_NE(bad.err.find("delay_ms"), std::string::npos) << bad.err;

  const auto healed = run_cli({"fault", "heal", "0", "--cluster", cluster_dir.string()}, 60s);
  EXPECT_EQ(healed.exit_code, 0) << healed.err;
  EXPECT_NE(run_cli({"fault", "list", "--cluster", cluster_dir.string()}, 30s).out.find("no fault is in force"),
            std::string::npos);

  // One more left in force for Ctrl-C to heal.
  ASSERT_EQ(run_cli({"fault", "inject", "latency", "--target", "leader", "--param", "delay_ms=50", "--cluster",
                     cluster_dir.string()},
                    60s)
                .exit_code,
            0);
  up.signal(SIGINT);
  const auto result = up.wait(60s);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("healing 1 faults in force"), std::string::npos) << result.out;
  int heals = 0;
  for (const auto& e : journal_events(cluster_dir / "journal.jsonl")) heals += e.value("kind", "") == "fault.heal";
  EXPECT_EQ(heals, 2);
  const auto after = run_cli({"fault", "list", "--cluster", cluster_dir.string()}, 30s);
  EXPECT_EQ(after.exit_code, 3) << "a stopped cluster must not answer";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace faultline::testing
