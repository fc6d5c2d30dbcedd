#include "cluster/mcp/jsonrpc.hpp"

namespace faultline::mcp {

Message classify(const Json& value) {
  Message m;
  if (value.is_array()) {
    m.problem = "JSON-RPC batches are not supported (MCP 2025-06-18 removed them): send one message per request";
    return m;
  }
  if (!value.is_object()) {
    m.problem = "a JSON-RPC message must be an object";
    return m;
  }
  if (!value.contains("jsonrpc") || value["jsonrpc"] != "2.0") {
    m.problem = "\"jsonrpc\" must be \"2.0\"";
    return m;
  }
  const bool has_id = value.contains("id");
  if (has_id) {
    m.id = value["id"];
    if (!m.id.is_string() && !m.id.is_number_integer() && !m.id.is_number_unsigned()) {
      m.problem = "\"id\" must be a string or an integer";
      return m;
    }
  }
  if (value.contains("method")) {
    if (!value["method"].is_string()) {
      m.problem = "\"method\" must be a string";
      return m;
    }
    m.method = value["method"].get<std::string>();
    m.params = value.contains("params") ? value["params"] : Json();
    if (!m.params.is_null() && !m.params.is_object() && !m.params.is_array()) {
      m.problem = "\"params\" must be an object";
      return m;
    }
    m.kind = has_id ? Kind::request : Kind::notification;
    return m;
  }
  if (has_id && (value.contains("result") || value.contains("error"))) {
    m.kind = Kind::response;
    return m;
  }
  m.problem = "neither a request, a notification nor a response";
  return m;
}

Message parse(const std::string& text, bool& parse_error) {
  const Json value = Json::parse(text, nullptr, false);
  parse_error = value.is_discarded();
  if (parse_error) {
    Message m;
    m.problem = "Parse error: Invalid JSON";
    return m;
  }
  return classify(value);
}

Json request(const Json& id, const std::string& method, Json params) {
  Json out{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
  if (!params.is_null()) out["params"] = std::move(params);
  return out;
}

Json notification(const std::string& method, Json params) {
  Json out{{"jsonrpc", "2.0"}, {"method", method}};
  if (!params.is_null()) out["params"] = std::move(params);
  return out;
}

Json result(const Json& id, Json value) { return Json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(value)}}; }

Json error(const Json& id, int code, const std::string& message, Json data) {
  Json e{{"code", code}, {"message", message}};
  if (!data.is_null()) e["data"] = std::move(data);
  return Json{{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(e)}};
}

bool is_initialize(const Message& m) { return m.kind == Kind::request && m.method == "initialize"; }

}  // namespace faultline::mcp
