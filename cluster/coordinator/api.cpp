// The coordinator's HTTP API and its process entry point.
//
//   /mcp, /api/cluster/*, /health MCP and MCPHub's management API (mcp_router.hpp)
//   GET  /api/raft/status         term, role, leader, commit index, role_since_mono_ns
//   GET  /metrics                 both as Prometheus gauges (metrics.hpp)
//   PUT  /api/kv/KEY              body = value; 200 once committed and applied, or
//                                 with "replication" semi-sync or async in the
//                                 config, earlier (ack_policy.hpp): the answer
//                                 then says "committed": false
//   GET  /api/kv/KEY              linearizable read (a barrier through the log);
//                                 with "stale_reads": true in the config, any
//                                 member answers from its own applied state
//                                 (unsafe: the read may be stale)
//   POST /api/kv-read             {"keys":[...]} -> {"values":{key: value|null}}
//   POST /api/nodes/heartbeat     the legacy worker announcement (routing.cpp)
//   POST /api/calls               a legacy routed call of a session (routing.cpp)
//   GET  /admin/failpoints        clock and disk failpoints (admin.cpp; admin_allow only)
//   PUT  /admin/failpoints/clock  skew this member's clock
//   PUT  /admin/failpoints/disk   slow, fail or lie about its fsyncs
//
// Peer traffic does not use HTTP: it has its own port (raft_listener.hpp).
//
// Status codes a client can rely on: 421 not the leader (nothing was done; the
// body names the leader if known), 503 the write was superseded (certainly not
// applied), 504 not known to be committed by the deadline (outcome unknown).
#include <iostream>

#include <nlohmann/json.hpp>

#include "cluster/coordinator/coordinator.hpp"
#include "cluster/coordinator/mcp_router.hpp"
#include "cluster/coordinator/metrics.hpp"
#include "cluster/http/serve.hpp"

namespace faultline::coordinator {

using Json = nlohmann::json;

namespace {

constexpr long kDefaultOpTimeoutMs = 2000;
constexpr long kMaxOpTimeoutMs = 30000;

std::chrono::milliseconds op_timeout(const http::Request& request) {
  long ms = kDefaultOpTimeoutMs;
  if (auto it = request.query.find("timeout_ms"); it != request.query.end()) {
    try {
      ms = std::clamp(std::stol(it->second), 1L, kMaxOpTimeoutMs);
    } catch (const std::exception&) {
    }
  }
  return std::chrono::milliseconds(ms);
}

using http::json_response;

}  // namespace

std::optional<http::Response> Coordinator::op_failure(const OpResult& op, const std::string& subject) {
  const std::string prefix = subject.empty() ? "" : subject + ": ";
  switch (op.outcome) {
    case Outcome::ok:
      return std::nullopt;
    case Outcome::not_leader:
      return json_response(421, leader_hint_json("not the leader"));
    case Outcome::lost:
      return json_response(503, leader_hint_json(prefix + "superseded: leadership changed"));
    case Outcome::timeout:
      return json_response(504, leader_hint_json(prefix + "not committed before the deadline"));
  }
  return json_response(500, "{}");
}

void Coordinator::install_routes() {
  // MCP, the node registry and MCPHub's management API, /health included.
  mcp_ = std::make_shared<McpRouter>(*this);
  mcp_->install(server_);
  server_.get("/api/raft/status",
              [this](const http::Request&) { return json_response(200, raft_status_json()); });
  server_.get("/metrics", [this](const http::Request&) {
    return http::Response{200, metrics_text(Json::parse(raft_status_json()), Json{{"data", mcp_->cluster_status()}}),
                          "text/plain; version=0.0.4", {}};
  });
  server_.post("/api/nodes/heartbeat", [this](const http::Request& request) {
    if (auto refused = refuse_without_cluster_token(request, "a heartbeat (POST /api/nodes/heartbeat)")) {
      return *refused;
    }
    return handle_heartbeat(request);
  });
  server_.post("/api/calls", [this](const http::Request& request) { return handle_call(request); });

  auto finish = [this](const OpResult& op) { return op_failure(op, ""); };

  server_.put("/api/kv/(.+)", [this, finish](const http::Request& request) {
    const Json command{{"op", "put"}, {"key", request.captures.at(0)}, {"value", request.body}};
    const OpResult op = replicate(command.dump(), op_timeout(request), config_.replication);
    if (auto failed = finish(op)) return *failed;
    if (config_.replication == settings::Replication::sync) {
      return json_response(200, Json{{"success", true}, {"index", op.index}}.dump());
    }
    // Acknowledged early it may still be lost; applied first, it was committed.
    return json_response(200, Json{{"success", true},
                                   {"index", op.index},
                                   {"replication", settings::to_string(config_.replication)},
                                   {"committed", op.committed}}
                                  .dump());
  });
  server_.get("/api/kv/(.+)", [this, finish](const http::Request& request) {
    if (config_.stale_reads) {
      const auto value = read_local(request.captures.at(0));
      return json_response(200, Json{{"success", true},
                                     {"found", value.has_value()},
                                     {"value", value ? Json(*value) : Json(nullptr)},
                                     {"stale_reads", true}}
                                    .dump());
    }
    OpResult op;
    const auto values = read_keys({request.captures.at(0)}, op_timeout(request), op);
    if (auto failed = finish(op)) return *failed;
    const auto& value = values->begin()->second;
    return json_response(200, Json{{"success", true},
                                   {"found", value.has_value()},
                                   {"value", value ? Json(*value) : Json(nullptr)}}
                                  .dump());
  });
  server_.post("/api/kv-read", [this, finish](const http::Request& request) {
    const Json body = Json::parse(request.body, nullptr, false);
    if (!body.is_object() || !body.contains("keys") || !body["keys"].is_array()) {
      return json_response(400, R"({"success":false,"error":"body must be {\"keys\":[...]}"})");
    }
    std::vector<std::string> keys;
    for (const auto& key : body["keys"]) {
      if (key.is_string()) keys.push_back(key.get<std::string>());
    }
    OpResult op;
    const auto values = read_keys(keys, op_timeout(request), op);
    if (auto failed = finish(op)) return *failed;
    Json out = Json::object();
    for (const auto& [key, value] : *values) out[key] = value ? Json(*value) : Json(nullptr);
    return json_response(200, Json{{"success", true}, {"values", out}}.dump());
  });
}

int run_coordinator(const std::string& config_file) {
  std::string error;
  auto config = load_config(config_file, error);
  if (!config) {
    std::cerr << "faultline coordinator: " << error << "\n";
    return 2;
  }
  Coordinator coordinator(*config);
  return http::serve_until_stop_signal(
      "faultline coordinator " + config->name, [&] { return coordinator.listening(); },
      [&](std::string& why) { return coordinator.start(why); }, [&] { coordinator.stop(); });
}

}  // namespace faultline::coordinator
