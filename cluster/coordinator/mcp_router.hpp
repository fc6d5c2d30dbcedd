// The coordinators' MCP side: MCP's Streamable HTTP transport in front of
// the nodes, the node registry fed by MCPHub's registration protocol, and
// MCPHub's management API. docs/reference-cluster.md ("MCP") is the user's
// description; this is the contract.
//
//   POST   /mcp, /mcp/{server}   MCP requests; a session is created by
//                                initialize and pinned to a node
//   DELETE /mcp, /mcp/{server}   ends the session (its pin too)
//   GET    /mcp, /mcp/{server}   405: no server stream is offered
//   POST   /api/cluster/register, /api/cluster/heartbeat   (nodes)
//   GET    /api/cluster/status, /api/cluster/nodes[?active=true],
//          /api/cluster/servers/{name}/replicas, /api/cluster/sessions/{id},
//          /health
//   POST   /api/cluster/pins     leader only, for the other coordinators
//
// Sessions and pins. The coordinator that receives an initialize makes the
// session id (so the id the client sees is the key of the pin from the
// first request on: MCPHub keys the initialize by IP and user agent and
// later requests by the node's id, and they can hash apart), chooses the
// node (the cookie or header named by the sticky strategy when it names a
// usable replica, else the balancing strategy, mcp_balancer.hpp), commits
// the pin `_mcp/<id>` = {node, server, init params, createdAt, expiresAt,
// moves} through the Raft log, and forwards the initialize to the node with
// that id. Every later request of the session, through any coordinator,
// goes to the pinned node: a coordinator reads the pin from its applied
// state, or from the leader when it has not applied it yet. Pins are
// written by the leader only, one at a time (pin_mu_), so two coordinators
// moving one session cannot both win: a move names the node it moves away
// from, and a pin that no longer names it is followed instead.
//
// Failover. A request whose pinned node is unusable (unhealthy, down after
// a refusal, or its circuit breaker open) or that the node refuses or does
// not accept within the connect timeout (so it certainly did not run) moves
// the session: a usable replica is chosen, the pin moved, the session
// re-initialised there with the client's own initialize params (transparent
// to the client: same session id, no error), and the request sent there.
// The answer carries X-Faultline-Moved-From and X-Faultline-Move-Cause. A
// request that reached the node but got no answer within the read timeout
// may have run: it is answered 504 with a JSON-RPC error, never retried,
// and counts against the node's breaker. A node that answers 404 for a
// session it lost (it restarted) gets the same re-initialisation.
// Server-side session state (the counter's count) starts afresh on the new
// node. Expired pins (stickySessionTimeout after creation, as MCPHub) are
// removed by the leader's sweep; their sessions then answer 404 and the
// client initializes again, as the transport specifies.
//
// Thread-safety: handlers run on the HTTP pool; the registry, breaker and
// balancer lock themselves; one sweeper thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "cluster/coordinator/mcp_balancer.hpp"
#include "cluster/coordinator/mcp_breaker.hpp"
#include "cluster/coordinator/mcp_registry.hpp"
#include "cluster/http/client.hpp"
#include "cluster/http/server.hpp"

namespace faultline::coordinator {

class Coordinator;

// A session's pin as replicated.
struct Pin {
  std::string session;
  std::string node;
  std::string server;  // "" for the node-wide /mcp
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
  std::int64_t expires_ms = 0;
  nlohmann::json init = nlohmann::json::object();  // the client's initialize params
  std::int64_t moves = 0;
  nlohmann::json to_json() const;
  static std::optional<Pin> from_json(const std::string& session, const std::string& text);
};

class McpRouter {
 public:
  explicit McpRouter(Coordinator& coordinator);
  ~McpRouter();
  McpRouter(const McpRouter&) = delete;
  McpRouter& operator=(const McpRouter&) = delete;

  void install(http::Server& server);
  std::size_t mcp_sessions() const;
  // The `data` of GET /api/cluster/status.
  nlohmann::json cluster_status();

 private:
  // mcp_router.cpp
  http::Response post(const http::Request& request, const std::string& server);
  http::Response remove(const http::Request& request, const std::string& server);
  http::Response create_session(const nlohmann::json& message, const http::Request& request,
                                const std::string& server);
  http::Response session_request(const std::string& body, const nlohmann::json& id, const http::Request& request,
                                 const std::string& server);
  // Re-initialises `pin`'s session on its node (initialize with the stored
  // params, then notifications/initialized).
  http::ClientResponse reinitialize(const NodeView& node, const Pin& pin);
  http::ClientResponse send(const NodeView& node, const std::string& method, const std::string& server,
                            const std::string& body, const std::string& session,
                            const std::string& protocol_version);
  // The usable replicas of `server`, but `except`, as balancing candidates.
  std::vector<Candidate> candidates(const std::string& server, const std::vector<std::string>& except);
  std::string named_node(const http::Request& request) const;
  http::Response to_client(const http::ClientResponse& response, const http::Request& request,
                           const std::string& session, const std::string& node) const;

  // mcp_pins.cpp
  enum class Found { yes, no, unavailable };
  // `authoritative`: from the leader's state even on a follower (whose
  // applied state may lag it by a heartbeat: a session just ended or moved
  // elsewhere would otherwise look as it was).
  Found read_pin(const std::string& session, Pin& pin, std::string& error, bool authoritative = false);
  // Writes (or with `remove`, deletes) a pin through the leader. With
  // `expect_node`, only while the current pin still names that node;
  // otherwise `current` is set to the pin as it is and false returned with
  // an empty error.
  bool write_pin(const Pin& pin, bool remove, const std::string& expect_node, Pin& current, std::string& error);
  // The leader's side of write_pin (this member leads).
  bool write_pin_as_leader(const Pin& pin, bool remove, const std::string& expect_node, Pin& current,
                           std::string& error, int& status);
  std::optional<std::string> leader_url();
  std::size_t pins_on(const std::string& node) const;

  // mcp_api.cpp
  void install_api(http::Server& server);
  void sweep_loop();
  void expire_pins();
  void feed_legacy_registry(const nlohmann::json& body);

  Coordinator& c_;
  const std::string log_prefix_;
  NodeRegistry registry_;
  CircuitBreaker breaker_;
  Balancer balancer_;
  std::mutex pin_mu_;  // the leader's pin writes, one at a time

  std::mutex sweep_mu_;
  std::condition_variable sweep_cv_;
  bool stopping_ = false;  // guarded by sweep_mu_
  std::thread sweeper_;
};

}  // namespace faultline::coordinator
