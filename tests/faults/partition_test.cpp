// The partition kind over a fake network: each shape blocks exactly the
// links it promises, a matrix that differs from the plan fails the fault
// (and lifts what it set), and the heal lifts it.
#include <gtest/gtest.h>

#include <set>

#include "chaos/faults/kinds.hpp"
#include "tests/faults/fake_environment.hpp"

namespace faultline::testing {
namespace {

using faults::Json;
using faults::Link;

FakeEnvironment five() { return FakeEnvironment({"c1", "c2", "c3", "c4", "c5"}, {}, "c2"); }

std::set<Link> blocked_links(FakeEnvironment& env, int owner = 0) {
  std::set<Link> out;
  for (const auto& [link, effect] : env.fake_links().owners.at(owner)) {
    if (effect.blocked) out.insert(link);
  }
  return out;
}

std::unique_ptr<faults::Fault> injected(FakeEnvironment& env, const faults::FaultRequest& request,
                                        faults::Injection& out) {
  auto fault = faults::partition_kind().make(request);
  const auto error = fault->inject(env, out);
  EXPECT_FALSE(error) << *error;
  return fault;
}

TEST(Partition, IsolateCutsTheLeaderBothWaysAndNothingElse) {
  auto env = five();
  faults::Injection out;
  auto fault = injected(env, request_for("partition", "leader"), out);
  const auto cut = blocked_links(env);
  EXPECT_EQ(cut.size(), 8u);
  for (const auto& l : cut) EXPECT_TRUE(l.from == "c2" || l.to == "c2") << l.from << "->" << l.to;
  EXPECT_EQ(out.targets, std::vector<std::string>{"c2"});
  EXPECT_EQ(out.measured["matrix"].size(), 20u);
  faults::Healing healed;
  EXPECT_FALSE(fault->heal(env, healed));
  EXPECT_TRUE(env.fake_links().owners.empty());
}

TEST(Partition, MembersNamedByIdOnlySideWithTheRestOfAnIsolatedTarget) {
  // A Redis primary isolated from its replicas is isolated from the
  // sentinels too, or they would never fail it over.
  FakeEnvironment env({"r1", "r2", "r3"}, {}, "r1");
  env.others_list = {"s1", "s2", "s3"};
  faults::Injection out;
  auto fault = injected(env, request_for("partition", "leader"), out);
  const auto cut = blocked_links(env);
  EXPECT_EQ(cut.size(), 10u);  // r1 against 5 members, both ways
  for (const auto& l : cut) EXPECT_TRUE(l.from == "r1" || l.to == "r1") << l.from << "->" << l.to;
  EXPECT_TRUE(cut.count({"s2", "r1"}) && cut.count({"r1", "s2"}));
  EXPECT_EQ(out.measured["matrix"].size(), 30u);
  EXPECT_EQ(out.targets, std::vector<std::string>{"r1"});
}

TEST(Partition, AMemberNamedByIdCanBeIsolatedItself) {
  FakeEnvironment env({"r1", "r2", "r3"}, {}, "r1");
  env.others_list = {"s1", "s2", "s3"};
  faults::Injection out;
  auto fault = injected(env, request_for("partition", "s2"), out);
  const auto cut = blocked_links(env);
  EXPECT_EQ(cut.size(), 10u);
  for (const auto& l : cut) EXPECT_TRUE(l.from == "s2" || l.to == "s2") << l.from << "->" << l.to;
}

TEST(Partition, MinorityPutsTheLeaderInTheSmallerSide) {
  auto env = five();
  faults::Injection out;
  auto fault = injected(env, request_for("partition", "leader", {{"shape", "minority"}}), out);
  const auto groups = out.detail["groups"].get<std::vector<std::vector<std::string>>>();
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].size(), 2u);
  EXPECT_NE(std::find(groups[0].begin(), groups[0].end(), "c2"), groups[0].end());
  EXPECT_EQ(blocked_links(env).size(), 12u);  // 2 x 3 pairs, both ways
}

