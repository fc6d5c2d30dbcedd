// Token bucket arithmetic: burst, refill, grain, waits, long-run rate.
#include "chaos/proxy/token_bucket.hpp"

#include <gtest/gtest.h>

namespace faultline::proxy {
namespace {

constexpr std::int64_t kMs = 1'000'000;
constexpr std::int64_t kS = 1'000'000'000;

TEST(TokenBucket, UnlimitedGrantsEverything) {
  TokenBucket b(0, 0);
  EXPECT_EQ(b.take(0, 1'000'000'000), 1'000'000'000u);
  EXPECT_EQ(b.ready_at(5, 123), 5);
}

TEST(TokenBucket, BurstIsTwentyMillisecondsBounded) {
  EXPECT_EQ(TokenBucket::burst_for(1'000'000), 20'000u);
  EXPECT_EQ(TokenBucket::burst_for(10), 1u);
  EXPECT_EQ(TokenBucket::burst_for(1'000'000'000), TokenBucket::kMaxBurst);
}

TEST(TokenBucket, StartsFullThenRefillsAtTheRate) {
  TokenBucket b(1'000'000, 0);  // 1 MB/s, burst 20,000
  EXPECT_EQ(b.take(0, 50'000), 20'000u);
  EXPECT_EQ(b.take(0, 50'000), 0u);
  EXPECT_NEAR(b.tokens(10 * kMs), 10'000, 1e-6);
  EXPECT_EQ(b.take(10 * kMs, 50'000), 10'000u);
  // Refill stops at the burst.
  EXPECT_NEAR(b.tokens(10 * kS), 20'000, 1e-6);
}

TEST(TokenBucket, RefusesLessThanAGrainAndSaysWhenItWillGrant) {
  TokenBucket b(1'000'000, 0);
  ASSERT_EQ(b.take(0, 20'000), 20'000u);
  // 500 tokens after 0.5 ms: less than the 1 KiB grain a large write waits for.
  EXPECT_EQ(b.take(kMs / 2, 5'000), 0u);
  // ...but a write smaller than the grain takes what it needs.
  EXPECT_EQ(b.take(kMs / 2, 300), 300u);
  // 200 tokens left; 1024 needed: 824 bytes at 1 byte/us.
  EXPECT_EQ(b.ready_at(kMs / 2, 5'000), kMs / 2 + 824'000);
  EXPECT_EQ(b.take(kMs / 2 + 824'000, 5'000), 1024u);
}

TEST(TokenBucket, RateChangeKeepsTokensUnderTheNewBurst) {
  TokenBucket b(1'000'000, 0);
  b.set_rate(100'000, 0);  // burst 2,000
  EXPECT_EQ(b.burst(), 2'000u);
  EXPECT_NEAR(b.tokens(0), 2'000, 1e-6);
  b.set_rate(0, 0);
  EXPECT_EQ(b.take(0, 77), 77u);
}

TEST(TokenBucket, LongRunRateIsTheConfiguredRate) {
  // A writer that always wants 64 KiB and comes back exactly when told.
  for (std::uint64_t rate : {1'000u, 1'000'000u, 50'000'000u}) {
    TokenBucket b(rate, 0);
    std::int64_t now = 0;
    std::uint64_t sent = 0;
    int writes = 0;
    while (now < 10 * kS && writes < 10'000'000) {
      const std::uint64_t got = b.take(now, 64 * 1024);
      sent += got;
      ++writes;
      if (got == 0) now = b.ready_at(now, 64 * 1024);
    }
    const double expected = static_cast<double>(rate) * 10 + static_cast<double>(b.burst());
    EXPECT_NEAR(static_cast<double>(sent), expected, expected * 0.001 + 1024) << "rate " << rate;
  }
}

}  // namespace
}  // namespace faultline::proxy
