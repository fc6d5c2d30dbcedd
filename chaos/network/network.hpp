// The run's network: where every member lives (Placement) and, when the run
// can act on links, the LinkControl that link faults go through.
//
// Backends (chosen by make_network):
//  - kernel: the run's own network namespaces — a hub for the runner, its
//    clients and its observer, one namespace per member with its own
//    address, veth pairs on a bridge; nftables rules inside the members'
//    namespaces for partitions, loss and resets; link proxies on the hub,
//    interposed by DNAT, for latency and the other toxics. Needs root.
//  - proxy: everything on loopback; members dial their peers through a link
//    proxy each, so latency and connection toxics still apply, and a
//    partition is a proxy that drops what crosses it. Kernel-only faults
//    (loss) are refused. The fallback when namespaces cannot be created.
//  - loopback: everything on loopback, no link control at all (no link
//    faults in the plan: nothing to interpose).
//
// Thread-safety: set-up calls from the runner's main thread; links() as
// LinkControl documents.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "chaos/faults/links.hpp"
#include "chaos/network/placement.hpp"

namespace faultline::network {

struct MemberSlot {
  std::string id;
  bool voter = true;
};

struct NetworkOptions {
  enum class Backend { automatic, kernel, proxy, loopback };
  Backend backend = Backend::automatic;
  std::vector<MemberSlot> members;
  // The plan has link faults: interpose on every member-to-member link from
  // the start (so no connection escapes a later toxic), and on the clients'
  // links when `client_links`.
  bool link_faults = false;
  bool client_links = false;
  std::uint64_t seed = 1;
};

class Network : public Placement {
 public:
  // How the network was made, for the run event and the console.
  virtual std::string describe() const = 0;
  // The link faults' seam; nullptr with the loopback backend.
  virtual faults::LinkControl* links() = 0;
  // Source addresses of the workload's and the observer's traffic (empty:
  // the kernel's choice).
  virtual std::string client_address() const = 0;
  virtual std::string observer_address() const = 0;
  // After the target's configs are written and before any member starts:
  // interpose on the links the members dial. The calling thread (the
  // runner's main thread) enters the hub, with every thread it starts later.
  virtual std::optional<std::string> finish_setup() = 0;
};

// Makes the network the options ask for. With Backend::automatic: kernel
// when namespaces can be made, else proxy when the plan has link faults,
// else loopback. `note` says why a fallback was taken (empty otherwise);
// nullptr with `error` when the asked-for backend cannot be had.
std::unique_ptr<Network> make_network(const NetworkOptions& options, std::string& note,
                                      std::string& error);

}  // namespace faultline::network
