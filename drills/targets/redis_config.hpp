// The configuration files of a redis-sentinel target's members, rendered as
// text. Every path a member may write (its data folder, the sentinel's own
// config file, which Sentinel rewrites as it learns) lies in the member's
// folder in the run folder; logs go to standard output, which the supervisor
// appends to the member's log file there. Nothing daemonizes.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "chaos/network/placement.hpp"

namespace faultline::targets {

// The name the sentinels monitor the primary under.
inline constexpr const char* kRedisMasterName = "faultline";

struct ServerConfig {
  std::string address;  // binds and announces this address
  int port = 0;
  std::filesystem::path dir;
  std::optional<network::Endpoint> replica_of;  // replicas: the primary's real address
  int min_replicas_to_write = 0;
  int min_replicas_max_lag_s = 10;
};

struct SentinelConfig {
  std::string address;  // binds and announces this address
  int port = 0;
  std::filesystem::path dir;
  network::Endpoint primary;  // the first primary's real address
  int quorum = 2;
  std::int64_t down_after_ms = 1000;
  std::int64_t failover_timeout_ms = 5000;
  // What Sentinel would otherwise learn over its first seconds (the
  // replicas from the primary's INFO, every 10 s; the other sentinels from
  // their hellos, every 2 s), written as Sentinel itself writes it on a
  // config rewrite: its own id, the replicas' addresses and every other
  // sentinel's address and id. Empty: learned as it runs.
  std::string myid;  // 40 hex digits, unique among the sentinels
  std::vector<network::Endpoint> known_replicas;
  std::vector<std::pair<network::Endpoint, std::string>> known_sentinels;  // address, myid
};

// A sentinel's id (40 lowercase hex digits) derived from its member id:
// the same id gives the same sentinel id, distinct ids distinct ones.
std::string sentinel_id(const std::string& member_id);

std::string server_config(const ServerConfig& c);
std::string sentinel_config(const SentinelConfig& c);

}  // namespace faultline::targets
