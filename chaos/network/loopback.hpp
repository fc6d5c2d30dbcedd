// The loopback backend: every member on 127.0.0.1 with ports reserved for
// the whole run (port_reservation.hpp), peers dialled directly, no link
// control. Used when the plan has no link faults and namespaces are not
// wanted or cannot be made.
#pragma once

#include <map>
#include <utility>

#include "chaos/network/network.hpp"
#include "chaos/network/port_reservation.hpp"

namespace faultline::network {

class LoopbackNetwork : public Network {
 public:
  explicit LoopbackNetwork(NetworkOptions options) : options_(std::move(options)) {}

  std::string address(const std::string& id) const override;
  int netns_fd(const std::string&) const override { return -1; }
  int port(const std::string& id, const std::string& name) override;
  Endpoint dial(const std::string& from, const std::string& to, const std::string& name) override;

  std::string backend() const override { return "loopback"; }
  std::string describe() const override;
  faults::LinkControl* links() override { return nullptr; }
  std::string client_address() const override { return ""; }
  std::string observer_address() const override { return ""; }
  std::optional<std::string> finish_setup() override { return std::nullopt; }

 protected:
  NetworkOptions options_;
  std::map<std::pair<std::string, std::string>, PortReservation> ports_;  // (member, name)
};

}  // namespace faultline::network
