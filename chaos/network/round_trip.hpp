// Round trips of a small request on one TCP connection each: connect to
// `to`, send `payload`, wait for the first byte of any answer (or the end of
// the stream), close. The time from the send to that first byte is one
// sample: it crosses whatever the link goes through (a DNAT rule and a link
// proxy with its toxics), both ways.
//
// Thread-safety: may be called from any thread. With a namespace, the
// samples are taken on a thread of their own that entered it (the calling
// thread never moves).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "chaos/netns/namespace.hpp"

namespace faultline::network {

struct RoundTrips {
  std::vector<double> samples_ms;
  std::string error;  // the first failure, when fewer samples than asked were taken
};

// A request every member kind answers or closes on: an HTTP request line.
inline constexpr const char* kHttpProbe = "GET /health HTTP/1.0\r\n\r\n";

RoundTrips round_trips(const netns::Namespace* from, const std::string& address, int port,
                       const std::string& payload, int count, std::chrono::milliseconds timeout);

}  // namespace faultline::network
