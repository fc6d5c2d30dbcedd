// The proxy backend: the fallback when network namespaces cannot be made.
// Every member is on 127.0.0.1 with ports reserved for the run (as the
// loopback backend), and every member dials each peer through a link proxy
// of its own — the address the member is given for the peer is the proxy's
// — so latency and the connection toxics apply, and a partition is carried
// by the proxies (what the cut side sends is dropped, nothing comes back).
// Loss needs packets and is refused (the kinds that need the kernel say so).
// Reachability and round trips are measured through the proxies from the
// runner, with a request that must be answered.
//
// Programs whose peer addresses cannot be given per member (etcd, Redis)
// cannot be interposed this way: the targets refuse link faults then.
#pragma once

#include "chaos/network/link_proxies.hpp"
#include "chaos/network/link_state.hpp"
#include "chaos/network/loopback.hpp"

namespace faultline::network {

class ProxyNetwork final : public LoopbackNetwork, public faults::LinkControl {
 public:
  explicit ProxyNetwork(NetworkOptions options);

  Endpoint dial(const std::string& from, const std::string& to, const std::string& name) override;
  void probe_with(const std::string& port_name, std::string payload) override;
  std::string backend() const override { return "proxy"; }
  std::string describe() const override;
  faults::LinkControl* links() override { return this; }

  std::optional<std::string> set(int owner, const faults::LinkEffects& effects) override;
  std::optional<std::string> clear(int owner) override;
  std::optional<std::string> verify(int owner) override;
  nlohmann::json counters(int owner) override;
  std::vector<faults::ReachProbe> reachability(const std::vector<std::string>& members) override;
  faults::RttProbe rtt(const faults::Link& link, int count) override;

 private:
  // The proxy `from` dials to reach `to`'s first port, if any.
  std::optional<std::pair<std::string, int>> probe_target(const std::string& from, const std::string& to) const;

  std::map<std::string, std::vector<std::string>> member_ports_;  // member -> port names, in order
  std::map<std::string, std::string> probes_;
  LinkProxies proxies_;
  LinkState state_;
};

}  // namespace faultline::network
