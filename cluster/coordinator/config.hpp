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
// `replication` (default sync): when PUT /api/kv/KEY is answered 200
// (ack_policy.hpp): after commit and apply, once the leader and one
// follower have the entry durably (semi-sync), or after the leader's own
// durable append (async). What Raft commits is the same in every mode.
// `admin_allow` (default ["127.0.0.0/8"]): the IPv4 sources, as prefixes,
// that may use the admin failpoint endpoints (/admin/...); the drill runner
// adds its observer's address.
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

// An IPv4 prefix: the addresses whose first `length` bits equal `address`'s.
struct SourcePrefix {
  std::uint32_t address = 0;  // host byte order
  int length = 32;
  bool contains(std::uint32_t ip) const;
};
// "10.77.0.2", "127.0.0.0/8"; nullopt when it is not one.
std::optional<SourcePrefix> parse_prefix(const std::string& text);

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
  raft::ElectionTimer election_timer = raft::ElectionTimer::wall;
  bool campaign_when_leader_gone = true;  // Coordinator::peer_stream_closed
  std::uint64_t seed = 1;
  bool stale_reads = false;
  settings::Replication replication = settings::Replication::sync;
  // Routed calls: a worker is dead once its heartbeats stop for this long,
  // and a call to a worker fails after it (see routing.cpp).
  std::int64_t worker_timeout_ms = 500;
  std::vector<SourcePrefix> admin_allow{SourcePrefix{0x7f000000u, 8}};
  settings::Settings settings;

  const Member* member(std::uint32_t member_id) const;
};

// Reads and checks a settings file. On failure returns nullopt and sets
// `error` to every problem, one a line, each naming the file and the JSON path.
std::optional<Config> load_config(const std::filesystem::path& file, std::string& error);

}  // namespace faultline::coordinator
