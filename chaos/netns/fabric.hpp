// Fabric: the run's own network — a hub namespace and one namespace per
// member, each member a host of its own, as Jepsen gives every node a machine.
//
//   hub:      lo up; bridge `br0` carrying the hub's three addresses on one
//             /24: .1 for clients, .2 for the observer, .3 for proxies
//   member i: lo up; `eth0` with address .(11 + i)/24, the peer of the hub's
//             `veth<i>`, which is a port of `br0`
//
// There is no default route anywhere: the /24 exists only inside these
// namespaces and nothing is routed out, so two runs can use the same /24 side
// by side. Nothing is created in the caller's namespace. Every namespace is
// held by a descriptor of this object (and later by what enters it); when the
// Fabric is destroyed, or its process dies even by SIGKILL, the kernel frees
// the namespaces and with them every veth pair, the bridge and every rule.
//
// Faults are applied per member namespace: nftables rules (nft_rules.hpp,
// fabric_policy.hpp) and a tbf qdisc on eth0 for bandwidth. Creation costs
// one `ip -batch -` for the hub and, per member, one `ip -batch -` and one
// `nft -f -` (up to 8 members at a time). That nft table, `inet
// faultline_anchor`, kept for the fabric's life, makes the kernel track and
// NAT connections from their first packet, so that a fault applied later
// classifies open connections by who really opened them and a redirect
// removed later leaves proxied connections intact (see fabric.cpp). About
// 20 ms for 5 members.
//
// Thread-safety: after create() the topology is immutable; accessors may be
// called from any thread. apply_rules, set_bandwidth and clear_bandwidth
// change one member's namespace each and may run concurrently for different
// members; calls for the same member must not overlap.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chaos/netns/namespace.hpp"
#include "chaos/netns/nft_rules.hpp"

namespace faultline::netns {

struct FabricOptions {
  std::vector<std::string> members;                 // member ids, in order: addresses .11, .12, ...
  std::string subnet = "10.77.0.0/24";              // a private /24
  std::chrono::milliseconds command_timeout{5000};  // per ip/nft/tc invocation
};

class Fabric;

struct FabricResult {
  std::unique_ptr<Fabric> fabric;  // set when ok()
  std::string error;
  bool ok() const { return error.empty(); }
};

// Host parts of the hub's addresses and of the first member.
inline constexpr int kClientHost = 1;
inline constexpr int kObserverHost = 2;
inline constexpr int kProxyHost = 3;
inline constexpr int kFirstMemberHost = 11;
inline constexpr std::size_t kMaxMembers = 254 - kFirstMemberHost + 1;

class Fabric {
 public:
  static FabricResult create(const FabricOptions& options);

  ~Fabric() = default;
  Fabric(const Fabric&) = delete;
  Fabric& operator=(const Fabric&) = delete;

  const Namespace& hub() const { return hub_; }
  // Null for an unknown id.
  const Namespace* member(std::string_view id) const;
  // Empty for an unknown id.
  std::string member_address(std::string_view id) const;
  const std::vector<std::string>& member_ids() const { return ids_; }

  const std::string& subnet() const { return subnet_; }
  const std::string& client_address() const { return client_address_; }
  const std::string& observer_address() const { return observer_address_; }
  const std::string& proxy_address() const { return proxy_address_; }

  // setns the calling thread into the hub (for the runner's client and
  // observer threads). Returns the error, if any.
  std::optional<std::string> enter_hub_on_this_thread() const {
    return hub_.enter_on_this_thread();
  }

  // Replaces the member's `table inet faultline` with `policy` in one nft
  // transaction (an empty policy removes it). Returns the error, naming the
  // member, the command and nft's message.
  std::optional<std::string> apply_rules(std::string_view id, const NamespacePolicy& policy) const;

  // A tbf qdisc on the member's eth0: everything it sends, to peers and to
  // the hub, leaves at no more than `bytes_per_second`.
  std::optional<std::string> set_bandwidth(std::string_view id,
                                           std::uint64_t bytes_per_second) const;
  // Back to the default qdisc. Idempotent.
  std::optional<std::string> clear_bandwidth(std::string_view id) const;

  // Runs `ip`/`nft`/`tc` style commands in a member's namespace (for checks
  // and diagnostics, e.g. `nft list table inet faultline`).
  std::optional<std::string> run_in_member(std::string_view id,
                                           const std::vector<std::string>& argv,
                                           std::string* out = nullptr) const;

 private:
  struct Member {
    std::string id;
    std::string address;
    Namespace ns;
  };
  Fabric() = default;
  const Member* find(std::string_view id) const;
  std::string unknown_member(std::string_view id) const;

  std::chrono::milliseconds command_timeout_{5000};
  std::string subnet_;
  std::string client_address_, observer_address_, proxy_address_;
  Namespace hub_;
  std::vector<Member> members_;
  std::vector<std::string> ids_;
};

}  // namespace faultline::netns
