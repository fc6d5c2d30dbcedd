#include "cluster/worker/worker.hpp"

#include <iostream>

#include <nlohmann/json.hpp>

#include "cluster/http/client.hpp"
#include "cluster/http/config_file.hpp"
#include "cluster/http/serve.hpp"

namespace faultline::worker {

using Json = nlohmann::json;

namespace {

constexpr long kHeartbeatTimeoutMs = 250;

using http::json_response;

}  // namespace

std::optional<Config> load_config(const std::string& file, std::string& error) {
  const auto read = http::read_config_object(file, "worker", error);
  if (!read) return std::nullopt;
  const Json& json = *read;
  Config config;
  try {
    config.name = json.at("name").get<std::string>();
    config.listen = http::parse_address(json.contains("listen") ? json["listen"] : Json(), "$.listen",
                                        http::AddressUse::listen);
    for (const auto& url : json.at("coordinators")) config.coordinators.push_back(url.get<std::string>());
    if (config.coordinators.empty()) throw std::invalid_argument("$.coordinators is empty");
    if (json.contains("heartbeat_ms")) config.heartbeat_ms = json["heartbeat_ms"].get<std::int64_t>();
    if (config.heartbeat_ms < 1) throw std::invalid_argument("$.heartbeat_ms must be at least 1");
  } catch (const std::exception& e) {
    error = file + ": " + e.what();
    return std::nullopt;
  }
  return config;
}

Worker::Worker(Config config) : config_(std::move(config)) {}

Worker::~Worker() { stop(); }

std::string Worker::url() const {
  return "http://" + server_.bound().to_string();
}

bool Worker::start(std::string& error) {
  server_.get("/health", [this](const http::Request&) {
    return json_response(200, Json{{"status", "ok"}, {"worker", config_.name}}.dump());
  });
  server_.post("/api/call", [this](const http::Request& request) {
    const Json body = Json::parse(request.body, nullptr, false);
    if (!body.is_object() || !body.contains("session") || !body["session"].is_string()) {
      return json_response(400, R"({"success":false,"error":"body must name a \"session\""})");
    }
    const std::string session = body["session"].get<std::string>();
    std::uint64_t calls = 0;
    {
      std::lock_guard lock(mu_);
      calls = ++sessions_[session];
    }
    return json_response(200, Json{{"success", true},
                                   {"worker", config_.name},
                                   {"session", session},
                                   {"calls", calls}}
                                  .dump());
  });
  if (!server_.start(config_.listen, error)) return false;
  heartbeat_ = std::thread([this] { heartbeat_loop(); });
  return true;
}

void Worker::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (heartbeat_.joinable()) heartbeat_.join();
  server_.stop();
}

void Worker::heartbeat_loop() {
  http::Client client;
  std::size_t next = 0;               // the coordinator to try when no leader is known
  std::optional<std::string> leader;  // the leader's URL, as the last answer named it
  const std::string body = Json{{"name", config_.name}, {"url", url()}}.dump();
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    const std::string target = leader ? *leader : config_.coordinators[next];
    const auto response =
        client.request("POST", target + "/api/nodes/heartbeat", body, kHeartbeatTimeoutMs);
    if (!(response.ok() && response.status == 200)) {
      leader.reset();
      if (response.ok() && response.status == 421) {
        const Json hint = Json::parse(response.body, nullptr, false);
        if (hint.is_object() && hint.contains("leader_url") && hint["leader_url"].is_string()) {
          leader = hint["leader_url"].get<std::string>();
        }
      }
      if (!leader) next = (next + 1) % config_.coordinators.size();
    } else {
      leader = target;
    }
    lock.lock();
    stop_cv_.wait_for(lock, std::chrono::milliseconds(config_.heartbeat_ms),
                      [this] { return stopping_; });
  }
}

int run_worker(const std::string& config_file) {
  std::string error;
  const auto config = load_config(config_file, error);
  if (!config) {
    std::cerr << "faultline worker: " << error << "\n";
    return 2;
  }
  Worker worker(*config);
  return http::serve_until_stop_signal(
      "faultline worker " + config->name, [&] { return worker.listening(); },
      [&](std::string& why) { return worker.start(why); }, [&] { worker.stop(); });
}

}  // namespace faultline::worker
