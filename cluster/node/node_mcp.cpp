// The node's side of MCP's Streamable HTTP transport (node.hpp has the
// routes and the session rules).
#include <iostream>

#include "cluster/mcp/protocol.hpp"
#include "cluster/node/node.hpp"

namespace faultline::node {

using Json = mcp::Json;

namespace {

// How long a request may wait on a hosted server: above the built-in sleep
// tool's 60 s, below nothing a client would wait for longer.
constexpr auto kServerCallTimeout = std::chrono::milliseconds(65000);
constexpr auto kReadyWait = std::chrono::milliseconds(2000);

// The request's params with the client session added to _meta.
Json with_session(const Json& params, const std::string& session) {
  Json out = params.is_object() ? params : Json::object();
  if (!out.contains("_meta") || !out["_meta"].is_object()) out["_meta"] = Json::object();
  out["_meta"][mcp::kSessionMeta] = session;
  return out;
}

}  // namespace

http::Response Node::answer(int status, const Json& message, const http::Request& request,
                            const std::string& session) const {
  http::Response out;
  out.status = status;
  const std::string text = message.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (mcp::answer_format(request.header("accept")) == mcp::Answer::sse && status == 200) {
    out.body = mcp::sse_event(text);
    out.content_type = "text/event-stream";
  } else {
    out.body = text;
  }
  if (!session.empty()) out.headers.emplace_back("Mcp-Session-Id", session);
  out.headers.emplace_back("X-MCPHub-Node", settings_.node.id);
  return out;
}

http::Response Node::mcp_post(const http::Request& request, const std::string& server) {
  bool parse_error = false;
  const mcp::Message m = mcp::parse(request.body, parse_error);
  if (parse_error) return answer(400, mcp::error(nullptr, mcp::kParseError, m.problem), request, "");
  if (m.kind == mcp::Kind::invalid) {
    return answer(400, mcp::error(nullptr, mcp::kInvalidRequest, "Invalid Request: " + m.problem), request, "");
  }
  if (mcp::answer_format(request.header("accept")) == mcp::Answer::unacceptable) {
    return answer(406, mcp::error(nullptr, mcp::kServerError,
                                  "Not Acceptable: the client must accept application/json or text/event-stream"),
                  request, "");
  }
  if (!server.empty() && hosted(server) == nullptr) {
    return answer(404, mcp::error(m.id, mcp::kServerError, "this node hosts no MCP server " + server), request, "");
  }
  if (mcp::is_initialize(m)) return initialize(m, request, server);
  const std::string session = request.header("mcp-session-id");
  if (session.empty()) {
    return answer(400, mcp::error(m.id, mcp::kServerError, "Bad Request: Mcp-Session-Id header is required"),
                  request, "");
  }
  Session s;
  {
    std::lock_guard lock(mu_);
    const auto it = sessions_.find(session);
    if (it == sessions_.end() || it->second.server != server) {
      return answer(404, mcp::error(m.id, mcp::kSessionNotFound, "Session not found"), request, "");
    }
    if (m.kind == mcp::Kind::notification && m.method == "notifications/initialized") it->second.initialized = true;
    s = it->second;
  }
  if (m.kind != mcp::Kind::request) {
    http::Response accepted;
    accepted.status = 202;
    accepted.headers.emplace_back("Mcp-Session-Id", session);
    return accepted;
  }
  return answer(200, forward(m, session, s), request, session);
}

http::Response Node::initialize(const mcp::Message& m, const http::Request& request, const std::string& server) {
  std::string session = request.header("mcp-session-id");
  if (session.empty()) session = mcp::new_session_id();
  Json result{{"protocolVersion", mcp::negotiate_version(m.params)}};
  if (!server.empty()) {
    mcp::HostedServer* s = hosted(server);
    if (!s->wait_ready(kReadyWait)) {
      return answer(503, mcp::error(m.id, mcp::kServerError, "MCP server " + server + " is not running on this node"),
                    request, "");
    }
    const Json child = s->initialize_result();
    result["capabilities"] = child.value("capabilities", Json::object());
    result["serverInfo"] = child.value("serverInfo", Json{{"name", server}, {"version", "unknown"}});
    if (child.contains("instructions")) result["instructions"] = child["instructions"];
  } else {
    result["capabilities"] = Json{{"tools", Json{{"listChanged", false}}}};
    result["serverInfo"] = Json{{"name", "faultline-node " + settings_.node.id}, {"version", "1"}};
  }
  {
    std::lock_guard lock(mu_);
    sessions_[session] = Session{server, result["protocolVersion"].get<std::string>(), false};
  }
  return answer(200, mcp::result(m.id, result), request, session);
}

Json Node::forward(const mcp::Message& m, const std::string& session, const Session& s) {
  if (m.method == "ping") return mcp::result(m.id, Json::object());
  std::string target = s.server;
  if (target.empty()) {
    if (m.method == "tools/list") return merged_tools(m, session);
    if (m.method != "tools/call") {
      return mcp::error(m.id, mcp::kMethodNotFound,
                        "Method not found: " + m.method + " (the node-wide /mcp endpoint serves tools; use /mcp/{server})");
    }
    const std::string tool = m.params.is_object() ? m.params.value("name", "") : "";
    {
      std::lock_guard lock(mu_);
      const auto it = tool_owner_.find(tool);
      if (it != tool_owner_.end()) target = it->second;
    }
    if (target.empty()) merged_tools(m, session);
    {
      std::lock_guard lock(mu_);
      const auto it = tool_owner_.find(tool);
      if (it != tool_owner_.end()) target = it->second;
    }
    if (target.empty()) return mcp::error(m.id, mcp::kInvalidParams, "Unknown tool: " + tool);
  }
  mcp::HostedServer* server = hosted(target);
  const mcp::CallResult r = server->call(m.method, with_session(m.params, session), kServerCallTimeout);
  if (!r.ok) return mcp::error(m.id, mcp::kInternalError, r.error);
  Json out = r.message;
  out["id"] = m.id;
  return out;
}

Json Node::merged_tools(const mcp::Message& m, const std::string& session) {
  Json tools = Json::array();
  std::map<std::string, std::string> owners;
  for (const auto& s : servers_) {
    if (!s->ready()) continue;
    const mcp::CallResult r = s->call("tools/list", with_session(Json::object(), session), kReadyWait);
    if (!r.ok || !r.message.contains("result")) continue;
    for (const auto& t : r.message["result"].value("tools", Json::array())) {
      const std::string name = t.value("name", "");
      if (name.empty() || owners.count(name)) continue;  // the first server of the map keeps a shared name
      owners[name] = s->name();
      tools.push_back(t);
    }
  }
  {
    std::lock_guard lock(mu_);
    tool_owner_ = owners;
  }
  return mcp::result(m.id, Json{{"tools", tools}});
}

http::Response Node::mcp_delete(const http::Request& request, const std::string& server) {
  const std::string session = request.header("mcp-session-id");
  if (session.empty()) {
    return answer(400, mcp::error(nullptr, mcp::kServerError, "Bad Request: Mcp-Session-Id header is required"),
                  request, "");
  }
  std::lock_guard lock(mu_);
  const auto it = sessions_.find(session);
  if (it == sessions_.end() || it->second.server != server) {
    return answer(404, mcp::error(nullptr, mcp::kSessionNotFound, "Session not found"), request, "");
  }
  sessions_.erase(it);
  http::Response out;
  out.status = 200;
  out.body = "";
  return out;
}

}  // namespace faultline::node
