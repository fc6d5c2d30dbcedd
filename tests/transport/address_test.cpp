// Member addresses: any IPv4 HOST:PORT, exactly as given; malformed ones are
// refused with the JSON path (the settings files: tests/settings).
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <fstream>

#include <nlohmann/json.hpp>

#include "cluster/http/config_file.hpp"
#include "cluster/net/endpoint.hpp"

namespace faultline {
namespace {

using Json = nlohmann::json;

TEST(Endpoint, ParsesAnyIpv4HostAndPort) {
  std::string error;
  EXPECT_EQ(net::parse_endpoint("10.77.0.11:7000", error), (net::Endpoint{"10.77.0.11", 7000}));
  EXPECT_EQ(net::parse_endpoint("127.0.0.1:0", error), (net::Endpoint{"127.0.0.1", 0}));
  EXPECT_EQ(net::parse_endpoint("192.168.1.254:65535", error), (net::Endpoint{"192.168.1.254", 65535}));
  EXPECT_EQ((net::Endpoint{"10.77.0.11", 7100}).to_string(), "10.77.0.11:7100");
}

TEST(Endpoint, RefusesWhatIsNotADottedQuadAndAPort) {
  for (const char* text : {"10.77.0.300:7000", "10.77.0:7000", "127.1:80", "localhost:80", "10.77.0.11",
                           "10.77.0.11:", "10.77.0.11:65536", "10.77.0.11:-1", "10.77.0.11:+80",
                           "10.77.0.11:80x", " 10.77.0.11:80", "[::1]:80", ":80", ""}) {
    std::string error;
    EXPECT_FALSE(net::parse_endpoint(text, error).has_value()) << text;
    EXPECT_NE(error.find("is not an IPv4 HOST:PORT such as 10.77.0.11:7000"), std::string::npos) << error;
  }
}

TEST(ConfigAddress, ErrorsStartWithTheJsonPath) {
  const auto message = [](const Json& value, http::AddressUse use) {
    try {
      http::parse_address(value, "$.members[2].raft", use);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(message(Json(), http::AddressUse::listen), "$.members[2].raft is missing (an IPv4 \"HOST:PORT\")");
  EXPECT_EQ(message(7000, http::AddressUse::listen), "$.members[2].raft must be a string \"HOST:PORT\"");
  EXPECT_EQ(message("10.77.0.x:1", http::AddressUse::listen),
            "$.members[2].raft: \"10.77.0.x:1\" is not an IPv4 HOST:PORT such as 10.77.0.11:7000");
  EXPECT_NE(message("0.0.0.0:7000", http::AddressUse::listen).find("would bind every interface"),
            std::string::npos);
  EXPECT_NE(message("10.77.0.12:0", http::AddressUse::connect).find("port 0 cannot be connected to"),
            std::string::npos);
  EXPECT_EQ(message("10.77.0.12:0", http::AddressUse::listen), "");
}

}  // namespace
}  // namespace faultline
