// Placement: where the members of a run live — each member's own address,
// the network namespace its processes enter, the ports it listens on, and
// what a peer dials to reach it. The run's network implements it; targets
// ask it while they write their members' configs (drills/targets).
//
// Thread-safety: used from the runner's main thread during set-up.
#pragma once

#include <string>

namespace faultline::network {

struct Endpoint {
  std::string host;
  int port = 0;
  std::string text() const { return host + ":" + std::to_string(port); }
};

class Placement {
 public:
  virtual ~Placement() = default;
  // The member's own address (all of its ports listen there).
  virtual std::string address(const std::string& id) const = 0;
  // The network namespace the member's processes enter (-1: the runner's).
  virtual int netns_fd(const std::string& id) const = 0;
  // The port `id` listens on for `name` ("api", "raft", "peer"...), chosen
  // once and kept for the run (a restarted member gets the same port); 0
  // when no port can be had.
  virtual int port(const std::string& id, const std::string& name) = 0;
  // What `from` dials to reach `to`'s port `name`. With the kernel backend,
  // `to`'s own address and port (the network interposes transparently); with
  // the proxy backend, the link's proxy on loopback.
  virtual Endpoint dial(const std::string& from, const std::string& to, const std::string& name) = 0;
  // What a probe sends to ports called `port_name` to get an answer (default:
  // an HTTP request line; Redis ports answer "PING").
  virtual void probe_with(const std::string& /*port_name*/, std::string /*payload*/) {}
  // "kernel", "proxy" or "loopback" (network.hpp). Targets whose programs
  // take one peer list for every member (etcd) cannot be interposed on by
  // the proxy backend, whose proxies are per link: they ask this to refuse
  // link faults there.
  virtual std::string backend() const = 0;
};

}  // namespace faultline::network
