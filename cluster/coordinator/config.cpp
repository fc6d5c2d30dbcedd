#include "cluster/coordinator/config.hpp"

#include <arpa/inet.h>

#include <stdexcept>

#include "cluster/http/config_file.hpp"

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
  const auto read = http::read_config_object(file.string(), "coordinator", error);
  if (!read) return std::nullopt;
  const nlohmann::json& json = *read;
  Config config;
  try {
    config.id = json.at("id").get<std::uint32_t>();
    config.name = json.at("name").get<std::string>();
    const auto field = [](const nlohmann::json& object, const char* key) {
      return object.contains(key) ? object[key] : nlohmann::json();
    };
    config.listen = http::parse_address(field(json, "listen"), "$.listen", http::AddressUse::listen);
    config.raft_listen =
        http::parse_address(field(json, "raft_listen"), "$.raft_listen", http::AddressUse::listen);
    config.data_dir = json.at("data_dir").get<std::string>();
    const auto& members = json.at("members");
    for (std::size_t i = 0; i < members.size(); ++i) {
      const auto& m = members.at(i);
      const std::string path = "$.members[" + std::to_string(i) + "]";
      config.members.push_back(
          Member{m.at("id").get<std::uint32_t>(), m.at("name").get<std::string>(),
                 m.at("url").get<std::string>(),
                 http::parse_address(field(m, "raft"), path + ".raft", http::AddressUse::connect)});
    }
    if (json.contains("election_timeout_ms")) {
      config.election_timeout_min_ms = json["election_timeout_ms"].at(0).get<std::int64_t>();
      config.election_timeout_max_ms = json["election_timeout_ms"].at(1).get<std::int64_t>();
    }
    if (json.contains("heartbeat_ms")) config.heartbeat_ms = json["heartbeat_ms"].get<std::int64_t>();
    if (json.contains("seed")) config.seed = json["seed"].get<std::uint64_t>();
    if (json.contains("stale_reads")) config.stale_reads = json["stale_reads"].get<bool>();
    if (json.contains("worker_timeout_ms")) {
      config.worker_timeout_ms = json["worker_timeout_ms"].get<std::int64_t>();
      if (config.worker_timeout_ms < 1) throw std::invalid_argument("$.worker_timeout_ms must be at least 1");
    }
    if (json.contains("admin_allow")) {
      config.admin_allow.clear();
      const auto& allow = json.at("admin_allow");
      for (std::size_t i = 0; i < allow.size(); ++i) {
        const auto prefix = parse_prefix(allow.at(i).get<std::string>());
        if (!prefix) {
          throw std::invalid_argument("$.admin_allow[" + std::to_string(i) +
                                      "] must be an IPv4 address or prefix such as 127.0.0.0/8");
        }
        config.admin_allow.push_back(*prefix);
      }
    }
  } catch (const std::exception& e) {
    error = file.string() + ": " + e.what();
    return std::nullopt;
  }
  if (config.member(config.id) == nullptr) {
    error = file.string() + ": $.members does not contain this coordinator's id " +
            std::to_string(config.id);
    return std::nullopt;
  }
  return config;
}

}  // namespace faultline::coordinator
