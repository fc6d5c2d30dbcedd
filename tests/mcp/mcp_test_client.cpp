#include "tests/mcp/mcp_test_client.hpp"

namespace faultline::testing {

using Json = nlohmann::json;

namespace {
std::string header(const http::ClientResponse& r, const std::string& name) {
  const auto it = r.headers.find(name);
  return it == r.headers.end() ? "" : it->second;
}
}  // namespace

McpAnswer McpTestClient::post(const std::string& url, const Json& message, const std::string& session,
                              const http::Headers& extra, long timeout_ms) {
  http::RequestOptions options;
  options.timeout_ms = timeout_ms;
  bool accept = false;
  for (const auto& h : extra) accept = accept || h.first == "Accept";
  if (!accept) options.headers = {{"Accept", "application/json, text/event-stream"}};
  if (!session.empty()) options.headers.emplace_back("Mcp-Session-Id", session);
  options.headers.insert(options.headers.end(), extra.begin(), extra.end());
  const auto r = http_.request("POST", url, message.dump(), options);
  McpAnswer out;
  if (!r.ok()) {
    out.error = r.error;
    return out;
  }
  out.status = r.status;
  out.body = Json::parse(r.body, nullptr, false);
  out.session = header(r, "mcp-session-id");
  out.node = header(r, "x-mcphub-node");
  out.moved_from = header(r, "x-faultline-moved-from");
  out.set_cookie = header(r, "set-cookie");
  return out;
}

McpAnswer McpTestClient::open(const std::string& url, const http::Headers& extra) {
  const Json init{{"jsonrpc", "2.0"},
                  {"id", next_id_++},
                  {"method", "initialize"},
                  {"params", Json{{"protocolVersion", "2025-06-18"},
                                  {"capabilities", Json::object()},
                                  {"clientInfo", Json{{"name", "faultline-test"}, {"version", "1"}}}}}};
  McpAnswer answer = post(url, init, "", extra);
  if (answer.status == 200 && !answer.session.empty()) {
    post(url, Json{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}}, answer.session, extra);
  }
  return answer;
}

McpAnswer McpTestClient::call_tool(const std::string& url, const std::string& session, const std::string& tool,
                                   const Json& arguments) {
  return post(url,
              Json{{"jsonrpc", "2.0"},
                   {"id", next_id_++},
                   {"method", "tools/call"},
                   {"params", Json{{"name", tool}, {"arguments", arguments}}}},
              session);
}

long McpTestClient::remove(const std::string& url, const std::string& session) {
  http::RequestOptions options;
  options.timeout_ms = 5000;
  options.headers = {{"Mcp-Session-Id", session}};
  const auto r = http_.request("DELETE", url, "", options);
  return r.ok() ? r.status : 0;
}

}  // namespace faultline::testing
