#include "chaos/network/kernel.hpp"

#include <set>

#include "chaos/netns/connect_probe.hpp"
#include "chaos/netns/fabric_policy.hpp"
#include "chaos/netns/probe.hpp"
#include "chaos/network/nft_counters.hpp"
#include "chaos/network/round_trip.hpp"

namespace faultline::network {
namespace {

constexpr int kFirstPort = 7001;
constexpr auto kReachTimeout = std::chrono::milliseconds(300);
constexpr auto kRttTimeout = std::chrono::milliseconds(5000);

netns::LinkFault kernel_part(const faults::LinkEffect& e) { return {e.blocked, e.reset, e.loss, false}; }

}  // namespace

std::unique_ptr<KernelNetwork> KernelNetwork::create(const NetworkOptions& options, std::string& error) {
  const netns::ProbeResult probe = netns::probe();
  if (!probe.available) {
    error = probe.reason;
    return nullptr;
  }
  netns::FabricOptions fabric_options;
  for (const auto& m : options.members) fabric_options.members.push_back(m.id);
  auto made = netns::Fabric::create(fabric_options);
  if (!made.ok()) {
    error = made.error;
    return nullptr;
  }
  // From here on the runner's main thread, and every thread it starts
  // (clients, observer, link proxies), lives in the hub.
  if (auto failed = made.fabric->enter_hub_on_this_thread()) {
    error = "cannot enter the run's hub namespace: " + *failed;
    return nullptr;
  }
  return std::unique_ptr<KernelNetwork>(new KernelNetwork(options, std::move(made.fabric)));
}

KernelNetwork::KernelNetwork(NetworkOptions options, std::unique_ptr<netns::Fabric> fabric)
    : options_(std::move(options)), fabric_(std::move(fabric)), proxies_(false, options_.seed) {}

std::string KernelNetwork::address(const std::string& id) const { return fabric_->member_address(id); }

int KernelNetwork::netns_fd(const std::string& id) const {
  const netns::Namespace* ns = fabric_->member(id);
  return ns ? ns->fd() : -1;
}

int KernelNetwork::port(const std::string& id, const std::string& name) {
  auto it = port_numbers_.find(name);
  if (it == port_numbers_.end()) {
    it = port_numbers_.emplace(name, kFirstPort + static_cast<int>(port_numbers_.size())).first;
  }
  auto& names = member_ports_[id];
  if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  return it->second;
}

Endpoint KernelNetwork::dial(const std::string& from, const std::string& to, const std::string& name) {
  const int target_port = port(to, name);
  if (from == faults::kClients && options_.client_links) {
    // The clients are ours: they dial their link proxy directly, which
    // leaves toward the member from the clients' own address, so rules on
    // client links still see the clients.
    std::string error;
    const int proxy_port = proxies_.open({from, to, name}, fabric_->proxy_address(), address(to), target_port,
                                         fabric_->client_address(), error);
    if (proxy_port > 0) return {fabric_->proxy_address(), proxy_port};
  }
  return {address(to), target_port};
}

void KernelNetwork::probe_with(const std::string& port_name, std::string payload) {
  probes_[port_name] = std::move(payload);
}

std::string KernelNetwork::describe() const {
  return "kernel: one network namespace per member on " + fabric_->subnet() + " (hub " +
         fabric_->client_address() + " clients, " + fabric_->observer_address() + " observer, " +
         fabric_->proxy_address() + " link proxies)" +
         (options_.link_faults ? "; every member-to-member link interposed by a proxy" : "");
}

std::optional<std::string> KernelNetwork::finish_setup() {
  if (!options_.link_faults) return std::nullopt;
  for (const auto& a : options_.members) {
    for (const auto& [b, names] : member_ports_) {
      if (a.id == b) continue;
      for (const auto& name : names) {
        std::string error;
        const int proxy_port = proxies_.open({a.id, b, name}, fabric_->proxy_address(), address(b), port(b, name),
                                             fabric_->proxy_address(), error);
        if (proxy_port <= 0) return "cannot open the link proxy " + a.id + "->" + b + ":" + name + ": " + error;
        redirects_.push_back({a.id, b, static_cast<std::uint16_t>(port(b, name)),
                              static_cast<std::uint16_t>(proxy_port), ""});
      }
    }
  }
  return render();
}

std::optional<std::string> KernelNetwork::render() {
  const faults::LinkEffects composed = state_.composed();
  netns::FabricPolicy policy;
  for (const auto& [link, effect] : composed) {
    if (!effect.needs_kernel()) continue;
    if (link.from == faults::kClients) {
      policy.clients_to[link.to] = kernel_part(effect);
    } else if (link.to == faults::kClients) {
      policy.to_clients[link.from] = kernel_part(effect);
    } else {
      policy.links[{link.from, link.to}] = kernel_part(effect);
    }
  }
  policy.redirects = redirects_;
  if (auto error = netns::apply_policy(*fabric_, policy)) return error;
  return proxies_.apply(composed);
}

std::optional<std::string> KernelNetwork::set(int owner, const faults::LinkEffects& effects) {
  for (const auto& [link, effect] : effects) {
    if (effect.needs_proxy() && !proxied(link)) {
      return "the link " + link.from + "->" + link.to +
             " has no link proxy: proxies are interposed at set-up for plans with link faults" +
             std::string(link.from == faults::kClients || link.to == faults::kClients
                             ? " (on the clients' links, for faults with clients: true)"
                             : "");
    }
  }
  state_.set(owner, effects);
  if (auto error = render()) {
    state_.clear(owner);
    render();
    return error;
  }
  std::vector<faults::Link> links;
  for (const auto& [link, effect] : effects) links.push_back(link);
  proxies_.mark(links);
  return std::nullopt;
}

std::optional<std::string> KernelNetwork::clear(int owner) {
  if (!state_.has(owner)) return std::nullopt;
  state_.clear(owner);
  return render();
}

std::optional<std::string> KernelNetwork::verify(int owner) {
  const faults::LinkEffects* effects = state_.of(owner);
  if (effects == nullptr) return "nothing of fault " + std::to_string(owner) + " is in force";
  std::vector<faults::Link> links;
  for (const auto& [link, effect] : *effects) {
    links.push_back(link);
    if (!effect.needs_kernel() || link.from == faults::kClients) continue;
    const std::string dest = link.to == faults::kClients ? fabric_->client_address() : address(link.to);
    std::string table;
    if (auto error = fabric_->run_in_member(link.from, {"nft", "list", "table", "inet", "faultline"}, &table)) {
      return "cannot read the rules of " + link.from + ": " + *error;
    }
    if (table.find(dest) == std::string::npos) {
      return "the rules of " + link.from + " do not name " + link.to + " (" + dest + ")";
    }
  }
  return proxies_.verify(links, state_.composed());
}

nlohmann::json KernelNetwork::counters(int owner) {
  const faults::LinkEffects* effects = state_.of(owner);
  nlohmann::json out = nlohmann::json::object();
  if (effects == nullptr) return out;
  std::vector<faults::Link> links;
  nlohmann::json kernel = nlohmann::json::array();
  std::map<std::string, std::string> tables;  // sender -> `nft -j list` output
  for (const auto& [link, effect] : *effects) {
    links.push_back(link);
    if (!effect.needs_kernel() || link.from == faults::kClients) continue;
    if (!tables.count(link.from)) {
      std::string json_text;
      fabric_->run_in_member(link.from, {"nft", "-j", "list", "table", "inet", "faultline"}, &json_text);
      tables[link.from] = json_text;
    }
    const std::string dest = link.to == faults::kClients ? fabric_->client_address() : address(link.to);
    const RuleCounts counts = count_rules_naming(tables[link.from], dest);
    kernel.push_back({{"link", nlohmann::json::array({link.from, link.to})},
                      {"packets_seen", counts.seen},
                      {"packets_dropped", counts.dropped},
                      {"drop_rate", counts.seen > 0 ? static_cast<double>(counts.dropped) / static_cast<double>(counts.seen)
                                                    : 0.0}});
  }
  if (!kernel.empty()) out["nftables"] = kernel;
  if (!proxies_.empty()) out["proxies"] = proxies_.traffic(links);
  return out;
}

bool KernelNetwork::proxied(const faults::Link& link) const {
  for (const auto& [key, proxy] : proxies_.links()) {
    if ((key.from == link.from && key.to == link.to) || (key.from == link.to && key.to == link.from)) return true;
  }
  return false;
}

std::optional<std::pair<std::string, int>> KernelNetwork::first_port(const std::string& id) const {
  const auto it = member_ports_.find(id);
  if (it == member_ports_.end() || it->second.empty()) return std::nullopt;
  return std::make_pair(it->second.front(), port_numbers_.at(it->second.front()));
}

std::vector<faults::ReachProbe> KernelNetwork::reachability(const std::vector<std::string>& members) {
  std::vector<netns::ProbeSource> froms;
  std::vector<netns::Endpoint> targets;
  for (const auto& id : members) {
    froms.push_back({fabric_->member(id), ""});
    const auto port = first_port(id);
    targets.push_back({address(id), static_cast<std::uint16_t>(port ? port->second : 0)});
  }
  const auto matrix = netns::reachability(froms, targets, kReachTimeout);
  std::vector<faults::ReachProbe> out;
  for (std::size_t i = 0; i < members.size(); ++i) {
    for (std::size_t j = 0; j < members.size(); ++j) {
      if (i == j) continue;
      const auto& cell = matrix.cells[i][j];
      out.push_back({members[i], members[j], targets[j].port, cell.connected(),
                     cell.outcome == netns::ConnectOutcome::error ? "error: " + cell.error
                                                                  : netns::outcome_name(cell.outcome),
                     static_cast<double>(cell.elapsed.count()) / 1000.0});
    }
  }
  return out;
}

faults::RttProbe KernelNetwork::rtt(const faults::Link& link, int count) {
  faults::RttProbe out;
  out.link = link;
  const auto port = first_port(link.to);
  if (!port || link.from == faults::kClients || link.to == faults::kClients) {
    out.error = "no port to probe on " + link.from + "->" + link.to;
    return out;
  }
  out.port = port->second;
  const auto it = probes_.find(port->first);
  const RoundTrips trips = round_trips(fabric_->member(link.from), address(link.to), port->second,
                                       it == probes_.end() ? kHttpProbe : it->second, count, kRttTimeout);
  out.samples_ms = trips.samples_ms;
  out.error = trips.error;
  return out;
}

}  // namespace faultline::network
