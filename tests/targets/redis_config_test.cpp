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

SentinelConfig sentinel_s1() {
  SentinelConfig c;
  c.address = "10.77.0.14";
  c.port = 7002;
  c.dir = "/run/x/members/s1";
  c.primary = network::Endpoint{"10.77.0.11", 7001};
  c.quorum = 2;
  c.down_after_ms = 800;
  c.failover_timeout_ms = 4000;
  return c;
}

TEST(RedisConfig, ASentinelMonitorsThePrimaryWithThePlansTiming) {
  const std::string text = sentinel_config(sentinel_s1());
  EXPECT_TRUE(has_line(text, "bind 10.77.0.14"));
  EXPECT_TRUE(has_line(text, "dir \"/run/x/members/s1\""));
  EXPECT_TRUE(has_line(text, "sentinel announce-ip 10.77.0.14"));
  EXPECT_TRUE(has_line(text, "sentinel announce-port 7002"));
  EXPECT_TRUE(has_line(text, std::string("sentinel monitor ") + kRedisMasterName + " 10.77.0.11 7001 2"));
  EXPECT_TRUE(has_line(text, std::string("sentinel down-after-milliseconds ") + kRedisMasterName + " 800"));
  EXPECT_TRUE(has_line(text, std::string("sentinel failover-timeout ") + kRedisMasterName + " 4000"));
}

TEST(RedisConfig, ASentinelStartsKnowingItsIdTheReplicasAndTheOtherSentinels) {
  SentinelConfig c = sentinel_s1();
  EXPECT_EQ(sentinel_config(c).find("known-"), std::string::npos) << "nothing seeded unless given";
  c.myid = sentinel_id("s1");
  c.known_replicas = {{"10.77.0.12", 7001}, {"10.77.0.13", 7001}};
  c.known_sentinels = {{network::Endpoint{"10.77.0.15", 7002}, sentinel_id("s2")}};
  const std::string text = sentinel_config(c);
  const std::string name = kRedisMasterName;
  EXPECT_TRUE(has_line(text, "sentinel myid " + sentinel_id("s1"))) << text;
  EXPECT_TRUE(has_line(text, "sentinel known-replica " + name + " 10.77.0.12 7001")) << text;
  EXPECT_TRUE(has_line(text, "sentinel known-replica " + name + " 10.77.0.13 7001")) << text;
  EXPECT_TRUE(has_line(text, "sentinel known-sentinel " + name + " 10.77.0.15 7002 " + sentinel_id("s2"))) << text;
  // After `sentinel monitor`, which the known-* lines refer to.
  EXPECT_LT(text.find("sentinel monitor "), text.find("sentinel known-replica "));
}

TEST(RedisConfig, SentinelIdsAreFortyHexDigitsStableAndDistinct) {
  const std::string a = sentinel_id("s1");
  EXPECT_EQ(a.size(), 40u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos) << a;
  EXPECT_EQ(a, sentinel_id("s1"));
  EXPECT_NE(a, sentinel_id("s2"));
  EXPECT_NE(sentinel_id("s2"), sentinel_id("s3"));
}

TEST(RedisConfig, FoldersAreQuoted) {
  const std::string text = server_config({"127.0.0.1", 7001, "/tmp/a \"b\"", std::nullopt, 0, 10});
  EXPECT_TRUE(has_line(text, "dir \"/tmp/a \\\"b\\\"\"")) << text;
}

}  // namespace
}  // namespace faultline::targets
