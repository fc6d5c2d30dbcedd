// The link proxies of a run, one per (initiator, acceptor, acceptor port):
// made once, before the members start, so that no connection escapes a
// toxic set later (toxiproxy's complaint), and given the toxics of the
// composed link state every time it changes. Both network backends use them:
// the kernel backend interposes them by DNAT, the proxy backend by the
// addresses it gives the members to dial.
//
// The toxics of one proxy: upstream (what the initiator sends) takes the
// effect of initiator -> acceptor, downstream that of acceptor -> initiator.
// A kernel-only effect (blocked) is carried by the proxy backend as a
// blackhole both ways on the initiator's connections: what it sends never
// arrives and nothing comes back, which for TCP is what a silent partition
// looks like to the initiator.
//
// Thread-safety: one thread (the runner's main thread) at a time.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "chaos/faults/links.hpp"
#include "chaos/proxy/proxy_engine.hpp"

namespace faultline::network {

struct ProxyKey {
  std::string from;  // initiator (a member id, or faults::kClients)
  std::string to;    // acceptor
  std::string port_name;
  friend bool operator<(const ProxyKey& a, const ProxyKey& b) {
    return std::tie(a.from, a.to, a.port_name) < std::tie(b.from, b.to, b.port_name);
  }
};

class LinkProxies {
 public:
  // `proxy_only`: the proxy backend, which carries blocked and reset itself (see above).
  LinkProxies(bool proxy_only, std::uint64_t seed);
  ~LinkProxies();

  // Opens one proxy listening on listen_address (port 0) toward upstream.
  // Returns the port it listens on, or 0 with `error`.
  int open(const ProxyKey& key, const std::string& listen_address, const std::string& upstream_address,
           int upstream_port, const std::string& source_address, std::string& error);
  std::optional<int> port_of(const ProxyKey& key) const;
  bool empty() const { return links_.empty(); }
  const std::map<ProxyKey, std::unique_ptr<proxy::LinkProxy>>& links() const { return links_; }

  // Gives every proxy the toxics of `composed` (the default toxics where a
  // link has no effect). Returns the first error.
  std::optional<std::string> apply(const faults::LinkEffects& composed);
  // True when the proxies of `links` carry the toxics `composed` gives them.
  std::optional<std::string> verify(const std::vector<faults::Link>& links, const faults::LinkEffects& composed) const;
  // Bytes each direction of `links` carried since `since` (a snapshot taken
  // at set()), with the seconds in between.
  nlohmann::json traffic(const std::vector<faults::Link>& links) const;
  void mark(const std::vector<faults::Link>& links);

 private:
  proxy::Toxics toxics_of(const faults::LinkEffect* effect) const;

  const bool proxy_only_;
  std::uint64_t seed_;
  std::unique_ptr<proxy::ProxyEngine> engine_;
  std::map<ProxyKey, std::unique_ptr<proxy::LinkProxy>> links_;
  // Byte counts per proxy and direction at the last mark(), for traffic().
  std::map<ProxyKey, std::pair<std::uint64_t, std::uint64_t>> marks_;
  std::map<faults::Link, std::chrono::steady_clock::time_point> marked_at_;
};

}  // namespace faultline::network
