#include "cluster/mcp/builtin.hpp"

#include <chrono>
#include <iostream>
#include <thread>

#include "cluster/mcp/protocol.hpp"

namespace faultline::mcp {
namespace {

Json text_result(const Json& value) {
  return Json{{"content", Json::array({Json{{"type", "text"}, {"text", value.dump()}}})},
              {"structuredContent", value},
              {"isError", false}};
}

Json tool(const std::string& name, const std::string& description, Json properties,
          std::vector<std::string> required = {}) {
  Json schema{{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) schema["required"] = required;
  return Json{{"name", name}, {"description", description}, {"inputSchema", schema}};
}

const Json kString{{"type", "string"}};
const Json kInteger{{"type", "integer"}};

std::string session_of(const Json& params) {
  if (params.is_object() && params.contains("_meta") && params["_meta"].is_object()) {
    const Json& meta = params["_meta"];
    if (meta.contains(kSessionMeta) && meta[kSessionMeta].is_string()) return meta[kSessionMeta].get<std::string>();
  }
  return "default";
}

}  // namespace

const std::vector<std::string>& builtin_names() {
  static const std::vector<std::string> names{"echo", "counter", "kv", "sleep"};
  return names;
}

std::unique_ptr<BuiltinServer> BuiltinServer::make(const std::string& name) {
  for (const auto& n : builtin_names()) {
    if (n == name) return std::unique_ptr<BuiltinServer>(new BuiltinServer(name));
  }
  return nullptr;
}

Json BuiltinServer::tools() const {
  Json list = Json::array();
  if (name_ == "echo") {
    list.push_back(tool("echo", "Answers with the message it is given", Json{{"message", kString}}, {"message"}));
  } else if (name_ == "counter") {
    list.push_back(tool("increment", "Adds `by` (default 1) to this session's count and answers the count",
                        Json{{"by", kInteger}}));
    list.push_back(tool("get", "Answers this session's count", Json::object()));
    list.push_back(tool("reset", "Sets this session's count to 0", Json::object()));
  } else if (name_ == "kv") {
    list.push_back(tool("put", "Stores value under key", Json{{"key", kString}, {"value", kString}}, {"key", "value"}));
    list.push_back(tool("get", "Answers the value under key", Json{{"key", kString}}, {"key"}));
    list.push_back(tool("delete", "Removes key", Json{{"key", kString}}, {"key"}));
    list.push_back(tool("list", "Answers every key", Json::object()));
  } else if (name_ == "sleep") {
    list.push_back(tool("sleep", "Answers after ms milliseconds (0..60000)", Json{{"ms", kInteger}}, {"ms"}));
  }
  return list;
}

std::optional<std::int64_t> BuiltinServer::sleep_ms(const Json& message) {
  const Message m = classify(message);
  if (m.kind != Kind::request || m.method != "tools/call" || !m.params.is_object()) return std::nullopt;
  if (m.params.value("name", "") != "sleep") return std::nullopt;
  const Json args = m.params.value("arguments", Json::object());
  if (!args.is_object() || !args.contains("ms") || !args["ms"].is_number_integer()) return std::nullopt;
  const auto ms = args["ms"].get<std::int64_t>();
  if (ms < 0 || ms > 60000) return std::nullopt;
  return ms;
}

Json BuiltinServer::call_tool(const Json& id, const Json& params) {
  if (!params.is_object() || !params.contains("name") || !params["name"].is_string()) {
    return error(id, kInvalidParams, "tools/call needs params.name");
  }
  const std::string tool_name = params["name"].get<std::string>();
  const Json args = params.contains("arguments") && params["arguments"].is_object() ? params["arguments"]
                                                                                     : Json::object();
  auto need_string = [&](const char* key) -> std::optional<std::string> {
    if (args.contains(key) && args[key].is_string()) return args[key].get<std::string>();
    return std::nullopt;
  };
  auto bad = [&](const std::string& what) { return error(id, kInvalidParams, tool_name + ": " + what); };
  std::lock_guard lock(mu_);
  if (name_ == "echo" && tool_name == "echo") {
    const auto message = need_string("message");
    if (!message) return bad("arguments.message must be a string");
    return result(id, Json{{"content", Json::array({Json{{"type", "text"}, {"text", *message}}})},
                           {"structuredContent", Json{{"message", *message}}},
                           {"isError", false}});
  }
  if (name_ == "counter" && (tool_name == "increment" || tool_name == "get" || tool_name == "reset")) {
    const std::string session = session_of(params);
    std::int64_t& count = counts_[session];
    if (tool_name == "increment") {
      std::int64_t by = 1;
      if (args.contains("by")) {
        if (!args["by"].is_number_integer()) return bad("arguments.by must be an integer");
        by = args["by"].get<std::int64_t>();
      }
      count += by;
    } else if (tool_name == "reset") {
      count = 0;
    }
    return result(id, text_result(Json{{"session", session}, {"count", count}}));
  }
  if (name_ == "kv" && (tool_name == "put" || tool_name == "get" || tool_name == "delete" || tool_name == "list")) {
    if (tool_name == "list") {
      Json keys = Json::array();
      for (const auto& [k, v] : store_) keys.push_back(k);
      return result(id, text_result(Json{{"keys", keys}}));
    }
    const auto key = need_string("key");
    if (!key) return bad("arguments.key must be a string");
    if (tool_name == "put") {
      const auto value = need_string("value");
      if (!value) return bad("arguments.value must be a string");
      store_[*key] = *value;
      return result(id, text_result(Json{{"key", *key}, {"stored", true}}));
    }
    if (tool_name == "delete") {
      const bool found = store_.erase(*key) > 0;
      return result(id, text_result(Json{{"key", *key}, {"deleted", found}}));
    }
    const auto it = store_.find(*key);
    return result(id, text_result(Json{{"key", *key},
                                       {"found", it != store_.end()},
                                       {"value", it != store_.end() ? Json(it->second) : Json(nullptr)}}));
  }
  if (name_ == "sleep" && tool_name == "sleep") {
    if (!args.contains("ms") || !args["ms"].is_number_integer() || args["ms"].get<std::int64_t>() < 0 ||
        args["ms"].get<std::int64_t>() > 60000) {
      return bad("arguments.ms must be an integer in 0..60000");
    }
    // The stdio loop has already waited (sleep_ms); this is the answer.
    return result(id, text_result(Json{{"slept_ms", args["ms"]}}));
  }
  return error(id, kInvalidParams, "Unknown tool: " + tool_name);
}

std::optional<Json> BuiltinServer::handle(const Json& message) {
  const Message m = classify(message);
  if (m.kind == Kind::invalid) return error(nullptr, kInvalidRequest, "Invalid Request: " + m.problem);
  if (m.kind != Kind::request) return std::nullopt;
  if (m.method == "initialize") {
    return result(m.id, Json{{"protocolVersion", negotiate_version(m.params)},
                             {"capabilities", Json{{"tools", Json{{"listChanged", false}}}}},
                             {"serverInfo", Json{{"name", "faultline-" + name_}, {"version", "1"}}}});
  }
  if (m.method == "ping") return result(m.id, Json::object());
  if (m.method == "tools/list") return result(m.id, Json{{"tools", tools()}});
  if (m.method == "tools/call") return call_tool(m.id, m.params);
  return error(m.id, kMethodNotFound, "Method not found: " + m.method);
}

int run_builtin_server(const std::string& name, std::istream& in, std::ostream& out, std::ostream& err) {
  auto server = BuiltinServer::make(name);
  if (!server) {
    err << "faultline mcp-server: unknown server " << name << "; built-in servers: echo, counter, kv, sleep\n";
    return 2;
  }
  err << "faultline mcp-server " << name << ": serving MCP on stdio\n";
  std::mutex out_mu;
  auto write = [&](const Json& message) {
    std::lock_guard lock(out_mu);
    out << message.dump(-1, ' ', false, Json::error_handler_t::replace) << '\n';
    out.flush();
  };
  std::vector<std::thread> sleepers;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const Json message = Json::parse(line, nullptr, false);
    if (message.is_discarded()) {
      write(error(nullptr, kParseError, "Parse error: Invalid JSON"));
      continue;
    }
    if (const auto ms = BuiltinServer::sleep_ms(message)) {
      sleepers.emplace_back([&, message, ms = *ms] {
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
        if (auto answer = server->handle(message)) write(*answer);
      });
      continue;
    }
    if (auto answer = server->handle(message)) write(*answer);
  }
  for (auto& t : sleepers) t.join();
  return 0;
}

}  // namespace faultline::mcp
