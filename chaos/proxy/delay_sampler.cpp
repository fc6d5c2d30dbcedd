#include "chaos/proxy/delay_sampler.hpp"

#include <algorithm>
#include <cmath>

namespace faultline::proxy {

namespace {

std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

// netem's tables are 16-bit signed values scaled by 8192, so no deviate
// leaves [-4, 4).
constexpr double kTableLimit = 4.0;

double pareto_deviate(double u) {
  const double x = 1.0 / std::cbrt(u);
  return std::min((x - 1.5) * (4.0 / 3.0), kTableLimit);
}

}  // namespace

DelaySampler::DelaySampler(std::uint64_t seed) {
  std::uint64_t x = seed;
  for (auto& s : state_) s = splitmix64(x);
}

std::uint64_t DelaySampler::next_u64() {
  const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
  const std::uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 45);
  return result;
}

double DelaySampler::next_unit() {
  // (k + 0.5) / 2^53 for k in [0, 2^53): never 0, never 1.
  return (static_cast<double>(next_u64() >> 11) + 0.5) * 0x1.0p-53;
}

double DelaySampler::inverse_normal_cdf(double p) {
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double p_low = 0.02425;
  auto tail = [&](double q) {
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  };
  if (p < p_low) return tail(std::sqrt(-2 * std::log(p)));
  if (p > 1 - p_low) return -tail(std::sqrt(-2 * std::log1p(-p)));
  const double q = p - 0.5;
  const double r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

double DelaySampler::deviate(Distribution distribution, double u) {
  switch (distribution) {
    case Distribution::uniform:
      return 2 * u - 1;
    case Distribution::normal:
      return std::clamp(inverse_normal_cdf(u), -kTableLimit, kTableLimit);
    case Distribution::pareto:
      return pareto_deviate(u);
    case Distribution::paretonormal: {
      const double normal = std::clamp(inverse_normal_cdf(u), -kTableLimit, kTableLimit);
      return std::clamp((normal + 3 * pareto_deviate(1 - u)) / 4, -kTableLimit, kTableLimit);
    }
  }
  return 0;
}

std::int64_t DelaySampler::sample_ns(double latency_ms, double jitter_ms,
                                     Distribution distribution) {
  double ms = latency_ms;
  if (jitter_ms > 0) ms += jitter_ms * deviate(distribution, next_unit());
  if (!(ms > 0)) return 0;
  return std::llround(ms * 1e6);
}

}  // namespace faultline::proxy
