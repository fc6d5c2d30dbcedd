// Configuration of one reference-cluster coordinator, read from an
// mcp_settings.json whose systemConfig.cluster.mode is "coordinator"
// (cluster/settings/settings.hpp; docs/reference-cluster.md lists every
// field). The fields below are the ones the Raft member uses, taken from
// systemConfig.cluster.coordinator; `settings` keeps the whole file (the
// sticky strategy, balancing, breaker and timeouts the MCP router uses).
//
// `listen` (HTTP API) and `raft_listen` (the Raft streams of the peers,
// raft_stream.hpp) are bound exactly as given, port 0 meaning any free port;
// any IPv4 address but 0.0.0.0 is accepted.
// `members` lists every coordinator of the group, this one included: `url`
// is how clients, nodes and leader hints reach it, `raft` where its peers
// connect.
// `stale_reads` (default false) is an unsafe mode kept for drills: GET
// /api/kv/KEY is answered by any member from its own applied state, without
// a barrier through the log, so reads may be stale (not linearizable).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cluster/net/endpoint.hpp"
#include "cluster/settings/settings.hpp"

namespace faultline::coordinator {

struct Member {
  std::uint32_t id = 0;
  std::string name;
  std::string url;    // base URL, e.g. http://10.77.0.11:7000
  net::Endpoint raft;  // its Raft port, e.g. 10.77.0.11:7100
};

struct Config {
  std::uint32_t id = 0;
  std::string name;
  net::Endpoint listen;
  net::Endpoint raft_listen;
  std::filesystem::path data_dir;
  std::vector<Member> members;
  std::int64_t election_timeout_min_ms = 300;
  std::int64_t election_timeout_max_ms = 600;
  std::int64_t heartbeat_ms = 50;
  std::uint64_t seed = 1;
  bool stale_reads = false;
  // Routed calls: a worker is dead once its heartbeats stop for this long,
  // and a call to a worker fails after it (see routing.cpp).
  std::int64_t worker_timeout_ms = 500;
  settings::Settings settings;

  const Member* member(std::uint32_t member_id) const;
};

// Reads and checks a settings file. On failure returns nullopt and sets
// `error` to every problem, one a line, each naming the file and the JSON path.
std::optional<Config> load_config(const std::filesystem::path& file, std::string& error);

}  // namespace faultline::coordinator
