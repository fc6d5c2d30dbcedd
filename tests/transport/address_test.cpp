// Member addresses: any IPv4 HOST:PORT, exactly as given; malformed ones are
// refused with the file and the JSON path.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <fstream>

#include <nlohmann/json.hpp>

#include "cluster/coordinator/config.hpp"
#include "cluster/http/config_file.hpp"
#include "cluster/net/endpoint.hpp"
#include "cluster/worker/worker.hpp"

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

class ConfigFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("faultline-address-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string write(const Json& config) {
    const auto file = dir_ / "config.json";
    std::ofstream(file) << config.dump();
    return file.string();
  }

  static Json coordinator() {
    return Json{{"id", 1},
                {"name", "c1"},
                {"listen", "10.77.0.11:7000"},
                {"raft_listen", "10.77.0.11:7100"},
                {"data_dir", "/nonexistent/c1"},
                {"members", Json::array({Json{{"id", 1}, {"name", "c1"}, {"url", "http://10.77.0.11:7000"},
                                              {"raft", "10.77.0.11:7100"}},
                                         Json{{"id", 2}, {"name", "c2"}, {"url", "http://10.77.0.12:7000"},
                                              {"raft", "10.77.0.12:7100"}}})}};
  }

  std::filesystem::path dir_;
};

TEST_F(ConfigFile, ACoordinatorTakesItsOwnAddressesAndItsPeersRaftAddresses) {
  std::string error;
  const auto config = coordinator::load_config(write(coordinator()), error);
  ASSERT_TRUE(config.has_value()) << error;
  EXPECT_EQ(config->listen, (net::Endpoint{"10.77.0.11", 7000}));
  EXPECT_EQ(config->raft_listen, (net::Endpoint{"10.77.0.11", 7100}));
  ASSERT_NE(config->member(2), nullptr);
  EXPECT_EQ(config->member(2)->raft, (net::Endpoint{"10.77.0.12", 7100}));
  EXPECT_EQ(config->member(2)->url, "http://10.77.0.12:7000");
}

TEST_F(ConfigFile, ACoordinatorAddressErrorNamesTheFileAndThePath) {
  const auto error_for = [&](const std::function<void(Json&)>& change) {
    Json config = coordinator();
    change(config);
    std::string error;
    EXPECT_FALSE(coordinator::load_config(write(config), error).has_value());
    return error;
  };
  const std::string file = (dir_ / "config.json").string();
  EXPECT_EQ(error_for([](Json& c) { c["listen"] = "10.77.0.256:7000"; }),
            file + ": $.listen: \"10.77.0.256:7000\" is not an IPv4 HOST:PORT such as 10.77.0.11:7000");
  EXPECT_EQ(error_for([](Json& c) { c.erase("raft_listen"); }),
            file + ": $.raft_listen is missing (an IPv4 \"HOST:PORT\")");
  EXPECT_EQ(error_for([](Json& c) { c["members"][1]["raft"] = "10.77.0.12"; }),
            file + ": $.members[1].raft: \"10.77.0.12\" is not an IPv4 HOST:PORT such as 10.77.0.11:7000");
  EXPECT_EQ(error_for([](Json& c) { c["members"][0].erase("raft"); }),
            file + ": $.members[0].raft is missing (an IPv4 \"HOST:PORT\")");
}

TEST_F(ConfigFile, AWorkerFollowsTheSameAddressRules) {
  std::string error;
  Json config{{"name", "w1"}, {"listen", "10.77.0.21:0"}, {"coordinators", {"http://10.77.0.11:7000"}}};
  const auto ok = worker::load_config(write(config), error);
  ASSERT_TRUE(ok.has_value()) << error;
  EXPECT_EQ(ok->listen, (net::Endpoint{"10.77.0.21", 0}));

  config["listen"] = "0.0.0.0:7000";
  EXPECT_FALSE(worker::load_config(write(config), error).has_value());
  EXPECT_NE(error.find("config.json: $.listen: 0.0.0.0 would bind every interface"), std::string::npos)
      << error;
}

}  // namespace
}  // namespace faultline
