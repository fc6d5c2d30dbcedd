// The nodes a coordinator knows, from MCPHub's registration protocol: every
// node registers with every coordinator and heartbeats each of them, so each
// coordinator judges liveness itself and a change of Raft leader loses
// nothing (MCPHub's single coordinator keeps this table in memory only).
//
//  - a node is `active` until its failure detector suspects it
//    (failure_detector.hpp: silent for nodeTimeout with the fixed detector,
//    for its learned bound with the adaptive one), and `unhealthy` after
//    (logged once: "Marking node <id> as unhealthy (last heartbeat: <ISO
//    time>)", MCPHub's line, with the detector's bound);
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

#include "cluster/coordinator/failure_detector.hpp"

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
  bool active = false;                 // not suspected by its failure detector
  bool down = false;                   // refused a request since its last heartbeat
  // The failure detector's view (GET /api/cluster/nodes, metadata.failureDetector).
  std::string detector = "fixed";
  std::int64_t bound_ms = 0;    // the silence after which it is suspected
  std::int64_t silence_ms = 0;  // since its last heartbeat
  std::size_t samples = 0;
  double mean_interval_ms = 0;
  double stddev_interval_ms = 0;
  bool usable() const { return active && !down; }
  bool hosts(const std::string& server) const;  // "" (the node-wide /mcp): any node
  nlohmann::json to_json() const;               // MCPHub's ClusterNode
};

class NodeRegistry {
 public:
  using Clock = std::chrono::steady_clock;
  // `detector.node_timeout_ms` is nodeTimeout: the fixed timeout, or the
  // adaptive detector's upper bound; removal comes cleanupInterval after it.
  NodeRegistry(DetectorSettings detector, std::int64_t cleanup_interval_ms, std::string log_prefix);

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
    explicit Record(const DetectorSettings& d) : detector(d) {}
    NodeView view;
    Clock::time_point last_seen;
    FailureDetector detector;
    bool unhealthy_logged = false;
  };
  static std::int64_t ms_of(Clock::time_point t);
  NodeView view_locked(const Record& r, Clock::time_point now) const;
  void update_locked(Record& r, const nlohmann::json& body);
  // Logs the node's suspicion once (MCPHub's "Marking node ... as unhealthy").
  void note_suspicion_locked(Record& r, Clock::time_point now);

  const DetectorSettings detector_;
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
