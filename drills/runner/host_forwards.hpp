// The members' APIs on the host's loopback, for people exploring a running
// `cluster up` from their own shell: one plain forward (a link proxy with no
// toxic) per member, listening on a free port of 127.0.0.1 in the host's
// namespace and connecting to the member's own address from the hub. Members
// that already live on loopback (proxy and loopback backends) need none.
//
// Thread-safety: the runner's main thread.
#pragma once

#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "chaos/netns/namespace.hpp"
#include "chaos/proxy/proxy_engine.hpp"
#include "drills/targets/target.hpp"

namespace faultline::runner {

class HostForwards {
 public:
  ~HostForwards();
  // Opens a forward for every member of `target`; false with `error`.
  bool open(const netns::Namespace& host, const targets::Target& target, std::string& error);
  // [{"member", "url" (its own), "host_url" (what the host's shell uses)}]
  nlohmann::json describe() const { return described_; }

 private:
  std::unique_ptr<proxy::ProxyEngine> engine_;
  std::vector<std::unique_ptr<proxy::LinkProxy>> links_;
  nlohmann::json described_ = nlohmann::json::array();
};

}  // namespace faultline::runner
