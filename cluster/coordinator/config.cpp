#include "cluster/coordinator/config.hpp"

#include <arpa/inet.h>

#include <stdexcept>

namespace faultline::coordinator {

const Member* Config::member(std::uint32_t member_id) const {
  for (const auto& m : members) {
    if (m.id == member_id) return &m;
  }
  return nullptr;
}

bool SourcePrefix::contains(std::uint32_t ip) const {
  if (length <= 0) return true;
  const std::uint32_t mask = length >= 32 ? 0xffffffffu : ~((1u << (32 - length)) - 1u);
  return (ip & mask) == (address & mask);
}

std::optional<SourcePrefix> parse_prefix(const std::string& text) {
  const auto slash = text.find('/');
  const std::string ip = text.substr(0, slash);
  in_addr parsed{};
  if (::inet_pton(AF_INET, ip.c_str(), &parsed) != 1) return std::nullopt;
  SourcePrefix p{ntohl(parsed.s_addr), 32};
  if (slash != std::string::npos) {
    try {
      std::size_t used = 0;
      p.length = std::stoi(text.substr(slash + 1), &used);
      if (used != text.size() - slash - 1 || p.length < 0 || p.length > 32) return std::nullopt;
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return p;
}

std::optional<Config> load_config(const std::filesystem::path& file, std::string& error) {
  auto s = settings::load_for(file, settings::Mode::coordinator, error);
  if (!s) return std::nullopt;
  const settings::CoordinatorSettings& c = s->coordinator;
  Config config;
  config.id = c.id;
  config.name = c.name;
  config.listen = c.listen;
  config.raft_listen = c.raft_listen;
  config.data_dir = c.data_dir;
  for (const auto& p : c.peers) config.members.push_back(Member{p.id, p.name, p.url, p.raft});
  config.election_timeout_min_ms = c.election_timeout_min_ms;
  config.election_timeout_max_ms = c.election_timeout_max_ms;
  config.heartbeat_ms = c.heartbeat_ms;
  config.election_timer = c.election_timer;
  config.campaign_when_leader_gone = c.campaign_when_leader_gone;
  config.seed = c.seed;
  config.stale_reads = c.stale_reads;
  config.replication = c.replication;
  config.worker_timeout_ms = c.routed_call_timeout_ms;
  config.admin_allow.clear();
  for (std::size_t i = 0; i < c.admin_allow.size(); ++i) {
    const auto prefix = parse_prefix(c.admin_allow[i]);
    if (!prefix) {
      error = file.string() + ": systemConfig.cluster.coordinator.adminAllow[" + std::to_string(i) + "]: " +
              "expected an IPv4 address or prefix such as 127.0.0.0/8, found \"" + c.admin_allow[i] + "\"";
      return std::nullopt;
    }
    config.admin_allow.push_back(*prefix);
  }
  // Last: `c` refers into *s.
  config.settings = std::move(*s);
  return config;
}

}  // namespace faultline::coordinator
