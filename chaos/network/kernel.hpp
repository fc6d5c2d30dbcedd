// The kernel backend: the run's own network namespaces (chaos/netns) — a
// hub where the runner, its clients and its observer live, one namespace
// per member with its own address, veth pairs on a bridge. Partitions, loss
// and resets are nftables rules in the senders' namespaces; latency and the
// other toxics go through link proxies on the hub (link_proxies.hpp), to
// which a DNAT rule in each member's namespace sends its connections to its
// peers from the start, so programs keep the peer addresses they know (etcd
// and Redis included) and no connection escapes a toxic set later.
//
// Ports: each member has the namespace to itself, so every member listens on
// the same fixed ports (7001 for the first port a target names, 7002 for the
// second, ...): nothing else can hold them.
//
// Made by make_network (network.cpp). Creating it moves the calling thread
// (the runner's main thread) into the hub, with every thread it starts
// later; members enter their own namespace when they are spawned.
#pragma once

#include <map>
#include <memory>
#include <mutex>

#include "chaos/netns/fabric.hpp"
#include "chaos/netns/fabric_policy.hpp"
#include "chaos/network/link_proxies.hpp"
#include "chaos/network/link_state.hpp"
#include "chaos/network/network.hpp"

namespace faultline::network {

class KernelNetwork final : public Network, public faults::LinkControl {
 public:
  static std::unique_ptr<KernelNetwork> create(const NetworkOptions& options, std::string& error);

  // Placement
  std::string address(const std::string& id) const override;
  int netns_fd(const std::string& id) const override;
  int port(const std::string& id, const std::string& name) override;
  Endpoint dial(const std::string& from, const std::string& to, const std::string& name) override;
  void probe_with(const std::string& port_name, std::string payload) override;

  // Network
  std::string backend() const override { return "kernel"; }
  std::string describe() const override;
  faults::LinkControl* links() override { return this; }
  std::string client_address() const override { return fabric_->client_address(); }
  std::string observer_address() const override { return fabric_->observer_address(); }
  std::optional<std::string> finish_setup() override;

  // LinkControl
  std::optional<std::string> set(int owner, const faults::LinkEffects& effects) override;
  std::optional<std::string> clear(int owner) override;
  std::optional<std::string> verify(int owner) override;
  nlohmann::json counters(int owner) override;
  std::vector<faults::ReachProbe> reachability(const std::vector<std::string>& members) override;
  faults::RttProbe rtt(const faults::Link& link, int count) override;

  // The namespaces themselves, for probes and tests that act from inside a member.
  const netns::Fabric& fabric() const { return *fabric_; }

 private:
  KernelNetwork(NetworkOptions options, std::unique_ptr<netns::Fabric> fabric);
  std::optional<std::string> render();
  // Whether some connection on `link` (either end opening it) goes through a proxy.
  bool proxied(const faults::Link& link) const;
  // The first port a member listens on (what probes connect to).
  std::optional<std::pair<std::string, int>> first_port(const std::string& id) const;

  const NetworkOptions options_;
  std::unique_ptr<netns::Fabric> fabric_;
  std::map<std::string, int> port_numbers_;                          // port name -> number
  std::map<std::string, std::vector<std::string>> member_ports_;    // member -> port names, in order
  std::map<std::string, std::string> probes_;                        // port name -> payload
  LinkProxies proxies_;
  std::vector<netns::MemberRedirect> redirects_;
  LinkState state_;
};

}  // namespace faultline::network
