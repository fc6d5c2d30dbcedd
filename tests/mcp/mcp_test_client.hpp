// A small MCP client over Streamable HTTP for the cluster tests: one POST
// per message, the session id and the node that served it read from the
// answer's headers.
//
// Thread-safety: one client per thread.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "cluster/http/client.hpp"

namespace faultline::testing {

struct McpAnswer {
  long status = 0;  // 0: no answer
  nlohmann::json body;
  std::string session;     // Mcp-Session-Id
  std::string node;        // X-MCPHub-Node: the node that served it
  std::string moved_from;  // X-Faultline-Moved-From
  std::string set_cookie;
  std::string error;
};

class McpTestClient {
 public:
  McpAnswer post(const std::string& url, const nlohmann::json& message, const std::string& session = "",
                 const http::Headers& extra = {}, long timeout_ms = 5000);
  // initialize + notifications/initialized; the answer to the initialize.
  McpAnswer open(const std::string& url, const http::Headers& extra = {});
  McpAnswer call_tool(const std::string& url, const std::string& session, const std::string& tool,
                      const nlohmann::json& arguments = nlohmann::json::object());
  long remove(const std::string& url, const std::string& session);

 private:
  http::Client http_;
  int next_id_ = 1;
};

}  // namespace faultline::testing
