// The delay sampler: each distribution's mean and spread for a fixed seed,
// never negative, same seed same sequence.
#include "chaos/proxy/delay_sampler.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace faultline::proxy {
namespace {

struct Moments {
  double mean_ms = 0;
  double sd_ms = 0;
  double min_ms = 0;
  double max_ms = 0;
};

Moments moments(std::uint64_t seed, double latency, double jitter, Distribution d, int n) {
  DelaySampler sampler(seed);
  double sum = 0;
  double squares = 0;
  double lo = 1e300;
  double hi = -1e300;
  for (int i = 0; i < n; ++i) {
    const double ms = static_cast<double>(sampler.sample_ns(latency, jitter, d)) / 1e6;
    sum += ms;
    squares += ms * ms;
    lo = std::min(lo, ms);
    hi = std::max(hi, ms);
  }
  const double mean = sum / n;
  return {mean, std::sqrt(squares / n - mean * mean), lo, hi};
}

constexpr int kSamples = 200'000;

TEST(DelaySampler, SameSeedGivesTheSameSequence) {
  for (Distribution d : {Distribution::uniform, Distribution::normal, Distribution::pareto,
                         Distribution::paretonormal}) {
    DelaySampler a(42);
    DelaySampler b(42);
    DelaySampler other(43);
    int differences = 0;
    for (int i = 0; i < 1000; ++i) {
      const auto x = a.sample_ns(10, 5, d);
      ASSERT_EQ(x, b.sample_ns(10, 5, d)) << to_string(d) << " sample " << i;
      if (x != other.sample_ns(10, 5, d)) ++differences;
    }
    EXPECT_GT(differences, 990) << to_string(d) << ": another seed gives other delays";
  }
}

TEST(DelaySampler, ZeroJitterIsExactlyTheLatencyAndDrawsNothing) {
  DelaySampler sampler(7);
  DelaySampler fresh(7);
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(sampler.sample_ns(12.5, 0, Distribution::normal), 12'500'000);
  EXPECT_EQ(sampler.sample_ns(0, 0, Distribution::uniform), 0);
  // No number was drawn: the generator is where a fresh one starts.
  EXPECT_EQ(sampler.next_u64(), fresh.next_u64());
}

TEST(DelaySampler, UniformCoversLatencyPlusMinusJitter) {
  const Moments m = moments(1, 10, 4, Distribution::uniform, kSamples);
  EXPECT_NEAR(m.mean_ms, 10, 0.03);
  EXPECT_NEAR(m.sd_ms, 4 / std::sqrt(3.0), 0.03);
  EXPECT_GE(m.min_ms, 6);
  EXPECT_LE(m.max_ms, 14);
  EXPECT_LT(m.min_ms, 6.01);
  EXPECT_GT(m.max_ms, 13.99);
}

TEST(DelaySampler, NormalHasSdJitterAndStopsAtFourSigma) {
  const Moments m = moments(2, 20, 3, Distribution::normal, kSamples);
  EXPECT_NEAR(m.mean_ms, 20, 0.03);
  EXPECT_NEAR(m.sd_ms, 3, 0.03);
  EXPECT_GE(m.min_ms, 20 - 4 * 3);
  EXPECT_LE(m.max_ms, 20 + 4 * 3);
  EXPECT_LT(m.min_ms, 20 - 3 * 3);  // the tails are there
  EXPECT_GT(m.max_ms, 20 + 3 * 3);
}

TEST(DelaySampler, ParetoFollowsNetemsTable) {
  const Moments m = moments(3, 20, 4, Distribution::pareto, kSamples);
  // D has mean -0.0329 and sd 0.821 (netem's table: shape 3, clipped at 4).
  EXPECT_NEAR(m.mean_ms, 20 - 0.0329 * 4, 0.03);
  EXPECT_NEAR(m.sd_ms, 0.821 * 4, 0.04);
  EXPECT_GE(m.min_ms, 20 - 4 * 2.0 / 3);  // the smallest pareto deviate is -2/3
  EXPECT_LE(m.max_ms, 20 + 4 * 4);
  EXPECT_GT(m.max_ms, 20 + 4 * 3.9);  // the long tail reaches the clip
}

TEST(DelaySampler, ParetoNormalMixesAQuarterNormalAndThreeQuartersPareto) {
  const Moments m = moments(4, 20, 4, Distribution::paretonormal, kSamples);
  EXPECT_NEAR(m.mean_ms, 20 - 0.0247 * 4, 0.03);
  EXPECT_NEAR(m.sd_ms, 0.835 * 4, 0.04);
  EXPECT_GE(m.min_ms, 20 - 4 * 4);
  EXPECT_LE(m.max_ms, 20 + 4 * 4);
  // At one quantile the two are mixed, as in netem/paretonormal.c.
  const double u = 0.9;
  EXPECT_NEAR(DelaySampler::deviate(Distribution::paretonormal, u),
              (DelaySampler::inverse_normal_cdf(u) +
               3 * DelaySampler::deviate(Distribution::pareto, 1 - u)) /
                  4,
              1e-12);
}

TEST(DelaySampler, NeverNegative) {
  for (Distribution d : {Distribution::uniform, Distribution::normal, Distribution::pareto,
                         Distribution::paretonormal}) {
    DelaySampler sampler(5);
    int zeros = 0;
    for (int i = 0; i < 20'000; ++i) {
      const auto ns = sampler.sample_ns(1, 10, d);
      ASSERT_GE(ns, 0) << to_string(d);
      if (ns == 0) ++zeros;
    }
    EXPECT_GT(zeros, 0) << to_string(d) << ": jitter 10 ms around 1 ms must clip some to 0";
  }
}

TEST(DelaySampler, InverseNormalCdfMatchesKnownQuantiles) {
  EXPECT_NEAR(DelaySampler::inverse_normal_cdf(0.5), 0, 1e-9);
  EXPECT_NEAR(DelaySampler::inverse_normal_cdf(0.975), 1.959963985, 1e-8);
  EXPECT_NEAR(DelaySampler::inverse_normal_cdf(0.025), -1.959963985, 1e-8);
  EXPECT_NEAR(DelaySampler::inverse_normal_cdf(0.841344746), 1.0, 1e-7);
  EXPECT_NEAR(DelaySampler::inverse_normal_cdf(1e-6), -4.753424309, 1e-6);
}

TEST(DelaySampler, UnitNumbersStayInsideTheOpenInterval) {
  DelaySampler sampler(9);
  for (int i = 0; i < 100'000; ++i) {
    const double u = sampler.next_unit();
    ASSERT_GT(u, 0);
    ASSERT_LT(u, 1);
  }
}

}  // namespace
}  // namespace faultline::proxy
