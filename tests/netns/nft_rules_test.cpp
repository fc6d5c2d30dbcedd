// The rendered nftables text of one member namespace: what each fault
// becomes, that the table is always replaced whole, and what is refused.
#include "chaos/netns/nft_rules.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace faultline::netns {
namespace {

constexpr const char* kReplaceHeader =
    "table inet faultline {}\n"
    "delete table inet faultline\n";

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(NftRules, EmptyPolicyOnlyRemovesTheTable) {
  const auto rendered = render_rules(NamespacePolicy{});
  ASSERT_TRUE(rendered.ok()) << rendered.error;
  EXPECT_EQ(rendered.text, kReplaceHeader);

  // Faults that are all "nothing" are an empty policy too.
  NamespacePolicy quiet;
  quiet.to_peers["10.77.0.12"] = LinkFault{};
  EXPECT_TRUE(quiet.empty());
  EXPECT_EQ(render_rules(quiet).text, kReplaceHeader);
}

TEST(NftRules, BlockedMatchesConnectionsTheSenderOpened) {
  NamespacePolicy policy;
  policy.to_peers["10.77.0.12"].blocked = true;
  const auto rendered = render_rules(policy);
  ASSERT_TRUE(rendered.ok()) << rendered.error;
  EXPECT_EQ(rendered.text, std::string(kReplaceHeader) +
                               "table inet faultline {\n"
                               "  chain output {\n"
                               "    type filter hook output priority 0; policy accept;\n"
                               "    ct original ip daddr 10.77.0.12 counter drop\n"
                               "  }\n"
                               "}\n");
}

TEST(NftRules, SeveredAlsoDropsThePeersAnswersOnOwnConnections) {
  NamespacePolicy policy;
  policy.to_peers["10.77.0.12"].blocked = true;
  policy.to_peers["10.77.0.12"].severed = true;
  const auto rendered = render_rules(policy);
  ASSERT_TRUE(rendered.ok()) << rendered.error;
  EXPECT_EQ(rendered.text, std::string(kReplaceHeader) +
                               "table inet faultline {\n"
                               "  chain output {\n"
                               "    type filter hook output priority 0; policy accept;\n"
                               "    ct original ip daddr 10.77.0.12 counter drop\n"
                               "  }\n"
                               "\n"
                               "  chain input {\n"
                               "    type filter hook input priority 0; policy accept;\n"
                               "    ct original ip daddr 10.77.0.12 counter drop\n"
                               "  }\n"
                               "}\n");
}

TEST(NftRules, ResetRejectsOnlyTcpWithAReset) {
  NamespacePolicy policy;
  policy.to_peers["10.77.0.13"].reset = true;
  const auto text = render_rules(policy).text;
  EXPECT_TRUE(contains(
      text,
      "    ct original ip daddr 10.77.0.13 ct direction original meta l4proto tcp counter reject "
      "with tcp reset\n"));
  EXPECT_FALSE(contains(text, "drop"));
}

TEST(NftRules, LossDrawsOncePerPacketDirectOrDnated) {
  NamespacePolicy policy;
  policy.to_peers["10.77.0.14"].loss = 0.05;
  const auto text = render_rules(policy).text;
  EXPECT_TRUE(
      contains(text, "    ip daddr 10.77.0.14 numgen random mod 1000000 < 50000 counter drop\n"));
  EXPECT_TRUE(contains(text,
                       "    ip daddr != 10.77.0.14 ct original ip daddr 10.77.0.14 numgen random "
                       "mod 1000000 < 50000 counter drop\n"));
}

TEST(NftRules, RoundingNeverTurnsLossIntoAnotherFault) {
  NamespacePolicy policy;
  policy.to_peers["10.77.0.14"].loss = 1e-9;
  EXPECT_TRUE(contains(render_rules(policy).text, "mod 1000000 < 1 counter drop"));
  // Certain loss draws nothing: nft refuses "mod 1000000 < 1000000".
  policy.to_peers["10.77.0.14"].loss = 1.0;
  const auto certain = render_rules(policy).text;
  EXPECT_TRUE(contains(certain, "    ip daddr 10.77.0.14 counter drop\n")) << certain;
  EXPECT_TRUE(contains(certain,
                       "    ip daddr != 10.77.0.14 ct original ip daddr 10.77.0.14 counter drop\n"))
      << certain;
  EXPECT_FALSE(contains(certain, "numgen"));
  policy.to_peers["10.77.0.14"].loss = 0.9999999;
  EXPECT_TRUE(contains(render_rules(policy).text, "mod 1000000 < 999999 counter drop"));
}

TEST(NftRules, ClientLinksUseOutputAndInputHooks) {
  NamespacePolicy policy;
  policy.client_address = "10.77.0.1";
  policy.to_client.blocked = true;
  policy.from_client.blocked = true;
  policy.from_client.loss = 0.5;
  policy.from_client.reset = true;
  const auto rendered = render_rules(policy);
  ASSERT_TRUE(rendered.ok()) << rendered.error;
  EXPECT_EQ(
      rendered.text,
      std::string(kReplaceHeader) +
          "table inet faultline {\n"
          "  chain output {\n"
          "    type filter hook output priority 0; policy accept;\n"
          "    ct original ip daddr 10.77.0.1 counter drop\n"
          "  }\n"
          "\n"
          "  chain input {\n"
          "    type filter hook input priority 0; policy accept;\n"
          "    ct original ip saddr 10.77.0.1 counter drop\n"
          "    ct original ip saddr 10.77.0.1 meta l4proto tcp counter reject with tcp reset\n"
          "    ip saddr 10.77.0.1 numgen random mod 1000000 < 500000 counter drop\n"
          "  }\n"
          "}\n");
  // The observer's address never appears: it is outside every fault.
  EXPECT_FALSE(contains(rendered.text, "10.77.0.2 "));
}

TEST(NftRules, RedirectIsADnatInTheNatOutputHook) {
  NamespacePolicy policy;
  policy.redirects.push_back(Redirect{"10.77.0.12", 7000, "10.77.0.3", 40001});
  const auto rendered = render_rules(policy);
  ASSERT_TRUE(rendered.ok()) << rendered.error;
  EXPECT_EQ(rendered.text, std::string(kReplaceHeader) +
                               "table inet faultline {\n"
                               "  chain to_proxy {\n"
                               "    type nat hook output priority -100; policy accept;\n"
                               "    ip daddr 10.77.0.12 tcp dport 7000 counter dnat ip to "
                               "10.77.0.3:40001\n"
                               "  }\n"
                               "}\n");
}

TEST(NftRules, PeersAreRenderedInAddressOrder) {
  NamespacePolicy policy;
  policy.to_peers["10.77.0.15"].blocked = true;
  policy.to_peers["10.77.0.12"].blocked = true;
  const auto text = render_rules(policy).text;
  EXPECT_LT(text.find("10.77.0.12"), text.find("10.77.0.15"));
  EXPECT_EQ(text, render_rules(policy).text);
}

TEST(NftRules, RefusesWhatWouldNotBeARule) {
  NamespacePolicy bad_address;
  bad_address.to_peers["10.77.0.12; flush ruleset"].blocked = true;
  EXPECT_NE(render_rules(bad_address).error.find("not a dotted IPv4"), std::string::npos);

  NamespacePolicy bad_loss;
  bad_loss.to_peers["10.77.0.12"].loss = 1.5;
  EXPECT_NE(render_rules(bad_loss).error.find("not a probability"), std::string::npos);
  bad_loss.to_peers["10.77.0.12"].loss = std::numeric_limits<double>::quiet_NaN();
  EXPECT_FALSE(render_rules(bad_loss).ok());

  NamespacePolicy no_client;
  no_client.from_client.blocked = true;
  EXPECT_NE(render_rules(no_client).error.find("client address"), std::string::npos);

  NamespacePolicy twice;
  twice.redirects.push_back(Redirect{"10.77.0.12", 7000, "10.77.0.3", 40001});
  twice.redirects.push_back(Redirect{"10.77.0.12", 7000, "10.77.0.3", 40002});
  EXPECT_NE(render_rules(twice).error.find("given twice"), std::string::npos);

  NamespacePolicy port_zero;
  port_zero.redirects.push_back(Redirect{"10.77.0.12", 0, "10.77.0.3", 40001});
  EXPECT_FALSE(render_rules(port_zero).ok());
  EXPECT_TRUE(render_rules(port_zero).text.empty());
}

}  // namespace
}  // namespace faultline::netns
