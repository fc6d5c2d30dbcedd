#include "chaos/network/proxy_backend.hpp"

#include <future>

#include "chaos/network/round_trip.hpp"

namespace faultline::network {
namespace {
constexpr auto kReachTimeout = std::chrono::milliseconds(500);
constexpr auto kRttTimeout = std::chrono::milliseconds(5000);
}  // namespace

ProxyNetwork::ProxyNetwork(NetworkOptions options) : LoopbackNetwork(std::move(options)), proxies_(true, options_.seed) {}

Endpoint ProxyNetwork::dial(const std::string& from, const std::string& to, const std::string& name) {
  const int target_port = port(to, name);
  auto& names = member_ports_[to];
  if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  const bool interpose = from == faults::kClients ? options_.client_links : options_.link_faults;
  if (!interpose) return {"127.0.0.1", target_port};
  std::string error;
  const int proxy_port = proxies_.open({from, to, name}, "127.0.0.1", "127.0.0.1", target_port, "", error);
  if (proxy_port <= 0) return {"127.0.0.1", target_port};
  return {"127.0.0.1", proxy_port};
}

void ProxyNetwork::probe_with(const std::string& port_name, std::string payload) {
  probes_[port_name] = std::move(payload);
}

std::string ProxyNetwork::describe() const {
  return "proxy: every member on 127.0.0.1, each member dialling its peers through a link proxy of its own "
         "(no network namespaces)";
}

std::optional<std::string> ProxyNetwork::set(int owner, const faults::LinkEffects& effects) {
  for (const auto& [link, effect] : effects) {
    if (effect.loss > 0) return "loss needs the kernel network backend (packets, not connections)";
    bool interposed = false;
    for (const auto& [key, proxy] : proxies_.links()) {
      if (key.from == link.from && key.to == link.to) interposed = true;
      if (key.from == link.to && key.to == link.from) interposed = true;
    }
    if (!interposed) {
      return "the link " + link.from + "->" + link.to + " goes through no proxy (the member does not dial it, or "
             "its program cannot be given a proxy's address)";
    }
  }
  state_.set(owner, effects);
  if (auto error = proxies_.apply(state_.composed())) {
    state_.clear(owner);
    proxies_.apply(state_.composed());
    return error;
  }
  std::vector<faults::Link> links;
  for (const auto& [link, effect] : effects) links.push_back(link);
  proxies_.mark(links);
  return std::nullopt;
}

std::optional<std::string> ProxyNetwork::clear(int owner) {
  if (!state_.has(owner)) return std::nullopt;
  state_.clear(owner);
  return proxies_.apply(state_.composed());
}

std::optional<std::string> ProxyNetwork::verify(int owner) {
  const faults::LinkEffects* effects = state_.of(owner);
  if (effects == nullptr) return "nothing of fault " + std::to_string(owner) + " is in force";
  std::vector<faults::Link> links;
  for (const auto& [link, effect] : *effects) links.push_back(link);
  return proxies_.verify(links, state_.composed());
}

nlohmann::json ProxyNetwork::counters(int owner) {
  const faults::LinkEffects* effects = state_.of(owner);
  if (effects == nullptr) return nlohmann::json::object();
  std::vector<faults::Link> links;
  for (const auto& [link, effect] : *effects) links.push_back(link);
  return {{"proxies", proxies_.traffic(links)}};
}

std::optional<std::pair<std::string, int>> ProxyNetwork::probe_target(const std::string& from,
                                                                      const std::string& to) const {
  const auto it = member_ports_.find(to);
  if (it == member_ports_.end() || it->second.empty()) return std::nullopt;
  const auto port = proxies_.port_of({from, to, it->second.front()});
  if (!port) return std::nullopt;
  return std::make_pair(it->second.front(), *port);
}

std::vector<faults::ReachProbe> ProxyNetwork::reachability(const std::vector<std::string>& members) {
  // A connect always succeeds (the proxy accepts): reachable means a request
  // through the member's proxy for the peer is answered.
  std::vector<std::future<faults::ReachProbe>> asked;
  for (const auto& a : members) {
    for (const auto& b : members) {
      if (a == b) continue;
      asked.push_back(std::async(std::launch::async, [this, a, b] {
        faults::ReachProbe p{a, b, 0, false, "no proxy", 0};
        const auto target = probe_target(a, b);
        if (!target) return p;
        p.port = target->second;
        const auto payload = probes_.count(target->first) ? probes_.at(target->first) : std::string(kHttpProbe);
        const RoundTrips trips = round_trips(nullptr, "127.0.0.1", target->second, payload, 1, kReachTimeout);
        p.reachable = !trips.samples_ms.empty();
        p.outcome = p.reachable ? "answered" : "timeout";
        p.elapsed_ms = p.reachable ? trips.samples_ms.front() : static_cast<double>(kReachTimeout.count());
        return p;
      }));
    }
  }
  std::vector<faults::ReachProbe> out;
  for (auto& a : asked) out.push_back(a.get());
  return out;
}

faults::RttProbe ProxyNetwork::rtt(const faults::Link& link, int count) {
  faults::RttProbe out;
  out.link = link;
  const auto target = probe_target(link.from, link.to);
  if (!target) {
    out.error = "no proxy carries " + link.from + "->" + link.to;
    return out;
  }
  out.port = target->second;
  const auto payload = probes_.count(target->first) ? probes_.at(target->first) : std::string(kHttpProbe);
  const RoundTrips trips = round_trips(nullptr, "127.0.0.1", target->second, payload, count, kRttTimeout);
  out.samples_ms = trips.samples_ms;
  out.error = trips.error;
  return out;
}

}  // namespace faultline::network
