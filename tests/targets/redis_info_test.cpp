// What Redis and Redis Sentinel say, read into values, and the term rule
// built on it (drills/targets/redis_info.hpp, sentinel_watch.hpp).
#include <gtest/gtest.h>

#include "drills/targets/redis_info.hpp"
#include "drills/targets/sentinel_watch.hpp"

namespace faultline::targets {
namespace {

RespValue bulk(const std::string& text) { return {RespValue::Type::string, text, 0, {}}; }

RespValue array(std::vector<RespValue> elements) { return {RespValue::Type::array, "", 0, std::move(elements)}; }

TEST(RedisInfo, ReplicationOfAPrimaryAndOfAReplica) {
  const auto primary = parse_replication("# Replication\r\nrole:master\r\nconnected_slaves:2\r\nmaster_repl_offset:4242\r\n");
  ASSERT_TRUE(primary);
  EXPECT_TRUE(primary->master);
  EXPECT_EQ(primary->offset, 4242);
  const auto replica = parse_replication(
      "# Replication\r\nrole:slave\r\nmaster_host:10.77.0.11\r\nmaster_port:7001\r\nmaster_link_status:up\r\n"
      "slave_repl_offset:4000\r\n");
  ASSERT_TRUE(replica);
  EXPECT_FALSE(replica->master);
  EXPECT_EQ(instance_key(replica->master_host, replica->master_port), "10.77.0.11:7001");
  EXPECT_TRUE(replica->link_up);
  EXPECT_EQ(replica->offset, 4000);
  const auto cut_off = parse_replication("role:slave\r\nmaster_host:10.77.0.11\r\nmaster_port:7001\r\nmaster_link_status:down\r\n");
  ASSERT_TRUE(cut_off);
  EXPECT_FALSE(cut_off->link_up);
  EXPECT_FALSE(parse_replication("# Server\r\nredis_version:7.0.15\r\n"));
}

TEST(RedisInfo, SentinelReportTakesTheEpochAndTheAddressClientsAreGiven) {
  // During a failover SENTINEL MASTER still shows the old address while
  // GET-MASTER-ADDR-BY-NAME already gives the promoted replica's.
  const RespValue master = array({bulk("name"), bulk("faultline"), bulk("ip"), bulk("10.77.0.11"), bulk("port"),
                                  bulk("7001"), bulk("flags"), bulk("s_down,o_down,master"), bulk("config-epoch"),
                                  bulk("3"), bulk("num-slaves"), bulk("2"), bulk("num-other-sentinels"), bulk("2")});
  const auto report = parse_sentinel_report(master, array({bulk("10.77.0.12"), bulk("7001")}));
  ASSERT_TRUE(report);
  EXPECT_EQ(report->config_epoch, 3u);
  EXPECT_EQ(report->master, "10.77.0.12:7001");
  EXPECT_EQ(report->flags, "s_down,o_down,master");
  EXPECT_EQ(report->replicas, 2);
  EXPECT_EQ(report->other_sentinels, 2);
  EXPECT_FALSE(parse_sentinel_report(master, RespValue{}));
  EXPECT_FALSE(parse_sentinel_report(master, array({bulk("10.77.0.12"), bulk("x")})));
}

TEST(RedisInfo, SentinelEventsMarkTheirParts) {
  const auto sdown = parse_sentinel_event("+sdown", "master faultline 10.77.0.11 7001");
  EXPECT_EQ(sdown.instance, "master");
  EXPECT_EQ(sdown.address, "10.77.0.11:7001");
  EXPECT_EQ(sdown.part, "detect");
  EXPECT_EQ(parse_sentinel_event("+odown", "master faultline 10.77.0.11 7001 #quorum 2/2").part, "agree");
  const auto sw = parse_sentinel_event("+switch-master", "faultline 10.77.0.11 7001 10.77.0.13 7001");
  EXPECT_EQ(sw.part, "promote");
  EXPECT_EQ(sw.from, "10.77.0.11:7001");
  EXPECT_EQ(sw.address, "10.77.0.13:7001");
  EXPECT_EQ(parse_sentinel_event("+new-epoch", "4").epoch, 4u);
  // A replica seen down is not the primary's detection.
  const auto replica = parse_sentinel_event("+sdown", "slave 10.77.0.12:7001 10.77.0.12 7001 @ faultline 10.77.0.11 7001");
  EXPECT_EQ(replica.instance, "slave");
  EXPECT_EQ(replica.address, "10.77.0.12:7001");
  EXPECT_EQ(replica.part, "");
  EXPECT_EQ(parse_sentinel_event("+vote-for-leader", "abc 1").part, "");
}

TEST(RedisTerms, APromotedReplicaTakesTheNewEpochAndAStrayPrimaryKeepsItsOwn) {
  RedisTerms terms;
  // Start: r1 named primary in epoch 0, r2 follows it.
  EXPECT_EQ(terms.term_of("r1", true, 0u, 0, std::nullopt), 0u);
  EXPECT_EQ(terms.term_of("r2", false, std::nullopt, 0, std::string("r1")), 0u);
  // r1 is cut off; the sentinels enter epoch 1 and promote r2, which says
  // it is primary before any sentinel names it: it takes epoch 1.
  EXPECT_EQ(terms.term_of("r2", true, std::nullopt, 1, std::nullopt), 1u);
  // r1, still primary and named by no sentinel, keeps epoch 0: two primaries,
  // never in the same term.
  EXPECT_EQ(terms.term_of("r1", true, std::nullopt, 1, std::nullopt), 0u);
  EXPECT_EQ(terms.term_of("r2", true, 1u, 1, std::nullopt), 1u);
  // Demoted after the heal, r1 follows r2 and takes its term.
  EXPECT_EQ(terms.term_of("r1", false, std::nullopt, 1, std::string("r2")), 1u);
  // A replica whose link is down keeps its term; terms never go down.
  EXPECT_EQ(terms.term_of("r1", false, std::nullopt, 5, std::nullopt), 1u);
  EXPECT_EQ(terms.term_of("r1", true, 0u, 5, std::nullopt), 1u);
}

}  // namespace
}  // namespace faultline::targets
