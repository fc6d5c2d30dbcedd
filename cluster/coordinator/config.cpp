#include "cluster/coordinator/config.hpp"

namespace faultline::coordinator {

const Member* Config::member(std::uint32_t member_id) const {
  for (const auto& m : members) {
    if (m.id == member_id) return &m;
  }
  return nullptr;
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
  config.seed = c.seed;
  config.stale_reads = c.stale_reads;
  config.worker_timeout_ms = c.routed_call_timeout_ms;
  config.settings = std::move(*s);
  return config;
}

}  // namespace faultline::coordinator
