// Connect probes: can a TCP connection be opened from inside a namespace?
//
// A probe runs on a thread of its own that enters the source namespace
// (setns), optionally binds a source address (the hub's client or observer
// address), starts a non-blocking connect and classifies what comes back
// before the timeout. reachability() measures a whole matrix at once: one
// thread per source, all its connects in flight together, so the matrix takes
// about one timeout, not one per unreachable cell. Probes open connections
// and close them at once; a listener sees an accept and an end of stream.
//
// Thread-safety: both functions may be called from any thread; they never
// move the calling thread into another namespace. The namespaces passed in
// must outlive the call.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "chaos/netns/namespace.hpp"

namespace faultline::netns {

enum class ConnectOutcome {
  connected,    // the three-way handshake completed
  refused,      // ECONNREFUSED: a reset answered the SYN (closed port, `reject with tcp reset`)
  reset,        // ECONNRESET
  timed_out,    // no answer before the timeout (dropped packets)
  unreachable,  // EHOSTUNREACH / ENETUNREACH: no route or no neighbour
  error,        // anything else, see `error`
};
const char* outcome_name(ConnectOutcome outcome);

struct Endpoint {
  std::string address;  // dotted IPv4
  std::uint16_t port = 0;
};

struct ProbeSource {
  const Namespace* ns = nullptr;  // must be valid
  std::string bind_address;       // empty: the kernel picks the source address
};

struct ConnectResult {
  ConnectOutcome outcome = ConnectOutcome::error;
  std::chrono::microseconds elapsed{0};  // from connect() to the outcome
  std::string error;                     // set for outcome error: what failed, where
  bool connected() const { return outcome == ConnectOutcome::connected; }
};

ConnectResult connect_probe(const ProbeSource& from, const Endpoint& to,
                            std::chrono::milliseconds timeout);

// cells[i][j]: froms[i] -> targets[j].
struct ReachabilityMatrix {
  std::vector<std::vector<ConnectResult>> cells;
  std::chrono::microseconds elapsed{0};  // wall time of the whole matrix
};

ReachabilityMatrix reachability(const std::vector<ProbeSource>& froms,
                                const std::vector<Endpoint>& targets,
                                std::chrono::milliseconds timeout);

}  // namespace faultline::netns
