// The nodes a coordinator knows, from MCPHub's registration protocol: every
// node registers with every coordinator and heartbeats each of them, so each
// coordinator judges liveness itself and a change of Raft leader loses
// nothing (MCPHub's single coordinator keeps this table in memory only).
//
//  - a node is `active` while its heartbeats arrive within nodeTimeout, and
//    `unhealthy` after (logged once: "Marking node <id> as unhealthy (last
//    heartbeat: <ISO time>)", MCPHub's line);
//  - an unhealthy node is removed once it has been silent for nodeTimeout +
//    cleanupInterval ("Removed node <id> ..."); its next heartbeat is then
//    answered 404 and it registers again;
//  - a node that refused a routed request is `down` until its next
//    heartbeat: every session pinned to it moves at once instead of trying it.
//
// A node's replicas are the servers its last registration or heartbeat
// listed (the servers running on it).
//
// Thread-safety: every method may be called from any thread (one mutex).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace faultline::coordinator {

struct NodeView {
  std::string id;
  std::string name;
  std::string host;
  int port = 0;
  std::string url;
  std::vector<std::string> servers;
  int weight = 1;
  std::int64_t last_heartbeat_ms = 0;  // epoch ms
  std::int64_t registered_ms = 0;      // epoch ms
  bool active = false;                 // heartbeats within nodeTimeout
  bool down = false;                   // refused a request since its last heartbeat
  bool usable() const { return active && !down; }
  bool hosts(const std::string& server) const;  // "" (the node-wide /mcp): any node
  nlohmann::json to_json() const;               // MCPHub's ClusterNode
};

class NodeRegistry {
 public:
  using Clock = std::chrono::steady_clock;
  NodeRegistry(std::int64_t node_timeout_ms, std::int64_t cleanup_interval_ms, std::string log_prefix);

  // MCPHub's register body: id, name, url required; host, port, servers, weight optional.
  // Returns an error message for a body that lacks them.
  std::optional<std::string> register_node(const nlohmann::json& body);
  enum class Beat { ok, unknown, invalid };
  Beat heartbeat(const nlohmann::json& body);
  void mark_down(const std::string& id);

  std::vector<NodeView> nodes() const;
  std::optional<NodeView> find(const std::string& id) const;
  // Logs nodes that became unhealthy and removes long-silent ones.
  void sweep();

 private:
  struct Record {
    NodeView view;
    Clock::time_point last_seen;
    bool unhealthy_logged = false;
  };
  NodeView view_locked(const Record& r, Clock::time_point now) const;
  void update_locked(Record& r, const nlohmann::json& body);

  const std::chrono::milliseconds node_timeout_;
  const std::chrono::milliseconds cleanup_interval_;
  const std::string log_prefix_;
  mutable std::mutex mu_;
  std::map<std::string, Record> nodes_;  // guarded by mu_; by id
};

// "2026-12-01T10:00:00.000Z" for an epoch ms.
std::string iso_time(std::int64_t epoch_ms);
std::int64_t epoch_ms_now();

}  // namespace faultline::coordinator
