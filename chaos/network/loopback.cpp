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

}  // namespace faultline::network
