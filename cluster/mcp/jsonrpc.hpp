// JSON-RPC 2.0 messages as MCP uses them: requests (id and method),
// notifications (method, no id), responses (id and result or error).
// MCP forbids null request ids and, since 2025-06-18, batches; both are
// classified as invalid here and answered by the caller with -32600.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace faultline::mcp {

using Json = nlohmann::json;

constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;
constexpr int kInternalError = -32603;
// Server-defined codes (the -32000..-32099 range), as the TypeScript SDK uses them.
constexpr int kServerError = -32000;
constexpr int kSessionNotFound = -32001;

enum class Kind { request, notification, response, invalid };

struct Message {
  Kind kind = Kind::invalid;
  Json id;              // requests and responses
  std::string method;   // requests and notifications
  Json params;          // null when absent
  std::string problem;  // why it is invalid
};

// Classifies one decoded JSON value.
Message classify(const Json& value);
// Parses one line or body; a parse failure is Kind::invalid with problem set
// and `parse_error` true.
Message parse(const std::string& text, bool& parse_error);

Json request(const Json& id, const std::string& method, Json params = nullptr);
Json notification(const std::string& method, Json params = nullptr);
Json result(const Json& id, Json value);
Json error(const Json& id, int code, const std::string& message, Json data = nullptr);

bool is_initialize(const Message& m);

}  // namespace faultline::mcp
