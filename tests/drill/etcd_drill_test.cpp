// End-to-end drills against real etcd 3.4 (Debian's etcd-server): the
// bundled leader-kill and minority-partition drills pass with no lost write,
// a linearizable history and the election checks run on etcd's own reports;
// etcd declared by hand as `processes` gives the same verdicts; a missing
// etcd and link faults on the proxy backend are refused with exit 3.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>

#include "chaos/netns/probe.hpp"
#include "tests/support/cli_process.hpp"

namespace faultline::testing {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

std::string library(const std::string& name) {
  return std::string(FAULTLINE_SOURCE_DIR) + "/drills/library/" + name + ".json";
}

#define REQUIRE_ETCD()                                                                                  \
  do {                                                                                                  \
    if (!std::filesystem::exists("/usr/bin/etcd"))                                                      \
      GTEST_SKIP() << "etcd is not installed: scripts/setup.sh installs the Debian package etcd-server"; \
  } while (0)

// objective -> pass, from the journal's check events.
std::map<std::string, bool> verdicts(const std::vector<Json>& events) {
  std::map<std::string, bool> out;
  for (const auto& e : events) {
    if (e.value("kind", "") == "check") out[e.value("objective", "")] = e.value("pass", false);
  }
  return out;
}

// Runs a bundled etcd drill and checks what every etcd drill must show.
std::vector<Json> run_passing(const std::string& plan, const std::string& scratch) {
  const auto out = scratch_dir(scratch);
  const auto result = run_cli({"run", library(plan), "--out", (out / "run").string()}, 170s);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  auto events = journal_events(out / "run" / "journal.jsonl");
  int acknowledged = 0;
  bool etcd_target = false;
  for (const auto& e : events) {
    if (e.value("kind", "") == "op.complete" && e.value("result", "") == "ok" && e.value("f", "") == "put") ++acknowledged;
    if (e.value("kind", "") == "target") etcd_target = e.value("roles", false);
  }
  EXPECT_TRUE(etcd_target) << "the journal says the members report no roles";
  EXPECT_GT(acknowledged, 300);
  const Json rpo = check_event(events, "rpo_writes");
  EXPECT_EQ(rpo.value("measured", Json()), 0) << rpo.dump();
  const Json lin = check_event(events, "linearizable");
  EXPECT_EQ(lin.value("pass", false), true) << lin.dump();
  // The election checks ran on etcd's reports: measured, not "not available".
  for (const char* name : {"election_safety", "term_monotonic", "commit_monotonic", "stable_leadership"}) {
    const Json c = check_event(events, name);
    EXPECT_EQ(c.value("available", false), true) << name << ": " << c.dump();
    EXPECT_EQ(c.value("pass", false), true) << name << ": " << c.dump();
  }
  std::filesystem::remove_all(out);
  return events;
}

TEST(EtcdDrill, LeaderKillLosesNothingAndElectsANewLeader) {
  REQUIRE_ETCD();
  const auto events = run_passing("etcd-leader-kill", "etcd-leader-kill");
  const Json election = check_event(events, "leader_election_ms");
  ASSERT_TRUE(election.value("measured", Json()).is_number()) << election.dump();
  EXPECT_GT(election.at("measured").get<double>(), 0.0);
  // The killed member was an etcd member, and a new one led afterwards.
  std::string killed;
  std::map<std::string, bool> led;
  bool after = false;
  for (const auto& e : events) {
    if (e.value("kind", "") == "fault.inject") {
      killed = e.at("targets").at(0).get<std::string>();
      after = true;
    }
    if (after && e.value("kind", "") == "member" && e.value("role", Json()) == "leader") led[e.value("member", "")] = true;
  }
  EXPECT_TRUE(killed == "e1" || killed == "e2" || killed == "e3") << killed;
  EXPECT_FALSE(led.empty());
  EXPECT_FALSE(led.count(killed) && led.size() == 1) << "no other member led after the kill";
}

TEST(EtcdDrill, LeaderIsolatedInAMinorityLosesNothing) {
  REQUIRE_ETCD();
  const auto probed = netns::probe();
  if (!probed.available) GTEST_SKIP() << "a partition of etcd needs network namespaces: " << probed.reason;
  const auto events = run_passing("etcd-minority-partition", "etcd-minority");
  // The cut put the leader with one other member, against three.
  for (const auto& e : events) {
    if (e.value("kind", "") != "fault.inject") continue;
    const Json groups = e.value("detail", Json::object()).value("groups", Json::array());
    ASSERT_EQ(groups.size(), 2u) << e.dump();
    EXPECT_EQ(groups[0].size() + groups[1].size(), 5u);
    EXPECT_TRUE(groups[0].size() == 2 || groups[1].size() == 2) << groups.dump();
  }
}

TEST(EtcdDrill, DeclaredByHandAsProcessesGivesTheSameVerdicts) {
  REQUIRE_ETCD();
  std::map<std::string, std::map<std::string, bool>> by_kind;
  for (const std::string plan : {"etcd-leader-kill", "processes-etcd-leader-kill"}) {
    const auto out = scratch_dir("etcd-same-" + plan);
    const auto result = run_cli({"run", library(plan), "--out", (out / "run").string()}, 170s);
    EXPECT_EQ(result.exit_code, 0) << plan << ":\n" << result.out << result.err;
    by_kind[plan] = verdicts(journal_events(out / "run" / "journal.jsonl"));
    std::filesystem::remove_all(out);
  }
  EXPECT_EQ(by_kind["etcd-leader-kill"].size(), 8u);
  EXPECT_EQ(by_kind["processes-etcd-leader-kill"], by_kind["etcd-leader-kill"]);
}

TEST(EtcdDrill, AMissingEtcdExitsThreeNamingItsPackage) {
  const auto out = scratch_dir("etcd-missing");
  const char* path = std::getenv("PATH");
  const std::string saved = path ? path : "";
  ::setenv("PATH", "/nonexistent-faultline-test", 1);
  const auto result = run_cli({"run", library("etcd-leader-kill"), "--out", (out / "run").string()}, 60s);
  ::setenv("PATH", saved.c_str(), 1);
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_NE(result.err.find("etcd-server"), std::string::npos) << result.err;
  std::filesystem::remove_all(out);
}

TEST(EtcdDrill, LinkFaultsOnTheProxyBackendAreRefused) {
  REQUIRE_ETCD();
  const auto out = scratch_dir("etcd-proxy");
  const auto result = run_cli(
      {"run", library("etcd-minority-partition"), "--network", "proxy", "--out", (out / "run").string()}, 60s);
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_NE(result.err.find("one peer list for the whole cluster"), std::string::npos) << result.err;
  std::filesystem::remove_all(out);
}

}  // namespace
}  // namespace faultline::testing
