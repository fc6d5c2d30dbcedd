// The node's life: its hosted servers, its HTTP routes other than MCP's,
// and its registration with the coordinators.
#include "cluster/node/node.hpp"

#include <signal.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <iostream>

#include "cluster/http/bearer.hpp"
#include "cluster/http/client.hpp"
#include "cluster/http/serve.hpp"

namespace faultline::node {

using Json = mcp::Json;
using http::json_response;

namespace {

constexpr long kRegisterTimeoutMs = 1000;
constexpr auto kRegisterRetry = std::chrono::milliseconds(200);

std::string iso_now() {
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[96];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return text;
}

std::int64_t epoch_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Node::Node(settings::Settings settings, std::string self_executable)
    : settings_(std::move(settings)), log_prefix_("faultline node " + settings_.node.name + ": ") {
  for (const auto& s : settings_.servers) {
    if (!s.hostable()) {
      std::cerr << log_prefix_ << "not hosting " << s.name
                << (s.enabled ? " (type " + s.type + ": only stdio servers can be hosted)" : " (disabled)") << "\n";
      continue;
    }
    mcp::ChildSpec spec{s.command == "faultline" ? self_executable : s.command, s.args, s.env};
    servers_.push_back(std::make_unique<mcp::HostedServer>(s.name, std::move(spec), log_prefix_));
  }
}

Node::~Node() { stop(); }

std::string Node::url() const {
  return settings_.node.url.empty() ? "http://" + server_.bound().to_string() : settings_.node.url;
}

mcp::HostedServer* Node::hosted(const std::string& name) const {
  for (const auto& s : servers_) {
    if (s->name() == name) return s.get();
  }
  return nullptr;
}

bool Node::all_ready() const {
  for (const auto& s : servers_) {
    if (!s->ready()) return false;
  }
  return true;
}

std::vector<std::string> Node::ready_servers() const {
  std::vector<std::string> names;
  for (const auto& s : servers_) {
    if (s->ready()) names.push_back(s->name());
  }
  return names;
}

bool Node::start(std::string& error) {
  // A hosted server that exits while the node writes to it must not take
  // the node with it (SIGPIPE); children get the default back (child_process.cpp).
  signal(SIGPIPE, SIG_IGN);
  std::cerr << log_prefix_ << "Initializing as cluster node: " << settings_.node.name << " (" << settings_.node.id
            << (settings_.node.id_generated ? ", generated" : "") << ")\n";
  install_routes();
  if (!server_.start(settings_.node.listen, error)) return false;
  for (auto& s : servers_) s->start();
  for (const auto& coordinator : settings_.node.coordinator_urls) {
    heartbeats_.emplace_back([this, coordinator] { heartbeat_loop(coordinator); });
  }
  return true;
}

void Node::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  stop_cv_.notify_all();
  for (auto& t : heartbeats_) {
    if (t.joinable()) t.join();
  }
  server_.stop();
  for (auto& s : servers_) s->stop();
}

void Node::install_routes() {
  server_.get("/health", [this](const http::Request&) {
    const bool ready = all_ready();
    return json_response(ready ? 200 : 503,
                         Json{{"status", ready ? "healthy" : "unhealthy"},
                              {"message", ready ? "All enabled MCP servers are ready"
                                                : "Not all enabled MCP servers are ready"},
                              {"timestamp", iso_now()},
                              {"node", settings_.node.id},
                              {"servers", ready_servers()}}
                             .dump());
  });
  // Coordinators forward to these with the cluster token; nothing else may
  // call a node's servers (docs/reference-cluster.md, "Tokens").
  auto member_only = [this](const char* what, auto handler) {
    return [this, what, handler](const http::Request& r) {
      if (auto refused = http::refuse_without_token(
              r, settings_.token, {"cluster token", "systemConfig.cluster.token", what, log_prefix_})) {
        return *refused;
      }
      return handler(r);
    };
  };
  server_.post("/mcp", member_only("an MCP request (POST /mcp)",
                                   [this](const http::Request& r) { return mcp_post(r, ""); }));
  server_.post("/mcp/([^/]+)", member_only("an MCP request (POST /mcp/...)", [this](const http::Request& r) {
                 return mcp_post(r, r.captures.at(0));
               }));
  server_.del("/mcp", member_only("an MCP session close (DELETE /mcp)",
                                  [this](const http::Request& r) { return mcp_delete(r, ""); }));
  server_.del("/mcp/([^/]+)", member_only("an MCP session close (DELETE /mcp/...)", [this](const http::Request& r) {
                return mcp_delete(r, r.captures.at(0));
              }));
  auto no_stream = [](const http::Request&) {
    http::Response out = json_response(
        405, mcp::error(nullptr, mcp::kServerError, "Method Not Allowed: no server-initiated stream is offered; "
                                                    "POST requests get their answers directly")
                 .dump());
    out.headers.emplace_back("Allow", "POST, DELETE");
    return out;
  };
  server_.get("/mcp", no_stream);
  server_.get("/mcp/([^/]+)", no_stream);
  server_.post("/api/call", member_only("a routed call (POST /api/call)", [this](const http::Request& request) {
    const Json body = Json::parse(request.body, nullptr, false);
    if (!body.is_object() || !body.contains("session") || !body["session"].is_string()) {
      return json_response(400, R"({"success":false,"message":"body must name a \"session\""})");
    }
    const std::string session = body["session"].get<std::string>();
    std::uint64_t calls = 0;
    {
      std::lock_guard lock(mu_);
      calls = ++routed_calls_[session];
    }
    return json_response(200, Json{{"success", true}, {"worker", settings_.node.id}, {"session", session},
                                   {"calls", calls}}
                                  .dump());
  }));
}

