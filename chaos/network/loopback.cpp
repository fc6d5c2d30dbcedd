#include "chaos/network/loopback.hpp"

namespace faultline::network {

std::string LoopbackNetwork::address(const std::string&) const { return "127.0.0.1"; }

int LoopbackNetwork::port(const std::string& id, const std::string& name) {
  auto it = ports_.find({id, name});
  if (it == ports_.end()) {
    PortReservation r = PortReservation::reserve("127.0.0.1");
    if (!r.ok()) return 0;
    it = ports_.emplace(std::make_pair(id, name), std::move(r)).first;
  }
  return it->second.port();
}

Endpoint LoopbackNetwork::dial(const std::string&, const std::string& to, const std::string& name) {
  return Endpoint{address(to), port(to, name)};
}

std::string LoopbackNetwork::describe() const {
  return "loopback: every member on 127.0.0.1, ports reserved for the run; no link faults";
}

std::unique_ptr<Network> make_network(const NetworkOptions& options, std::string& note,
                                      std::string& error) {
  note.clear();
  error.clear();
  if (options.backend == NetworkOptions::Backend::kernel || options.backend == NetworkOptions::Backend::proxy) {
    error = "this build has no kernel or proxy network backend yet";
    return nullptr;
  }
  if (options.link_faults) {
    error = "the plan has link faults, which need the kernel or the proxy network backend";
    return nullptr;
  }
  return std::make_unique<LoopbackNetwork>(options);
}

}  // namespace faultline::network
