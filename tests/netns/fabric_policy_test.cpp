// Fabric-wide policies by member id: partition shapes, the connectivity they
// plan, and their split into per-namespace policies.
#include "chaos/netns/fabric_policy.hpp"

#include <gtest/gtest.h>

namespace faultline::netns {
namespace {

const std::vector<std::string> kFive = {"a", "b", "c", "d", "e"};

AddressBook five_book() {
  AddressBook book;
  for (std::size_t i = 0; i < kFive.size(); ++i)
    book.members[kFive[i]] = "10.77.0." + std::to_string(11 + i);
  book.client_address = "10.77.0.1";
  book.proxy_address = "10.77.0.3";
  return book;
}

using Matrix = std::vector<std::vector<bool>>;

TEST(FabricPolicy, IsolatingOneMemberCutsItBothWays) {
  const auto policy = partition(kFive, {{"a"}, {"b", "c", "d", "e"}});
  const Matrix expected = {
      {1, 0, 0, 0, 0}, {0, 1, 1, 1, 1}, {0, 1, 1, 1, 1}, {0, 1, 1, 1, 1}, {0, 1, 1, 1, 1}};
  EXPECT_EQ(planned_connectivity(policy, kFive), expected);
  EXPECT_EQ(policy.links.size(), 8u);  // a to each of 4, each of 4 to a
}

TEST(FabricPolicy, TwoHalvesAndABridge) {
  const Matrix halves = {
      {1, 1, 0, 0, 0}, {1, 1, 0, 0, 0}, {0, 0, 1, 1, 1}, {0, 0, 1, 1, 1}, {0, 0, 1, 1, 1}};
  EXPECT_EQ(planned_connectivity(partition(kFive, {{"a", "b"}, {"c", "d", "e"}}), kFive), halves);

  // c is in both groups: it sees everyone, a and b do not see d and e.
  const Matrix bridge = {
      {1, 1, 1, 0, 0}, {1, 1, 1, 0, 0}, {1, 1, 1, 1, 1}, {0, 0, 1, 1, 1}, {0, 0, 1, 1, 1}};
  EXPECT_EQ(planned_connectivity(partition(kFive, {{"a", "b", "c"}, {"c", "d", "e"}}), kFive),
            bridge);
}

TEST(FabricPolicy, MembersInNoGroupAreIsolated) {
  const auto policy = partition(kFive, {{"a", "b"}});
  const auto planned = planned_connectivity(policy, kFive);
  EXPECT_TRUE(planned[0][1]);
  EXPECT_FALSE(planned[2][3]);
  EXPECT_FALSE(planned[4][0]);
}

TEST(FabricPolicy, OneWayBlockPlansOnlyThatDirection) {
  FabricPolicy policy;
  policy.block("a", "b");
  const auto planned = planned_connectivity(policy, kFive);
  EXPECT_FALSE(planned[0][1]);
  EXPECT_TRUE(planned[1][0]);  // b's connections to a get a's answers
  policy.links[{"c", "d"}].reset = true;
  policy.links[{"d", "e"}].loss = 0.3;
  policy.links[{"e", "a"}].loss = 1.0;
  const auto more = planned_connectivity(policy, kFive);
  EXPECT_FALSE(more[2][3]);
  EXPECT_TRUE(more[3][4]);
  EXPECT_FALSE(more[4][0]);
}

TEST(FabricPolicy, SplitPutsEachRuleInTheSendersNamespace) {
  FabricPolicy policy;
  policy.block_both("a", "b");
  policy.links[{"c", "a"}].loss = 0.1;
  policy.clients_to["d"].blocked = true;
  policy.to_clients["e"].reset = true;
  policy.redirects.push_back(MemberRedirect{"a", "c", 7000, 40001, ""});
  const auto split = split_by_member(policy, five_book());
  ASSERT_TRUE(split.ok()) << split.error;
  ASSERT_EQ(split.by_member.size(), 5u);  // every member, so the others are healed

  const auto& a = split.by_member.at("a");
  ASSERT_EQ(a.to_peers.size(), 1u);
  EXPECT_TRUE(a.to_peers.at("10.77.0.12").blocked);
  ASSERT_EQ(a.redirects.size(), 1u);
  EXPECT_EQ(a.redirects[0], (Redirect{"10.77.0.13", 7000, "10.77.0.3", 40001}));
  EXPECT_TRUE(split.by_member.at("b").to_peers.at("10.77.0.11").blocked);
  // Blocked both ways: each side also drops the other's answers.
  EXPECT_TRUE(a.to_peers.at("10.77.0.12").severed);
  EXPECT_TRUE(split.by_member.at("b").to_peers.at("10.77.0.11").severed);
  EXPECT_DOUBLE_EQ(split.by_member.at("c").to_peers.at("10.77.0.11").loss, 0.1);
  EXPECT_TRUE(split.by_member.at("d").from_client.blocked);
  EXPECT_EQ(split.by_member.at("d").client_address, "10.77.0.1");
  EXPECT_TRUE(split.by_member.at("e").to_client.reset);
}

TEST(FabricPolicy, AOneWayBlockIsNotSevered) {
  FabricPolicy policy;
  policy.block("a", "b");
  const auto split = split_by_member(policy, five_book());
  ASSERT_TRUE(split.ok()) << split.error;
  EXPECT_TRUE(split.by_member.at("a").to_peers.at("10.77.0.12").blocked);
  EXPECT_FALSE(split.by_member.at("a").to_peers.at("10.77.0.12").severed);
}

TEST(FabricPolicy, EmptyPolicySplitsIntoEmptyPolicies) {
  const auto split = split_by_member(FabricPolicy{}, five_book());
  ASSERT_TRUE(split.ok());
  for (const auto& [id, member_policy] : split.by_member) EXPECT_TRUE(member_policy.empty()) << id;
}

TEST(FabricPolicy, UnknownMembersAndSelfLinksAreRefused) {
  FabricPolicy unknown;
  unknown.block("a", "z");
  EXPECT_NE(split_by_member(unknown, five_book()).error.find("'z' is not a member"),
            std::string::npos);
  FabricPolicy self;
  self.block("a", "a");
  EXPECT_NE(split_by_member(self, five_book()).error.find("to itself"), std::string::npos);
  FabricPolicy redirect;
  redirect.redirects.push_back(MemberRedirect{"q", "a", 1, 2, ""});
  EXPECT_FALSE(split_by_member(redirect, five_book()).ok());
}

}  // namespace
}  // namespace faultline::netns
