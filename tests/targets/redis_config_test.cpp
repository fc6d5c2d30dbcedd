// The redis-sentinel members' config files: each member binds and announces
// its own address, writes only in its own folder, and replicas and sentinels
// name the primary's real address.
#include <gtest/gtest.h>

#include <sstream>

#include "drills/targets/redis_config.hpp"

namespace faultline::targets {
namespace {

bool has_line(const std::string& text, const std::string& line) {
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    if (l == line) return true;
  }
  return false;
}

TEST(RedisConfig, AReplicaAnnouncesItselfAndNamesThePrimary) {
  ServerConfig c{"10.77.0.12", 7001, "/run/x/members/r2", network::Endpoint{"10.77.0.11", 7001}, 1, 5};
  const std::string text = server_config(c);
  EXPECT_TRUE(has_line(text, "bind 10.77.0.12"));
  EXPECT_TRUE(has_line(text, "port 7001"));
  EXPECT_TRUE(has_line(text, "dir \"/run/x/members/r2\""));
  EXPECT_TRUE(has_line(text, "daemonize no"));
  EXPECT_TRUE(has_line(text, "logfile \"\""));
  EXPECT_TRUE(has_line(text, "replica-announce-ip 10.77.0.12"));
  EXPECT_TRUE(has_line(text, "replicaof 10.77.0.11 7001"));
  EXPECT_TRUE(has_line(text, "min-replicas-to-write 1"));
  EXPECT_TRUE(has_line(text, "min-replicas-max-lag 5"));
  EXPECT_TRUE(has_line(text, "appendonly no"));
  EXPECT_EQ(text.find("pidfile"), std::string::npos);
  c.replica_of.reset();
  EXPECT_EQ(server_config(c).find("replicaof"), std::string::npos);
}

TEST(RedisConfig, ASentinelMonitorsThePrimaryWithThePlansTiming) {
  const std::string text =
      sentinel_config({"10.77.0.14", 7002, "/run/x/members/s1", network::Endpoint{"10.77.0.11", 7001}, 2, 800, 4000});
  EXPECT_TRUE(has_line(text, "bind 10.77.0.14"));
  EXPECT_TRUE(has_line(text, "dir \"/run/x/members/s1\""));
  EXPECT_TRUE(has_line(text, "sentinel announce-ip 10.77.0.14"));
  EXPECT_TRUE(has_line(text, "sentinel announce-port 7002"));
  EXPECT_TRUE(has_line(text, std::string("sentinel monitor ") + kRedisMasterName + " 10.77.0.11 7001 2"));
  EXPECT_TRUE(has_line(text, std::string("sentinel down-after-milliseconds ") + kRedisMasterName + " 800"));
  EXPECT_TRUE(has_line(text, std::string("sentinel failover-timeout ") + kRedisMasterName + " 4000"));
}

TEST(RedisConfig, FoldersAreQuoted) {
  const std::string text = server_config({"127.0.0.1", 7001, "/tmp/a \"b\"", std::nullopt, 0, 10});
  EXPECT_TRUE(has_line(text, "dir \"/tmp/a \\\"b\\\"\"")) << text;
}

}  // namespace
}  // namespace faultline::targets
