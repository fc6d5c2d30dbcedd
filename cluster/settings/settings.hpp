// mcp_settings.json: the one configuration format of the reference cluster's
// processes, as MCPHub documents it (`systemConfig.cluster` and the
// `mcpServers` map), with what a replicated coordinator group needs beyond it
// in the same style under `systemConfig.cluster` (docs/reference-cluster.md
// lists every field, its default and its meaning).
//
// Reading is strict where a typo would change behaviour silently (every
// object under systemConfig.cluster takes only its documented fields) and
// lenient where MCPHub files carry more than the cluster needs (other
// systemConfig sections, users, routing, and the many optional fields of a
// server entry are ignored).
//
// Errors are values: load_settings returns nullopt and one message per
// problem, each "FILE: $.json.path: what was expected, found what".
//
// Thread-safety: pure functions of their arguments (and, for defaults, the
// process environment: PORT, the host name).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cluster/net/endpoint.hpp"
#include "cluster/raft/types.hpp"

namespace faultline::settings {

enum class Mode { standalone, coordinator, node };
// How a new session's node is chosen when the client names none, and whether
// it may name one (cookie, header); every later request follows the
// session's replicated pin whatever the strategy.
enum class StickyStrategy { consistent_hash, cookie, header };
enum class Balancing { consistent_hash, round_robin, weighted, least_connections };
// How a coordinator decides a node is unhealthy (cluster/coordinator/failure_detector.hpp).
enum class FailureDetector { fixed, adaptive };
// When a coordinator acknowledges a key-value write (docs/reference-cluster.md,
// "Replication modes"): after commit (sync), once the leader and one follower
// hold it durably (semi_sync), or after the leader's own durable append
// (async). Raft commits the same entries in every mode.
enum class Replication { sync, semi_sync, async };

const char* to_string(Mode mode);
const char* to_string(StickyStrategy strategy);
const char* to_string(Balancing balancing);
const char* to_string(FailureDetector detector);
const char* to_string(Replication replication);

// One entry of `mcpServers`. Only stdio servers (a `command`) can be hosted.
struct ServerConfig {
  std::string name;
  std::string type = "stdio";  // stdio | sse | streamable-http | openapi
  std::string command;         // "faultline": this very executable
  std::vector<std::string> args;
  std::map<std::string, std::string> env;  // ${VAR} expanded from the process's environment
  bool enabled = true;
  bool hostable() const { return enabled && type == "stdio" && !command.empty(); }
};

struct Peer {
  std::uint32_t id = 0;
  std::string name;
  std::string url;     // how clients, nodes and leader hints reach it
  net::Endpoint raft;  // where its peers connect (not needed for this member itself)
};

// systemConfig.cluster.coordinator: MCPHub's three timings, then ours.
struct CoordinatorSettings {
  std::int64_t node_timeout_ms = 15000;
  std::int64_t cleanup_interval_ms = 30000;
  std::int64_t sticky_session_timeout_ms = 3600000;
  // failureDetector: fixed (silent for nodeTimeout) or adaptive (mean + k
  // stddev of the heartbeat intervals and `misses` missed heartbeats,
  // nodeTimeout the upper bound).
  FailureDetector failure_detector = FailureDetector::fixed;
  double failure_detector_k = 3.0;
  int failure_detector_misses = 3;
  int failure_detector_window = 100;
  int failure_detector_min_samples = 10;
  std::uint32_t id = 1;
  std::string name = "coordinator";
  net::Endpoint listen;       // default 127.0.0.1:$PORT (3000)
  net::Endpoint raft_listen;  // default 127.0.0.1:0
  std::filesystem::path data_dir;  // default data/<name>
  std::vector<Peer> peers;         // default: this member alone
  std::int64_t election_timeout_min_ms = 300;
  std::int64_t election_timeout_max_ms = 600;
  std::int64_t heartbeat_ms = 50;
  // raft.electionTimer: "wall" by default, or "ticks" (heartbeats, as etcd counts).
  raft::ElectionTimer election_timer = raft::ElectionTimer::wall;
  // raft.campaignWhenLeaderGone: a follower whose leader's stream ends and
  // whose Raft port then refuses connections campaigns in its turn (half a
  // heartbeat each, by id) instead of after its election timeout
  // (docs/reference-cluster.md).
  bool campaign_when_leader_gone = true;
  std::uint64_t seed = 1;
  bool stale_reads = false;
  Replication replication = Replication::sync;
  // The legacy routed calls (POST /api/calls): a worker is dead this long
  // after its last heartbeat, and a call to it fails after it.
  std::int64_t routed_call_timeout_ms = 500;
  // Sources allowed on the admin failpoints (/admin/failpoints): IPv4
  // addresses or prefixes; loopback only by default.
  std::vector<std::string> admin_allow{"127.0.0.0/8"};
  const Peer* peer(std::uint32_t peer_id) const;
};

struct StickySettings {
  bool enabled = true;
  StickyStrategy strategy = StickyStrategy::consistent_hash;
  std::string cookie_name = "MCPHUB_NODE";
  std::string header_name = "X-MCPHub-Node";
};

// How coordinators route MCP requests to nodes.
struct RoutingSettings {
  // Unset in the file: consistent-hash under the consistent-hash sticky
  // strategy, round-robin under cookie and header.
  Balancing balancing = Balancing::consistent_hash;
  std::int64_t connect_timeout_ms = 2000;
  std::int64_t read_timeout_ms = 5000;
  // The per-node circuit breaker: open when more than error_percentage of
  // at least minimum_requests requests in the rolling window failed; one
  // trial request after half_open_after_ms.
  int error_percentage = 50;
  std::int64_t window_ms = 10000;
  int minimum_requests = 10;
  std::int64_t half_open_after_ms = 30000;
};

struct NodeSettings {
  std::string id;  // generated (a random UUID) when absent
  bool id_generated = false;
  std::string name;  // default: the host name
  std::string coordinator_url;
  std::vector<std::string> coordinator_urls;  // coordinator_url first, then the others, no repeats
  std::int64_t heartbeat_interval_ms = 5000;
  bool register_on_startup = true;
  net::Endpoint listen;  // default 127.0.0.1:$PORT (3000)
  std::string url;       // advertised; default http://<listen host>:<bound port>
  int weight = 1;        // for the weighted balancing strategy
};

struct Settings {
  std::string file;
  bool enabled = false;
  // systemConfig.cluster.token: shared by every member; registration,
  // heartbeats, pin forwarding and Raft streams must carry it. Empty: no
  // check (as MCPHub, which has none).
  std::string token;
  // systemConfig.cluster.adminToken: what the admin and failpoint endpoints
  // require (Authorization: Bearer ...). Empty: no token check there.
  std::string admin_token;
  Mode mode = Mode::standalone;  // standalone whenever enabled is not true, as MCPHub
  CoordinatorSettings coordinator;
  StickySettings sticky;
  RoutingSettings routing;
  NodeSettings node;
  std::vector<ServerConfig> servers;  // mcpServers, in the file's order
};

// Parses a settings document; `file` names it in messages. `environment`
// looks up ${VAR} expansions and PORT (nullptr: the process environment).
std::optional<Settings> parse_settings(const nlohmann::json& document, const std::string& file,
                                       std::vector<std::string>& errors);
// Reads and parses the file.
std::optional<Settings> load_settings(const std::filesystem::path& file, std::vector<std::string>& errors);
// The errors, one a line.
std::string join_errors(const std::vector<std::string>& errors);

// Loads `file` and checks that it configures `wanted` (coordinator or node);
// nullopt with `error` (every problem, one a line) otherwise.
std::optional<Settings> load_for(const std::filesystem::path& file, Mode wanted, std::string& error);

}  // namespace faultline::settings
