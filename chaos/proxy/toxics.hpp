// Toxics: the faults a LinkProxy applies to one direction of a link, in the
// vocabulary of netem (latency, jitter, distribution) and of toxiproxy
// (bandwidth, blackhole, reset, slow close, timeout, limit of bytes).
//
// A direction is `upstream` (bytes from the side that connected, toward the
// server) or `downstream` (the server's bytes back). Each direction has its own
// Toxics; a default-constructed Toxics is the healthy link. What each field
// does to a connection is documented beside it; the timing rules are:
//
//  - Each chunk read from the source is delayed from its own arrival:
//    due = max(previous chunk's due, arrival + sample). Order is always kept.
//    A change of latency applies to chunks that arrive after it.
//  - The end of the stream (the source closed) travels as a chunk of its own:
//    it is passed on when its due time has come and every byte before it has
//    been written.
//
// Plain value type; validate() before use (set_toxics does).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace faultline::proxy {

enum class Direction { upstream = 0, downstream = 1 };

const char* to_string(Direction direction);

// How the delay of one chunk is drawn around latency_ms with jitter_ms, as
// netem defines them (see delay_sampler.hpp for the exact formulas):
//  - uniform: in [latency - jitter, latency + jitter];
//  - normal: latency + jitter * Z, Z standard normal clipped to [-4, 4];
//  - pareto: netem's pareto table (shape 3), shifted to mean ~latency;
//  - paretonormal: netem's paretonormal table, (Z + 3 * pareto) / 4.
// A sample below zero is clipped to zero, never negative.
enum class Distribution { uniform, normal, pareto, paretonormal };

const char* to_string(Distribution distribution);
std::optional<Distribution> parse_distribution(std::string_view name);

struct Toxics {
  // Delay of every chunk. jitter_ms = 0 gives exactly latency_ms and draws no
  // random number.
  double latency_ms = 0;
  double jitter_ms = 0;
  Distribution distribution = Distribution::uniform;

  // Rate of the whole link in this direction (a token bucket shared by all
  // its connections); 0 = unlimited. Applied after the delay.
  std::uint64_t bandwidth_bytes_per_s = 0;

  // Bytes read from the source are discarded: never forwarded, nothing is
  // answered for them, and the source's close is not passed on (until the
  // toxic is lifted). Bytes queued before the toxic was set still go out.
  bool blackhole = false;

  // Every connection of the link is closed with RST (SO_LINGER 0) on both
  // sides; connections accepted while it is set are reset at once. Setting
  // it on either direction resets the whole connection.
  bool reset = false;

  // When the source of this direction closes, its close is passed on to the
  // destination this long after the last byte before it was written.
  std::uint32_t slow_close_ms = 0;

  // Set: stop forwarding (bytes read from the source, and its close, are
  // discarded, as with blackhole) and close the connection timeout_ms after
  // the toxic reached it (a new connection: after it was accepted).
  // 0 = never close.
  std::optional<std::uint32_t> timeout_ms;

  // 0 = no limit. Otherwise a connection passes at most limit_bytes bytes in
  // this direction over its lifetime, counted from its start; once that many
  // have been written the connection is closed (FIN on both sides). Bytes
  // beyond the limit are discarded.
  std::uint64_t limit_bytes = 0;

  bool operator==(const Toxics&) const = default;
};

// True when chunks of this direction go through the delay queue.
inline bool delays(const Toxics& t) {
  return t.latency_ms > 0 || t.jitter_ms > 0;
}

// True when bytes read in this direction are dropped on arrival.
inline bool discards(const Toxics& t) {
  return t.blackhole || t.timeout_ms.has_value();
}

// Longest latency, jitter, slow close or timeout accepted: one hour.
inline constexpr double kMaxToxicMs = 3'600'000;

// nullopt when valid; otherwise what is wrong and the range allowed.
std::optional<std::string> validate(const Toxics& toxics);

// One line for logs and journals: "latency 10 ms jitter 2 ms normal, ...";
// "none" for the healthy link.
std::string describe(const Toxics& toxics);

}  // namespace faultline::proxy