TEST(Partition, HalvesOfFourCutEveryCrossingLink) {
  FakeEnvironment env({"c1", "c2", "c3", "c4"}, {}, "c1");
  faults::Injection out;
  auto fault = injected(env, request_for("partition", "leader", {{"shape", "halves"}}), out);
  EXPECT_EQ(blocked_links(env).size(), 8u);  // 2 x 2 pairs, both ways
}

TEST(Partition, BridgeSeesBothSidesThatCannotSeeEachOther) {
  auto env = five();
  faults::Injection out;
  auto fault = injected(env, request_for("partition", "c3", {{"shape", "bridge"}}), out);
  const auto cut = blocked_links(env);
  for (const auto& l : cut) EXPECT_TRUE(l.from != "c3" && l.to != "c3");
  EXPECT_EQ(cut.size(), 8u);  // sides of 2 and 2: 4 pairs, both ways
}

TEST(Partition, RingLeavesEachMemberItsTwoNeighbours) {
  auto env = five();
  faults::Injection out;
  auto fault = injected(env, request_for("partition", "leader", {{"shape", "ring"}}), out);
  const auto cut = blocked_links(env);
  EXPECT_EQ(cut.size(), 10u);  // 5 members, each cut from 2 of its 4 peers
  std::map<std::string, int> reachable;
  for (const auto& a : env.voters()) {
    for (const auto& b : env.voters()) {
      if (a != b && !cut.count({a, b})) ++reachable[a];
    }
  }
  for (const auto& [id, n] : reachable) EXPECT_EQ(n, 2) << id;
  FakeEnvironment three({"c1", "c2", "c3"}, {}, "c1");
  auto ring3 = faults::partition_kind().make(request_for("partition", "leader", {{"shape", "ring"}}));
  faults::Injection ignored;
  EXPECT_NE(ring3->inject(three, ignored).value_or("").find("at least 4 voters"), std::string::npos);
}

TEST(Partition, OneWayBlocksOnlyOneDirection) {
  auto env = five();
  faults::Injection out;
  auto fault = injected(env, request_for("partition", "leader", {{"shape", "one_way"}, {"from", "followers"}, {"to", "leader"}}), out);
  const auto cut = blocked_links(env);
  EXPECT_EQ(cut.size(), 4u);
  for (const auto& l : cut) EXPECT_EQ(l.to, "c2");
}

TEST(Partition, ExplicitGroupsAndTheClients) {
  auto env = five();
  faults::Injection out;
  auto fault = injected(env, request_for("partition", "c1",
                                         {{"shape", "groups"}, {"groups", Json::parse(R"([["c1","c2"],["c3","c4"]])")}}),
                        out);
  const auto cut = blocked_links(env);
  EXPECT_EQ(cut.size(), 8u);  // c5 is in no group: it sees everyone
  for (const auto& l : cut) EXPECT_TRUE(l.from != "c5" && l.to != "c5");

  auto env2 = five();
  auto isolate = faults::partition_kind().make(request_for("partition", "leader", {{"clients", true}}));
  faults::Injection out2;
  ASSERT_FALSE(isolate->inject(env2, out2));
  EXPECT_TRUE(blocked_links(env2).count({faults::kClients, "c2"}));
  EXPECT_TRUE(blocked_links(env2).count({"c2", faults::kClients}));
}

TEST(Partition, AMatrixThatDiffersFromThePlanFailsAndLiftsTheRules) {
  auto env = five();
  env.fake_links().lie_about.insert({"c2", "c4"});  // the backend left c2 -> c4 open
  auto fault = faults::partition_kind().make(request_for("partition", "leader"));
  faults::Injection out;
  const auto error = fault->inject(env, out);
  ASSERT_TRUE(error);
  EXPECT_NE(error->find("c2->c4"), std::string::npos) << *error;
  EXPECT_TRUE(env.fake_links().owners.empty());
}

TEST(Partition, WithoutANetworkItIsRefused) {
  auto env = five();
  env.with_links = false;
  auto fault = faults::partition_kind().make(request_for("partition", "leader"));
  faults::Injection out;
  EXPECT_NE(fault->inject(env, out).value_or("").find("no network"), std::string::npos);
}

}  // namespace
}  // namespace faultline::testing
