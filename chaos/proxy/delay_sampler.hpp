// DelaySampler: draws the delay of one chunk from latency, jitter and a
// distribution, as netem does, from a seeded generator of its own. Pure: no
// clock, no I/O; the same seed and the same sequence of calls give the same
// delays on every run (the generator is xoshiro256** seeded by splitmix64,
// and every conversion to a delay is written out here, not left to the
// standard library's distributions, whose results differ between libraries).
//
// A delay is latency + jitter * D, where D is a deviate of the distribution:
//  - uniform: D = 2u - 1, so the delay is uniform in [latency - jitter,
//    latency + jitter] (netem without a table: rnd % 2σ + μ - σ);
//  - normal: D = Φ⁻¹(u), clipped to [-4, 4], the range netem's 16-bit table
//    can hold (mean latency, standard deviation jitter);
//  - pareto: netem's pareto table (iproute2 netem/pareto.c) computed exactly
//    instead of looked up: X = u^(-1/3) is Pareto with shape 3 and scale 1
//    (mean 1.5), and D = min((X - 1.5) * 4/3, 4). D is at least -2/3, with
//    mean -0.033 and standard deviation 0.82 (the clip at 4 trims the tail);
//  - paretonormal: netem's paretonormal table (netem/paretonormal.c), which
//    mixes the two at the same quantile q: D = (Φ⁻¹(q) + 3 * pareto(q)) / 4,
//    clipped to [-4, 4], with pareto(q) the pareto deviate at u = 1 - q
//    (mean -0.025, standard deviation 0.83).
// netem looks u up in a table of 4096 entries; this computes the same curves
// at full resolution. A delay below zero is clipped to zero (that moves the
// mean up when jitter is large against latency).
//
// Thread-safety: none; a link keeps one sampler behind its own mutex.
#pragma once

#include <cstdint>

#include "chaos/proxy/toxics.hpp"

namespace faultline::proxy {

class DelaySampler {
 public:
  explicit DelaySampler(std::uint64_t seed);

  // The delay of one chunk in nanoseconds, never negative. Draws one number
  // from the generator when jitter_ms > 0, none otherwise.
  std::int64_t sample_ns(double latency_ms, double jitter_ms, Distribution distribution);
  std::int64_t sample_ns(const Toxics& t) {
    return sample_ns(t.latency_ms, t.jitter_ms, t.distribution);
  }

  // The next raw 64-bit number, and a uniform number in the open interval
  // (0, 1) built from its top 53 bits.
  std::uint64_t next_u64();
  double next_unit();

  // The deviate D of `distribution` at u in (0, 1) (see above).
  static double deviate(Distribution distribution, double u);

  // Inverse of the standard normal distribution function, for p in (0, 1)
  // (Acklam's rational approximation, relative error below 1.2e-9).
  static double inverse_normal_cdf(double p);

 private:
  std::uint64_t state_[4];
};

}  // namespace faultline::proxy
