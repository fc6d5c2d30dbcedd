// Toxics validation and description, and the ByteRing's spans.
#include "chaos/proxy/toxics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "chaos/proxy/byte_ring.hpp"

namespace faultline::proxy {
namespace {

TEST(Toxics, DefaultIsHealthyAndValid) {
  const Toxics t;
  EXPECT_FALSE(validate(t).has_value());
  EXPECT_FALSE(delays(t));
  EXPECT_FALSE(discards(t));
  EXPECT_EQ(describe(t), "none");
}

TEST(Toxics, NegativeOrNonFiniteTimesAreRefusedByName) {
  Toxics t;
  t.latency_ms = -1;
  ASSERT_TRUE(validate(t).has_value());
  EXPECT_NE(validate(t)->find("latency_ms"), std::string::npos) << *validate(t);
  t = {};
  t.jitter_ms = NAN;
  ASSERT_TRUE(validate(t).has_value());
  EXPECT_NE(validate(t)->find("jitter_ms"), std::string::npos);
  t = {};
  t.timeout_ms = 4'000'000;
  ASSERT_TRUE(validate(t).has_value());
  EXPECT_NE(validate(t)->find("timeout_ms"), std::string::npos);
}

TEST(Toxics, DescribeNamesEveryToxicSet) {
  Toxics t;
  t.latency_ms = 10;
  t.jitter_ms = 2;
  t.distribution = Distribution::pareto;
  t.bandwidth_bytes_per_s = 1000;
  t.timeout_ms = 0;
  t.limit_bytes = 5;
  EXPECT_EQ(describe(t),
            "latency 10 ms jitter 2 ms pareto, bandwidth 1000 B/s, timeout 0 ms, limit 5 bytes");
  EXPECT_TRUE(discards(t));
}

TEST(Toxics, DistributionNamesRoundTrip) {
  for (Distribution d : {Distribution::uniform, Distribution::normal, Distribution::pareto,
                         Distribution::paretonormal}) {
    EXPECT_EQ(parse_distribution(to_string(d)), d);
  }
  EXPECT_FALSE(parse_distribution("gaussian").has_value());
}

TEST(ByteRing, SpansWrapAroundTheStorage) {
  ByteRing ring(8);
  auto free = ring.free_spans();
  EXPECT_EQ(free[0].size, 8u);
  EXPECT_EQ(free[1].size, 0u);
  std::memcpy(free[0].data, "abcdef", 6);
  ring.commit(6);
  ring.consume(4);  // "ef" left at offsets 4..5
  free = ring.free_spans();
  EXPECT_EQ(free[0].size, 2u);  // offsets 6..7
  EXPECT_EQ(free[1].size, 4u);  // then 0..3
  std::memcpy(free[0].data, "gh", 2);
  std::memcpy(free[1].data, "ij", 2);
  ring.commit(4);
  EXPECT_EQ(ring.size(), 6u);
  const auto data = ring.data_spans(6);
  EXPECT_EQ(std::string(data[0].data, data[0].size) + std::string(data[1].data, data[1].size),
            "efghij");
  EXPECT_EQ(ring.head(), 4u);
  EXPECT_EQ(ring.tail(), 10u);
}

}  // namespace
}  // namespace faultline::proxy
