// MCPHub's management API and registration protocol on the coordinators,
// the internal pin endpoint, and the sweeper (mcp_router.hpp).
#include <algorithm>
#include <iostream>
#include <set>

#include "cluster/coordinator/coordinator.hpp"
#include "cluster/coordinator/mcp_router.hpp"
#include "cluster/mcp/jsonrpc.hpp"

namespace faultline::coordinator {

using Json = nlohmann::json;

namespace {

http::Response ok(const Json& data) { return http::json_response(200, Json{{"success", true}, {"data", data}}.dump()); }

http::Response failure(int status, const std::string& message) {
  return http::json_response(status, Json{{"success", false}, {"message", message}}.dump());
}

DetectorSettings detector_settings(const settings::CoordinatorSettings& c) {
  DetectorSettings d;
  d.kind = c.failure_detector == settings::FailureDetector::adaptive ? DetectorKind::adaptive : DetectorKind::fixed;
  d.node_timeout_ms = c.node_timeout_ms;
  d.k = c.failure_detector_k;
  d.misses = c.failure_detector_misses;
  d.window = static_cast<std::size_t>(c.failure_detector_window);
  d.min_samples = static_cast<std::size_t>(c.failure_detector_min_samples);
  return d;
}

std::chrono::milliseconds sweep_period(const settings::CoordinatorSettings& c) {
  // The adaptive detector's bound can be far below nodeTimeout: sweep often
  // enough for its log lines to come near the instant (routing itself asks
  // the detector at every request, not the sweep).
  const std::int64_t timeout =
      c.failure_detector == settings::FailureDetector::adaptive ? std::min<std::int64_t>(c.node_timeout_ms, 200)
                                                                : c.node_timeout_ms;
  const auto shortest = std::min(timeout, c.cleanup_interval_ms);
  return std::chrono::milliseconds(std::clamp<std::int64_t>(shortest / 4, 10, 1000));
}

}  // namespace

McpRouter::McpRouter(Coordinator& coordinator)
    : c_(coordinator),
      log_prefix_("faultline coordinator " + coordinator.config_.name + ": "),
      registry_(detector_settings(coordinator.config_.settings.coordinator),
                coordinator.config_.settings.coordinator.cleanup_interval_ms, log_prefix_),
      breaker_(coordinator.config_.settings.routing),
      balancer_(coordinator.config_.settings.routing.balancing) {
  std::cerr << log_prefix_ << "Initializing as cluster coordinator (sticky sessions "
            << settings::to_string(c_.config_.settings.sticky.strategy) << ", balancing "
            << settings::to_string(balancer_.strategy()) << ", "
            << settings::to_string(c_.config_.settings.coordinator.failure_detector) << " failure detector, nodeTimeout "
            << c_.config_.settings.coordinator.node_timeout_ms << " ms)\n";
  sweeper_ = std::thread([this] { sweep_loop(); });
}

McpRouter::~McpRouter() {
  {
    std::lock_guard lock(sweep_mu_);
    stopping_ = true;
  }
  sweep_cv_.notify_all();
  if (sweeper_.joinable()) sweeper_.join();
}

void McpRouter::sweep_loop() {
  const auto period = sweep_period(c_.config_.settings.coordinator);
  const auto cleanup = std::chrono::milliseconds(c_.config_.settings.coordinator.cleanup_interval_ms);
  auto next_expiry = std::chrono::steady_clock::now() + cleanup;
  std::unique_lock lock(sweep_mu_);
  while (!sweep_cv_.wait_for(lock, period, [this] { return stopping_; })) {
    lock.unlock();
    registry_.sweep();
    if (std::chrono::steady_clock::now() >= next_expiry) {
      expire_pins();
      next_expiry = std::chrono::steady_clock::now() + cleanup;
    }
    lock.lock();
  }
}

void McpRouter::expire_pins() {
  std::vector<Pin> expired;
  {
    std::lock_guard lock(c_.mu_);
    if (c_.node_->role() != raft::Role::leader) return;
    const auto now = epoch_ms_now();
    const std::string prefix = "_mcp/";
    const auto& data = c_.kv_.data();
    for (auto it = data.lower_bound(prefix); it != data.end() && it->first.compare(0, prefix.size(), prefix) == 0;
         ++it) {
      auto pin = Pin::from_json(it->first.substr(prefix.size()), it->second);
      if (pin && pin->expires_ms < now) expired.push_back(*pin);
    }
  }
  for (const Pin& pin : expired) {
    Pin current;
    std::string error;
    if (write_pin(pin, true, pin.node, current, error)) {
      std::cerr << log_prefix_ << "Removed expired session affinity: " << pin.session << "\n";
    }
  }
}

void McpRouter::install(http::Server& server) {
  server.post("/mcp", [this](const http::Request& r) { return post(r, ""); });
  server.post("/mcp/([^/]+)", [this](const http::Request& r) { return post(r, r.captures.at(0)); });
  server.del("/mcp", [this](const http::Request& r) { return remove(r, ""); });
  server.del("/mcp/([^/]+)", [this](const http::Request& r) { return remove(r, r.captures.at(0)); });
  auto no_stream = [](const http::Request&) {
    http::Response out = http::json_response(
        405, mcp::error(nullptr, mcp::kServerError,
                        "Method Not Allowed: no server-initiated stream is offered; POST requests get their answers "
                        "directly")
                 .dump());
    out.headers.emplace_back("Allow", "POST, DELETE");
    return out;
  };
  server.get("/mcp", no_stream);
  server.get("/mcp/([^/]+)", no_stream);
  server.put("/mcp", no_stream);
  server.put("/mcp/([^/]+)", no_stream);
  install_api(server);
}

void McpRouter::install_api(http::Server& server) {
  server.get("/health", [this](const http::Request&) {
    return http::json_response(200, Json{{"status", "healthy"},
                                         {"message", "coordinator " + c_.config_.name + " is serving"},
                                         {"timestamp", iso_time(epoch_ms_now())},
                                         {"member", c_.config_.name}}
                                        .dump());
  });
  server.get("/api/cluster/status", [this](const http::Request&) { return ok(cluster_status()); });
  server.get("/api/cluster/nodes", [this](const http::Request& r) {
    const auto it = r.query.find("active");
    const bool only_active = it != r.query.end() && it->second == "true";
    Json list = Json::array();
    const auto now = std::chrono::steady_clock::now();
    for (const auto& n : registry_.nodes()) {
      if (only_active && !n.active) continue;
      Json j = n.to_json();
      j["metadata"]["circuitBreaker"] = breaker_.state(n.id, now);
      list.push_back(j);
    }
    return ok(list);
  });
  server.get("/api/cluster/servers/([^/]+)/replicas", [this](const http::Request& r) {
    const std::string name = r.captures.at(0);
    Json list = Json::array();
    for (const auto& n : registry_.nodes()) {
      if (!n.hosts(name)) continue;
      list.push_back(Json{{"serverId", name},
                          {"nodeId", n.id},
                          {"nodeUrl", n.url},
                          {"status", n.usable() ? "active" : "inactive"},
                          {"weight", n.weight}});
    }
    return ok(list);
  });
  server.get("/api/cluster/sessions/([^/]+)", [this](const http::Request& r) {
    const std::string session = r.captures.at(0);
    const bool raw = r.query.count("pin") > 0;
    if (raw) {
      if (auto refused = c_.refuse_without_cluster_token(r, "a pin read (GET /api/cluster/sessions/...?pin)")) {
        return *refused;
      }
    }
    Pin pin;
    std::string error;
    Found found = Found::no;
    if (raw) {
      // Another coordinator asks the leader: answer from this member's own
      // state, and only as the leader (no forwarding back and forth).
      {
        std::lock_guard lock(c_.mu_);
        if (c_.node_->role() != raft::Role::leader) return http::json_response(421, c_.leader_hint_json_locked("not the leader"));
      }
    }
    found = read_pin(session, pin, error);
    if (found == Found::unavailable) return failure(503, error);
    if (found == Found::no) return failure(404, "Session affinity not found");
    Json data{{"sessionId", session},
              {"nodeId", pin.node},
              {"serverId", pin.server.empty() ? Json(nullptr) : Json(pin.server)},
              {"createdAt", pin.created_ms},
              {"lastAccessed", pin.updated_ms},
              {"expiresAt", pin.expires_ms},
              {"moves", pin.moves}};
    if (raw) data["pin"] = pin.to_json();
    return ok(data);
  });
  server.post("/api/cluster/register", [this](const http::Request& r) {
    if (auto refused = c_.refuse_without_cluster_token(r, "a registration (POST /api/cluster/register)")) {
      return *refused;
    }
    const Json body = Json::parse(r.body, nullptr, false);
    if (auto problem = registry_.register_node(body)) return failure(400, *problem);
    feed_legacy_registry(body);
    return http::json_response(200, R"({"success":true,"message":"Node registered successfully"})");
  });
  server.post("/api/cluster/heartbeat", [this](const http::Request& r) {
    if (auto refused = c_.refuse_without_cluster_token(r, "a heartbeat (POST /api/cluster/heartbeat)")) {
      return *refused;
    }
    const Json body = Json::parse(r.body, nullptr, false);
    switch (registry_.heartbeat(body)) {
      case NodeRegistry::Beat::invalid: return failure(400, "Missing required field: id");
      case NodeRegistry::Beat::unknown:
        return failure(404, "Unknown node " + body["id"].get<std::string>() + ": register first");
      case NodeRegistry::Beat::ok: break;
    }
    feed_legacy_registry(body);
    return http::json_response(200, R"({"success":true,"message":"Heartbeat updated successfully"})");
  });
  server.post("/api/cluster/pins", [this](const http::Request& r) {
    if (auto refused = c_.refuse_without_cluster_token(r, "a pin write (POST /api/cluster/pins)")) return *refused;
    const Json body = Json::parse(r.body, nullptr, false);
    if (!body.is_object() || !body.contains("session") || !body["session"].is_string() || !body.contains("pin")) {
      return failure(400, "body must be {\"op\":\"put\"|\"del\",\"session\":...,\"pin\":{...},\"expect\":...}");
    }
    const std::string session = body["session"].get<std::string>();
    const auto pin = Pin::from_json(session, body["pin"].dump());
    if (!pin) return failure(400, "pin must name a node");
    {
      std::lock_guard lock(c_.mu_);
      if (c_.node_->role() != raft::Role::leader) return http::json_response(421, c_.leader_hint_json_locked("not the leader"));
    }
    Pin current;
    std::string error;
    int status = 0;
    const std::string expect = body.value("expect", "");
    if (write_pin_as_leader(*pin, body.value("op", "put") == "del", expect, current, error, status)) {
      return http::json_response(200, R"({"success":true})");
    }
    if (status == 409) return http::json_response(409, Json{{"success", false}, {"pin", current.to_json()}}.dump());
    if (status == 421) return http::json_response(421, c_.leader_hint_json("not the leader"));
    return failure(status, error);
  });
}

void McpRouter::feed_legacy_registry(const Json& body) {
  // The legacy routed calls (routing.cpp) keep their own leader-side view of
  // the nodes, fed by the same heartbeats.
  if (!body.contains("url") || !body["url"].is_string()) return;
  {
    std::lock_guard lock(c_.mu_);
    if (c_.node_->role() != raft::Role::leader) return;
  }
  http::Request legacy;
  legacy.body = Json{{"name", body["id"]}, {"url", body["url"]}}.dump();
  c_.handle_heartbeat(legacy);
}


// MCPHub's cluster status: the node registry as this coordinator sees it,
// the pins, its Raft role (also the facts /metrics serves).
nlohmann::json McpRouter::cluster_status() {
  const auto nodes = registry_.nodes();
  std::size_t active = 0;
  std::set<std::string> servers;
  for (const auto& n : nodes) {
    if (!n.active) continue;
    ++active;
    servers.insert(n.servers.begin(), n.servers.end());
  }
  Json data{{"enabled", true}, {"mode", "coordinator"}, {"nodeId", c_.config_.name}};
  std::size_t routed = 0;
  Json raft;
  raft::Term leading = 0;
  {
    std::lock_guard lock(c_.mu_);
    if (c_.node_->role() == raft::Role::leader) leading = c_.node_->term();
    routed = c_.pinned_sessions_locked();
    raft = Json{{"term", c_.node_->term()},
                {"role", std::string(raft::to_string(c_.node_->role()))},
                {"commitIndex", c_.node_->commit_index()}};
    const auto leader = c_.node_->leader();
    const Member* m = leader ? c_.config_.member(*leader) : nullptr;
    raft["leader"] = m ? Json(m->name) : Json(nullptr);
  }
  data["stats"] = Json{{"nodes", nodes.size()},
                       {"activeNodes", active},
                       {"servers", servers.size()},
                       {"sessions", mcp_sessions() + routed},
                       {"mcpSessions", mcp_sessions()},
                       {"routedSessions", routed},
                       // The legacy routed calls' own view, on the leader only.
                       {"routedNodes", c_.worker_counts(leading).second}};
  data["raft"] = raft;
  data["stickySession"] = Json{{"enabled", c_.config_.settings.sticky.enabled},
                               {"strategy", settings::to_string(c_.config_.settings.sticky.strategy)}};
  data["loadBalancing"] = Json{{"strategy", settings::to_string(balancer_.strategy())}};
  return data;
}

}  // namespace faultline::coordinator
