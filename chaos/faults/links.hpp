// LinkControl: the seam through which link faults (partition, latency, loss,
// bandwidth, reset, blackhole, slow_close, timeout) act on the run's network.
//
// Every link fault states what it does to a set of directed links under its
// own owner id; the network composes what every owner asks for and renders
// the result (nftables in the members' namespaces, toxics in the link
// proxies: chaos/network). Lifting a fault is clearing its owner, so a heal
// never disturbs another fault on the same link, and clearing every owner
// restores the untouched network.
//
// Thread-safety: implementations serialise their own calls.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace faultline::faults {

// The pseudo-member that stands for the run's clients (the workload) in a
// link. The observer is never part of any link.
inline const std::string kClients = "clients";

// A directed link: bytes and packets sent by `from` to `to`.
struct Link {
  std::string from;
  std::string to;
  friend bool operator<(const Link& a, const Link& b) {
    return std::tie(a.from, a.to) < std::tie(b.from, b.to);
  }
  friend bool operator==(const Link&, const Link&) = default;
};

// What a fault does to one directed link. Zero values do nothing.
struct LinkEffect {
  // Kernel (nftables): `from` cannot open or use connections to `to`; `to`
  // can still open connections to `from` and get answers on them (one-way
  // semantics for TCP, docs/faults.md).
  bool blocked = false;
  double loss = 0;     // probability per packet, [0, 1]
  bool reset = false;  // connections from `from` to `to` are reset
  // Proxy: delay of every chunk `from` sends to `to`.
  double latency_ms = 0;
  double jitter_ms = 0;
  std::string distribution = "uniform";  // uniform | normal | pareto | paretonormal
  double bandwidth_bytes_per_s = 0;      // 0: unlimited
  bool blackhole = false;                // bytes are read and dropped
  double slow_close_ms = 0;
  std::optional<std::int64_t> timeout_ms;   // stop forwarding; close after it (0: never)
  std::optional<std::int64_t> limit_bytes;  // close after this many bytes
  friend bool operator==(const LinkEffect&, const LinkEffect&) = default;
  bool needs_proxy() const;
  bool needs_kernel() const { return blocked || loss > 0 || reset; }
};

using LinkEffects = std::map<Link, LinkEffect>;

// One TCP connect from inside `from`'s host to `to`'s port.
struct ReachProbe {
  std::string from;
  std::string to;
  int port = 0;
  bool reachable = false;
  std::string outcome;  // connected | refused | reset | timeout | error: ...
  double elapsed_ms = 0;
};

// Round trips of a small request on a link, through whatever it goes through.
struct RttProbe {
  Link link;
  int port = 0;
  std::vector<double> samples_ms;
  std::optional<double> median_ms() const;
  std::string error;
};

class LinkControl {
 public:
  virtual ~LinkControl() = default;

  // "kernel" (namespaces, nftables, proxies) or "proxy" (proxies only).
  virtual std::string backend() const = 0;
  // Sets what `owner` does to links (replacing what it asked before).
  // Returns why, when the backend cannot do it (exit 3 for the run).
  virtual std::optional<std::string> set(int owner, const LinkEffects& effects) = 0;
  virtual std::optional<std::string> clear(int owner) = 0;
  // Reads back that what `owner` asked for is in force (the rules in the
  // members' namespaces, the toxics of the link proxies); the error says
  // what is missing.
  virtual std::optional<std::string> verify(int owner) = 0;
  // What the backend counted on `owner`'s links since set(): packets seen
  // and dropped (nftables counters), bytes and seconds (link proxies).
  virtual nlohmann::json counters(int owner) = 0;
  // Whether `a` can open a TCP connection to `b` now, for every ordered pair
  // of `members` (a != b), measured concurrently from inside each member's host.
  virtual std::vector<ReachProbe> reachability(const std::vector<std::string>& members) = 0;
  // Round trips of a small request over `link` (its first port), `count` times.
  virtual RttProbe rtt(const Link& link, int count) = 0;
};

}  // namespace faultline::faults