Json Node::registration_body() const {
  const auto& bound = server_.bound();
  return Json{{"id", settings_.node.id},
              {"name", settings_.node.name},
              {"host", bound.host},
              {"port", bound.port},
              {"url", url()},
              {"status", "active"},
              {"lastHeartbeat", epoch_ms()},
              {"timestamp", epoch_ms()},
              {"servers", ready_servers()},
              {"weight", settings_.node.weight}};
}

void Node::heartbeat_loop(std::string coordinator) {
  http::Client client;
  http::RequestOptions options;
  options.timeout_ms = kRegisterTimeoutMs;
  // The cluster token (systemConfig.cluster.token), when the cluster has one.
  options.headers = http::bearer_headers(settings_.token);
  bool want_register = settings_.node.register_on_startup;
  bool failing = false;  // a failure is logged once, and so is the recovery
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    const bool registering = want_register;
    const auto response =
        client.request("POST", coordinator + (registering ? "/api/cluster/register" : "/api/cluster/heartbeat"),
                       registration_body().dump(), options);
    const bool ok = response.ok() && response.status == 200;
    auto wait = std::chrono::milliseconds(settings_.node.heartbeat_interval_ms);
    if (ok) {
      if (registering) {
        std::cerr << log_prefix_ << "Node registered with coordinator at " << coordinator << "\n";
      } else if (failing) {
        std::cerr << log_prefix_ << "heartbeats to " << coordinator << " are answered again\n";
      }
      want_register = false;
      failing = false;
    } else if (!registering && response.ok() && response.status == 404) {
      // The coordinator does not know this node (it restarted, or the node
      // never registered): register at once, which MCPHub's nodes never do.
      want_register = true;
      wait = std::chrono::milliseconds(0);
    } else {
      if (!failing) {
        std::cerr << log_prefix_
                  << (registering ? "Failed to register with coordinator: " : "Failed to send heartbeat to coordinator: ")
                  << coordinator << ": "
                  << (response.ok() ? "HTTP " + std::to_string(response.status) : response.error) << "\n";
      }
      failing = true;
      if (registering) wait = std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(kRegisterRetry));
    }
    lock.lock();
    if (wait.count() > 0) stop_cv_.wait_for(lock, wait, [this] { return stopping_; });
  }
}

int run_node(const std::string& settings_file) {
  std::string error;
  auto settings = settings::load_for(settings_file, settings::Mode::node, error);
  if (!settings) {
    std::cerr << "faultline node: " << error << "\n";
    return 2;
  }
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  Node node(*settings, ec ? std::string("faultline") : self.string());
  return http::serve_until_stop_signal(
      "faultline node " + settings->node.name, [&] { return node.listening(); },
      [&](std::string& why) { return node.start(why); }, [&] { node.stop(); });
}

}  // namespace faultline::node
