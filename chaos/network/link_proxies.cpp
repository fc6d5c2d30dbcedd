#include "chaos/network/link_proxies.hpp"

namespace faultline::network {
namespace {

proxy::Distribution distribution_of(const std::string& name) {
  return proxy::parse_distribution(name).value_or(proxy::Distribution::uniform);
}

const faults::LinkEffect* find(const faults::LinkEffects& composed, const std::string& from, const std::string& to) {
  const auto it = composed.find(faults::Link{from, to});
  return it == composed.end() ? nullptr : &it->second;
}

}  // namespace

LinkProxies::LinkProxies(bool proxy_only, std::uint64_t seed)
    : proxy_only_(proxy_only), seed_(seed) {}

LinkProxies::~LinkProxies() {
  links_.clear();  // closes every link before the engine goes
  engine_.reset();
}

int LinkProxies::open(const ProxyKey& key, const std::string& listen_address, const std::string& upstream_address,
                      int upstream_port, const std::string& source_address, std::string& error) {
  if (auto existing = port_of(key)) return *existing;
  // The engine's threads are made here, on the caller's thread, so they live
  // in its network namespace (the hub, with the kernel backend).
  if (!engine_) engine_ = std::make_unique<proxy::ProxyEngine>();
  proxy::LinkSpec spec;
  spec.name = key.from + "->" + key.to + ":" + key.port_name;
  spec.listen = {listen_address, 0};
  spec.upstream = {upstream_address, static_cast<std::uint16_t>(upstream_port)};
  spec.source_address = source_address;
  spec.seed = seed_ ^ std::hash<std::string>{}(spec.name);
  auto made = engine_->create_link(spec);
  if (!made.ok()) {
    error = made.error;
    return 0;
  }
  const int port = made.link->port();
  links_[key] = std::move(made.link);
  return port;
}

std::optional<int> LinkProxies::port_of(const ProxyKey& key) const {
  const auto it = links_.find(key);
  if (it == links_.end()) return std::nullopt;
  return it->second->port();
}

proxy::Toxics LinkProxies::toxics_of(const faults::LinkEffect* e) const {
  proxy::Toxics t;
  if (e == nullptr) return t;
  t.latency_ms = e->latency_ms;
  t.jitter_ms = e->jitter_ms;
  t.distribution = distribution_of(e->distribution);
  t.bandwidth_bytes_per_s = static_cast<std::uint64_t>(e->bandwidth_bytes_per_s);
  t.blackhole = e->blackhole || (proxy_only_ && e->blocked);
  t.reset = e->reset && proxy_only_;  // the kernel backend resets with nft
  t.slow_close_ms = static_cast<std::uint32_t>(e->slow_close_ms);
  if (e->timeout_ms) t.timeout_ms = static_cast<std::uint32_t>(*e->timeout_ms);
  if (e->limit_bytes) t.limit_bytes = static_cast<std::uint64_t>(*e->limit_bytes);
  return t;
}

std::optional<std::string> LinkProxies::apply(const faults::LinkEffects& composed) {
  for (auto& [key, link] : links_) {
    proxy::Toxics up = toxics_of(find(composed, key.from, key.to));
    proxy::Toxics down = toxics_of(find(composed, key.to, key.from));
    // A partition of the initiator (proxy backend): its connections carry
    // nothing either way.
    if (proxy_only_) {
      const auto* forward = find(composed, key.from, key.to);
      if (forward != nullptr && forward->blocked) down.blackhole = true;
    }
    if (auto error = link->set_toxics(proxy::Direction::upstream, up)) return *error;
    if (auto error = link->set_toxics(proxy::Direction::downstream, down)) return *error;
  }
  return std::nullopt;
}

std::optional<std::string> LinkProxies::verify(const std::vector<faults::Link>& links,
                                               const faults::LinkEffects& composed) const {
  for (const auto& [key, link] : links_) {
    for (const auto& l : links) {
      if (l.from != key.from || l.to != key.to) continue;
      const proxy::Toxics want = toxics_of(find(composed, key.from, key.to));
      const proxy::Toxics have = link->toxics(proxy::Direction::upstream);
      if (have.latency_ms != want.latency_ms || have.bandwidth_bytes_per_s != want.bandwidth_bytes_per_s ||
          have.blackhole != want.blackhole) {
        return "the proxy " + link->name() + " does not carry the toxics asked for";
      }
    }
  }
  return std::nullopt;
}

void LinkProxies::mark(const std::vector<faults::Link>& links) {
  for (const auto& [key, link] : links_) {
    const auto stats = link->stats();
    marks_[key] = {stats.bytes_upstream, stats.bytes_downstream};
  }
  for (const auto& l : links) marked_at_[l] = std::chrono::steady_clock::now();
}

nlohmann::json LinkProxies::traffic(const std::vector<faults::Link>& links) const {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& l : links) {
    std::uint64_t bytes = 0;
    for (const auto& [key, link] : links_) {
      const auto stats = link->stats();
      const auto mark = marks_.count(key) ? marks_.at(key) : std::pair<std::uint64_t, std::uint64_t>{0, 0};
      if (key.from == l.from && key.to == l.to) bytes += stats.bytes_upstream - mark.first;
      if (key.from == l.to && key.to == l.from) bytes += stats.bytes_downstream - mark.second;
    }
    const auto at = marked_at_.find(l);
    const double seconds =
        at == marked_at_.end()
            ? 0.0
            : std::chrono::duration<double>(std::chrono::steady_clock::now() - at->second).count();
    out.push_back({{"link", nlohmann::json::array({l.from, l.to})},
                   {"bytes", bytes},
                   {"seconds", seconds},
                   {"bytes_per_s", seconds > 0 ? static_cast<double>(bytes) / seconds : 0.0}});
  }
  return out;
}

}  // namespace faultline::network
