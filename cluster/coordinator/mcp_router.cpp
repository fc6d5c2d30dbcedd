// MCP's Streamable HTTP transport on the coordinators: sessions made here,
// pinned to nodes, requests forwarded and moved (mcp_router.hpp).
#include <iostream>

#include "cluster/coordinator/coordinator.hpp"
#include "cluster/coordinator/mcp_router.hpp"
#include "cluster/mcp/jsonrpc.hpp"
#include "cluster/mcp/protocol.hpp"

namespace faultline::coordinator {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

http::Response rpc_error(int status, const Json& id, int code, const std::string& message) {
  return http::json_response(status, mcp::error(id, code, message).dump());
}

std::string cookie_value(const std::string& cookies, const std::string& name) {
  std::size_t at = 0;
  while (at < cookies.size()) {
    while (at < cookies.size() && (cookies[at] == ' ' || cookies[at] == ';')) ++at;
    const auto end = cookies.find(';', at);
    const std::string pair = cookies.substr(at, end == std::string::npos ? std::string::npos : end - at);
    const auto eq = pair.find('=');
    if (eq != std::string::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return "";
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Certainly not carried out by the node: it was never connected to.
bool never_reached(const http::ClientResponse& r) {
  return r.transport == http::ClientResponse::Transport::refused || (!r.ok() && !r.maybe_sent);
}

std::string failure_text(const http::ClientResponse& r) {
  return r.ok() ? "HTTP " + std::to_string(r.status) : r.error;
}

}  // namespace

std::string McpRouter::named_node(const http::Request& request) const {
  const settings::StickySettings& sticky = c_.config_.settings.sticky;
  switch (sticky.strategy) {
    case settings::StickyStrategy::cookie: return cookie_value(request.header("cookie"), sticky.cookie_name);
    case settings::StickyStrategy::header: return request.header(lower(sticky.header_name));
    case settings::StickyStrategy::consistent_hash: return "";
  }
  return "";
}

std::vector<Candidate> McpRouter::candidates(const std::string& server, const std::vector<std::string>& except) {
  std::vector<Candidate> out;
  const auto now = Clock::now();
  for (const NodeView& n : registry_.nodes()) {
    if (!n.usable() || !n.hosts(server)) continue;
    if (std::find(except.begin(), except.end(), n.id) != except.end()) continue;
    if (breaker_.state(n.id, now) == "open") continue;
    Candidate c{n.id, n.weight, 0};
    if (balancer_.strategy() == settings::Balancing::least_connections) c.sessions = pins_on(n.id);
    out.push_back(c);
  }
  return out;
}

http::ClientResponse McpRouter::send(const NodeView& node, const std::string& method, const std::string& server,
                                     const std::string& body, const std::string& session,
                                     const std::string& protocol_version) {
  const settings::RoutingSettings& routing = c_.config_.settings.routing;
  http::RequestOptions options;
  options.connect_timeout_ms = routing.connect_timeout_ms;
  options.timeout_ms = routing.connect_timeout_ms + routing.read_timeout_ms;
  // The node checks the cluster token: only members may call it.
  options.headers = c_.cluster_auth_headers();
  options.headers.emplace_back("Accept", "application/json, text/event-stream");
  if (!session.empty()) options.headers.emplace_back("Mcp-Session-Id", session);
  if (!protocol_version.empty()) options.headers.emplace_back("MCP-Protocol-Version", protocol_version);
  thread_local http::Client client;
  auto r = client.request(method, node.url + (server.empty() ? "/mcp" : "/mcp/" + server), body, options);
  breaker_.record(node.id, r.ok() && r.status < 500, Clock::now());
  if (r.transport == http::ClientResponse::Transport::refused) registry_.mark_down(node.id);
  return r;
}

http::ClientResponse McpRouter::reinitialize(const NodeView& node, const Pin& pin) {
  const Json init = mcp::request("faultline-reinit", "initialize", pin.init);
  auto r = send(node, "POST", pin.server, init.dump(), pin.session, "");
  if (r.ok() && r.status == 200) {
    const Json done = mcp::notification("notifications/initialized");
    send(node, "POST", pin.server, done.dump(), pin.session, "");
  }
  return r;
}

http::Response McpRouter::to_client(const http::ClientResponse& r, const http::Request& request,
                                    const std::string& session, const std::string& node) const {
  http::Response out;
  out.status = static_cast<int>(r.status);
  out.body = r.body;
  const auto type = r.headers.find("content-type");
  out.content_type = type != r.headers.end() ? type->second : "application/json";
  if (out.status == 200 && out.content_type.rfind("application/json", 0) == 0 &&
      mcp::answer_format(request.header("accept")) == mcp::Answer::sse) {
    out.body = mcp::sse_event(r.body);
    out.content_type = "text/event-stream";
  }
  if (!session.empty()) out.headers.emplace_back("Mcp-Session-Id", session);
  const settings::StickySettings& sticky = c_.config_.settings.sticky;
  out.headers.emplace_back(sticky.header_name, node);
  if (sticky.strategy == settings::StickyStrategy::cookie) {
    out.headers.emplace_back("Set-Cookie", sticky.cookie_name + "=" + node + "; Path=/; HttpOnly; SameSite=Strict");
  }
  return out;
}

http::Response McpRouter::post(const http::Request& request, const std::string& server) {
  const Json value = Json::parse(request.body, nullptr, false);
  if (value.is_discarded()) return rpc_error(400, nullptr, mcp::kParseError, "Parse error: Invalid JSON");
  const mcp::Message m = mcp::classify(value);
  if (m.kind == mcp::Kind::invalid) return rpc_error(400, nullptr, mcp::kInvalidRequest, "Invalid Request: " + m.problem);
  if (mcp::answer_format(request.header("accept")) == mcp::Answer::unacceptable) {
    return rpc_error(406, nullptr, mcp::kServerError,
                     "Not Acceptable: the client must accept application/json or text/event-stream");
  }
  if (!c_.config_.settings.sticky.enabled) {
    return rpc_error(503, m.id, mcp::kServerError,
                     "No available nodes to handle request: sticky sessions are disabled "
                     "($.systemConfig.cluster.stickySession.enabled is false), and MCP sessions need them");
  }
  if (mcp::is_initialize(m)) return create_session(value, request, server);
  return session_request(request.body, m.id, request, server);
}

http::Response McpRouter::create_session(const Json& message, const http::Request& request, const std::string& server) {
  Pin pin;
  pin.session = mcp::new_session_id();
  pin.server = server;
  pin.init = message.contains("params") ? message["params"] : Json::object();
  pin.created_ms = epoch_ms_now();
  pin.updated_ms = pin.created_ms;
  pin.expires_ms = pin.created_ms + c_.config_.settings.coordinator.sticky_session_timeout_ms;
  const std::string named = named_node(request);
  std::vector<std::string> tried;
  std::string last_failure;
  while (true) {
    const auto options = candidates(server, tried);
    if (options.empty()) break;
    std::string chosen;
    for (const auto& o : options) {
      if (!named.empty() && o.id == named) chosen = named;
    }
    if (chosen.empty()) chosen = balancer_.choose(pin.session, options);
    tried.push_back(chosen);
    const auto node = registry_.find(chosen);
    if (!node) continue;
    pin.node = chosen;
    Pin current;
    std::string error;
    if (!write_pin(pin, false, "", current, error)) {
      return rpc_error(503, message["id"], mcp::kServerError, "the session could not be pinned: " + error);
    }
    const auto r = send(*node, "POST", server, request.body, pin.session, request.header("mcp-protocol-version"));
    if (r.ok() && r.status == 200) return to_client(r, request, pin.session, chosen);
    last_failure = chosen + ": " + failure_text(r);
    if (!never_reached(r) && r.ok()) {
      // The node answered, but not with a session (its server is not
      // running there, say): another replica may.
      continue;
    }
    if (!never_reached(r)) {
      Pin ignored;
      write_pin(pin, true, "", ignored, error);
      return rpc_error(504, message["id"], mcp::kInternalError,
                       "node " + chosen + " did not answer the initialize in time (" + failure_text(r) + ")");
    }
  }
  if (!pin.node.empty()) {
    Pin ignored;
    std::string error;
    write_pin(pin, true, "", ignored, error);
  }
  return rpc_error(503, message["id"], mcp::kServerError,
                   "No available nodes to handle request" + (server.empty() ? std::string() : " for server " + server) +
                       (last_failure.empty() ? "" : " (last tried " + last_failure + ")"));
}

http::Response McpRouter::session_request(const std::string& body, const Json& id, const http::Request& request,
                                          const std::string& server) {
  const std::string session = request.header("mcp-session-id");
  if (session.empty()) {
    return rpc_error(400, id, mcp::kServerError, "Bad Request: Mcp-Session-Id header is required");
  }
  Pin pin;
  std::string error;
  switch (read_pin(session, pin, error)) {
    case Found::unavailable: return rpc_error(503, id, mcp::kServerError, "the session's pin cannot be read: " + error);
    case Found::no: return rpc_error(404, id, mcp::kSessionNotFound, "Session not found");
    case Found::yes: break;
  }
  if (pin.server != server || pin.expires_ms < epoch_ms_now()) {
    return rpc_error(404, id, mcp::kSessionNotFound, "Session not found");
  }
  std::string moved_from;
  std::string cause;
  std::vector<std::string> tried;
  const std::size_t attempts = registry_.nodes().size() + 2;
  for (std::size_t attempt = 0; attempt < attempts; ++attempt) {
    const auto node = registry_.find(pin.node);
    const auto now = Clock::now();
    std::string why;
    if (!node) {
      why = "node " + pin.node + " is not registered";
    } else if (!node->active) {
      why = "node " + pin.node + " is unhealthy (its failure detector suspects it)";
    } else if (node->down) {
      why = "node " + pin.node + " refused a request and has not heartbeated since";
    } else if (!node->hosts(server)) {
      why = "node " + pin.node + " no longer runs server " + server;
    } else if (!breaker_.allow(pin.node, now)) {
      why = "the circuit breaker of node " + pin.node + " is open";
    } else {
      auto r = send(*node, request.method, server, body, session, request.header("mcp-protocol-version"));
      if (r.ok() && r.status == 404 && moved_from.empty() && cause.empty()) {
        // The node does not know the session: it was ended (and this
        // member's state has not caught up yet), moved elsewhere, or the
        // node restarted and lost it. The leader's pin tells which.
        Pin latest;
        switch (read_pin(session, latest, error, /*authoritative=*/true)) {
          case Found::no: return rpc_error(404, id, mcp::kSessionNotFound, "Session not found");
          case Found::unavailable: return rpc_error(503, id, mcp::kServerError, "the session's pin cannot be read: " + error);
          case Found::yes: break;
        }
        if (latest.node != pin.node) {
          pin = latest;
          continue;
        }
        const auto again = reinitialize(*node, pin);
        if (again.ok() && again.status == 200) {
          cause = "node " + pin.node + " had lost the session (restarted); re-initialised there";
          r = send(*node, request.method, server, body, session, request.header("mcp-protocol-version"));
        }
      }
      if (r.ok()) {
        http::Response out = to_client(r, request, session, pin.node);
        if (!moved_from.empty()) out.headers.emplace_back("X-Faultline-Moved-From", moved_from);
        if (!cause.empty()) out.headers.emplace_back("X-Faultline-Move-Cause", cause);
        return out;
      }
      if (!never_reached(r)) {
        return rpc_error(504, id, mcp::kInternalError,
                         "node " + pin.node + " did not answer in time (" + r.error +
                             "); the request may have been carried out there");
      }
      why = "node " + pin.node + " failed the request before it was sent (" + r.error + ")";
    }
    // Move the session to a usable replica and initialise it there.
    tried.push_back(pin.node);
    const auto options = candidates(server, tried);
    if (options.empty()) {
      return rpc_error(503, id, mcp::kServerError, "No available nodes to handle request: " + why);
    }
    Pin moved = pin;
    moved.node = balancer_.choose(session, options);
    moved.moves = pin.moves + 1;
    moved.updated_ms = epoch_ms_now();
    Pin current;
    if (!write_pin(moved, false, pin.node, current, error)) {
      if (!error.empty()) return rpc_error(503, id, mcp::kServerError, "the session could not be moved: " + error);
      pin = current;  // another coordinator moved it first: follow that pin
      continue;
    }
    std::cerr << log_prefix_ << "session " << session << " moved from " << pin.node << " to " << moved.node << ": "
              << why << "\n";
    if (moved_from.empty()) moved_from = pin.node;
    cause = why;
    pin = moved;
    const auto target = registry_.find(pin.node);
    if (target) {
      const auto r = reinitialize(*target, pin);
      if (!(r.ok() && r.status == 200)) continue;  // the next round finds it unusable, or tries it
    }
  }
  return rpc_error(503, id, mcp::kServerError, "No available nodes to handle request for session " + session);
}

http::Response McpRouter::remove(const http::Request& request, const std::string& server) {
  const std::string session = request.header("mcp-session-id");
  if (session.empty()) {
    return rpc_error(400, nullptr, mcp::kServerError, "Bad Request: Mcp-Session-Id header is required");
  }
  Pin pin;
  std::string error;
  switch (read_pin(session, pin, error)) {
    case Found::unavailable: return rpc_error(503, nullptr, mcp::kServerError, "the session's pin cannot be read: " + error);
    case Found::no: return rpc_error(404, nullptr, mcp::kSessionNotFound, "Session not found");
    case Found::yes: break;
  }
  if (pin.server != server) return rpc_error(404, nullptr, mcp::kSessionNotFound, "Session not found");
  if (const auto node = registry_.find(pin.node); node && node->usable()) {
    send(*node, "DELETE", server, "", session, "");
  }
  Pin ignored;
  if (!write_pin(pin, true, "", ignored, error)) {
    return rpc_error(503, nullptr, mcp::kServerError, "the session's pin could not be removed: " + error);
  }
  http::Response out;
  out.status = 200;
  return out;
}

}  // namespace faultline::coordinator
