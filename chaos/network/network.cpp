// make_network: the backend a run gets.
#include "chaos/network/kernel.hpp"
#include "chaos/network/proxy_backend.hpp"

namespace faultline::network {

std::unique_ptr<Network> make_network(const NetworkOptions& options, std::string& note, std::string& error) {
  using Backend = NetworkOptions::Backend;
  note.clear();
  error.clear();
  switch (options.backend) {
    case Backend::kernel: {
      auto net = KernelNetwork::create(options, error);
      if (!net) error = "the kernel network backend is not available: " + error;
      return net;
    }
    case Backend::proxy:
      return std::make_unique<ProxyNetwork>(options);
    case Backend::loopback:
      if (options.link_faults) {
        error = "the plan has link faults, which the loopback backend cannot carry; use --network auto, kernel or "
                "proxy";
        return nullptr;
      }
      return std::make_unique<LoopbackNetwork>(options);
    case Backend::automatic:
      break;
  }
  std::string why;
  if (auto net = KernelNetwork::create(options, why)) return net;
  note = "network namespaces are not available (" + why + "); " +
         (options.link_faults ? "falling back to link proxies on loopback" : "members run on loopback");
  if (options.link_faults) return std::make_unique<ProxyNetwork>(options);
  return std::make_unique<LoopbackNetwork>(options);
}

}  // namespace faultline::network
