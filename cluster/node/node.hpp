// A node of the reference cluster (MCPHub's "node" mode): it hosts the MCP
// servers of its `mcpServers` map as stdio child processes
// (cluster/mcp/hosted_server.hpp), serves them over MCP's Streamable HTTP
// transport, and registers with the coordinators and heartbeats them.
//
//   GET    /health          MCPHub's shape: 200 {"status":"healthy",...} once
//                           every hostable server is ready, 503 before
//   POST   /mcp/{server}    one server's MCP endpoint
//   POST   /mcp             every server of the node behind one endpoint
//                           (tools/list merged, tools/call by tool name)
//   DELETE /mcp[/{server}]  ends the session named by Mcp-Session-Id
//   GET    /mcp[/{server}]  405: no server-initiated stream is offered
//   POST   /api/call        the legacy routed call (a call count per session)
//
// Sessions: an initialize creates one. Its id is the Mcp-Session-Id the
// request carries when it comes through a coordinator (the coordinator
// chose it and pinned it to this node), or a new random one. Later requests
// must carry a known id (400 without, 404 for an unknown or ended one, as
// the transport specifies). Answers are JSON; a client that accepts only
// text/event-stream gets the same answer as one SSE event.
//
// Registration (MCPHub's protocol, sent to every coordinator it knows, each
// from its own thread so one dead coordinator never delays the others):
// POST /api/cluster/register {id, name, host, port, url, status, servers,
// weight} on start-up (registerOnStartup), then POST /api/cluster/heartbeat
// every heartbeatInterval; a heartbeat answered 404 (a coordinator that
// does not know the node, such as one restarted) registers again. `servers`
// lists the servers that are running, so a server that is restarting has no
// replica on this node meanwhile. Both carry the cluster token
// (systemConfig.cluster.token) as Authorization: Bearer when it is set.
//
// Thread-safety: the HTTP pool, one heartbeat thread per coordinator, one
// supervisor thread per hosted server; the session table has its own mutex.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cluster/http/server.hpp"
#include "cluster/mcp/hosted_server.hpp"
#include "cluster/settings/settings.hpp"

namespace faultline::node {

class Node {
 public:
  // `self_executable`: what a server whose command is "faultline" runs.
  Node(settings::Settings settings, std::string self_executable);
  ~Node();

  bool start(std::string& error);
  void stop();
  std::string listening() const { return server_.bound().to_string(); }
  std::string url() const;

 private:
  struct Session {
    std::string server;  // "" for the node-wide endpoint /mcp
    std::string protocol_version;
    bool initialized = false;  // notifications/initialized arrived
  };

  void install_routes();
  http::Response mcp_post(const http::Request& request, const std::string& server);
  http::Response mcp_delete(const http::Request& request, const std::string& server);
  http::Response initialize(const mcp::Message& m, const http::Request& request, const std::string& server);
  // A request of an existing session, forwarded to its server(s).
  mcp::Json forward(const mcp::Message& m, const std::string& session, const Session& s);
  mcp::Json merged_tools(const mcp::Message& m, const std::string& session);
  mcp::HostedServer* hosted(const std::string& name) const;
  http::Response answer(int status, const mcp::Json& message, const http::Request& request,
                        const std::string& session) const;
  bool all_ready() const;
  std::vector<std::string> ready_servers() const;

  void heartbeat_loop(std::string coordinator);
  mcp::Json registration_body() const;

  // Constant after construction.
  const settings::Settings settings_;
  const std::string log_prefix_;
  std::vector<std::unique_ptr<mcp::HostedServer>> servers_;

  static constexpr std::size_t kHttpThreads = 128;
  http::Server server_{kHttpThreads};

  mutable std::mutex mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;                                 // guarded by mu_
  std::map<std::string, Session> sessions_;               // guarded by mu_
  std::map<std::string, std::uint64_t> routed_calls_;     // legacy /api/call counts; guarded by mu_
  std::map<std::string, std::string> tool_owner_;         // /mcp: tool -> server; guarded by mu_
  std::vector<std::thread> heartbeats_;
};

// Runs a node from an mcp_settings.json until SIGINT or SIGTERM: 0 after a
// clean stop, 2 for a bad file, 3 when it cannot start.
int run_node(const std::string& settings_file);

}  // namespace faultline::node
