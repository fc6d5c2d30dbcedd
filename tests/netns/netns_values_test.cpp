// Pure pieces of faultline::netns: addresses, the tc command lines and the
// FAULTLINE_NETNS switch.
#include <gtest/gtest.h>
#include <stdlib.h>

#include "chaos/netns/address.hpp"
#include "chaos/netns/probe.hpp"
#include "chaos/netns/traffic_control.hpp"

namespace faultline::netns {
namespace {

TEST(NetnsAddress, ParsesOnlyDottedQuads) {
  EXPECT_EQ(parse_ipv4("10.77.0.11"), 0x0a4d000bu);
  EXPECT_EQ(format_ipv4(0x0a4d000bu), "10.77.0.11");
  for (const char* bad : {"", "10.77.0", "10.77.0.256", "10.77.0.1 ", "10.77..1", "1.2.3.4.5",
                          "10.77.0.1;", "a.b.c.d", "10.77.0.1000"})
    EXPECT_FALSE(parse_ipv4(bad).has_value()) << bad;
}

TEST(NetnsAddress, SubnetMustBeAPrivateSlash24) {
  const auto ok = Subnet24::parse("10.77.0.0/24");
  ASSERT_TRUE(ok.ok()) << ok.error;
  EXPECT_EQ(ok.subnet.host(11), "10.77.0.11");
  EXPECT_EQ(ok.subnet.cidr(), "10.77.0.0/24");
  EXPECT_TRUE(Subnet24::parse("172.31.5.0/24").ok());
  EXPECT_TRUE(Subnet24::parse("192.168.9.0/24").ok());

  EXPECT_NE(Subnet24::parse("10.77.0.0/16").error.find("not an IPv4 /24"), std::string::npos);
  EXPECT_NE(Subnet24::parse("10.77.0.5/24").error.find("write it as 10.77.0.0/24"),
            std::string::npos);
  EXPECT_NE(Subnet24::parse("8.8.8.0/24").error.find("not private"), std::string::npos);
  EXPECT_NE(Subnet24::parse("172.32.0.0/24").error.find("not private"), std::string::npos);
}

TEST(NetnsTrafficControl, TbfRateIsInBitsWithABoundedBurst) {
  const auto tc = tbf_command("eth0", 1'000'000);
  ASSERT_TRUE(tc.ok()) << tc.error;
  EXPECT_EQ(tc.argv,
            (std::vector<std::string>{"tc", "qdisc", "replace", "dev", "eth0", "root", "tbf",
                                      "rate", "8000000bit", "burst", "32768", "latency", "100ms"}));
  EXPECT_EQ(tbf_command("eth0", 100'000'000).argv[10], "1000000");  // 10 ms of traffic
  EXPECT_FALSE(tbf_command("eth0", 0).ok());
  EXPECT_FALSE(tbf_command("eth0", kMaxBandwidth + 1).ok());
}

TEST(NetnsTrafficControl, ClearingIsIdempotent) {
  const auto tc = clear_qdisc_command("eth0");
  EXPECT_EQ(tc.argv, (std::vector<std::string>{"tc", "-batch", "-"}));
  EXPECT_EQ(tc.stdin_text, "qdisc replace dev eth0 root pfifo\nqdisc del dev eth0 root\n");
}

TEST(NetnsProbe, SwitchOffReportsUnavailableWithoutTrying) {
  EXPECT_TRUE(switched_off("off"));
  EXPECT_FALSE(switched_off(nullptr));
  EXPECT_FALSE(switched_off("on"));
  EXPECT_FALSE(switched_off(""));

  ::setenv("FAULTLINE_NETNS", "off", 1);
  const auto probed = probe();
  ::unsetenv("FAULTLINE_NETNS");
  EXPECT_FALSE(probed.available);
  EXPECT_NE(probed.reason.find("FAULTLINE_NETNS=off"), std::string::npos) << probed.reason;
}

TEST(NetnsProbe, MissingToolsNameTheirDebianPackage) {
  EXPECT_EQ(debian_package_of("nft"), "nftables");
  EXPECT_EQ(debian_package_of("ip"), "iproute2");
  EXPECT_EQ(debian_package_of("tc"), "iproute2");
}

}  // namespace
}  // namespace faultline::netns
