#include "cluster/coordinator/mcp_registry.hpp"

#include <ctime>
#include <iostream>

namespace faultline::coordinator {

using Json = nlohmann::json;

std::string iso_time(std::int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[96];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return text;
}

std::int64_t epoch_ms_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool NodeView::hosts(const std::string& server) const {
  if (server.empty()) return true;
  for (const auto& s : servers) {
    if (s == server) return true;
  }
  return false;
}

Json NodeView::to_json() const {
  return Json{{"id", id},           {"name", name},
              {"host", host},       {"port", port},
              {"url", url},         {"status", active ? "active" : "unhealthy"},
              {"lastHeartbeat", last_heartbeat_ms},
              {"servers", servers}, {"weight", weight},
              {"metadata", Json{{"down", down},
                                {"registeredAt", registered_ms},
                                {"failureDetector", Json{{"kind", detector},
                                                         {"boundMs", bound_ms},
                                                         {"silenceMs", silence_ms},
                                                         {"samples", samples},
                                                         {"meanIntervalMs", mean_interval_ms},
                                                         {"stddevIntervalMs", stddev_interval_ms}}}}}};
}

NodeRegistry::NodeRegistry(DetectorSettings detector, std::int64_t cleanup_interval_ms, std::string log_prefix)
    : detector_(detector),
      node_timeout_(detector.node_timeout_ms),
      cleanup_interval_(cleanup_interval_ms),
      log_prefix_(std::move(log_prefix)) {}

std::int64_t NodeRegistry::ms_of(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

void NodeRegistry::note_suspicion_locked(Record& r, Clock::time_point now) {
  if (r.unhealthy_logged || !r.detector.suspected(ms_of(now))) return;
  std::cerr << log_prefix_ << "Marking node " << r.view.id << " as unhealthy (last heartbeat: "
            << iso_time(r.view.last_heartbeat_ms) << "; " << to_string(detector_.kind) << " failure detector, silent "
            << std::chrono::duration_cast<std::chrono::milliseconds>(now - r.last_seen).count() << " ms, bound "
            << r.detector.bound_ms() << " ms)\n";
  r.unhealthy_logged = true;
}

void NodeRegistry::update_locked(Record& r, const Json& body) {
  NodeView& v = r.view;
  const auto now = Clock::now();
  // A suspicion shorter than the sweep period is logged here, late, so that
  // every one of them has its line.
  note_suspicion_locked(r, now);
  if (body.contains("name") && body["name"].is_string()) v.name = body["name"].get<std::string>();
  if (body.contains("url") && body["url"].is_string()) v.url = body["url"].get<std::string>();
  if (body.contains("host") && body["host"].is_string()) v.host = body["host"].get<std::string>();
  if (body.contains("port") && body["port"].is_number_integer()) v.port = body["port"].get<int>();
  if (body.contains("weight") && body["weight"].is_number_integer()) v.weight = std::max(1, body["weight"].get<int>());
  if (body.contains("servers") && body["servers"].is_array()) {
    v.servers.clear();
    for (const auto& s : body["servers"]) {
      if (s.is_string()) v.servers.push_back(s.get<std::string>());
    }
  }
  v.last_heartbeat_ms = epoch_ms_now();
  v.down = false;
  r.last_seen = now;
  r.detector.heartbeat(ms_of(r.last_seen));
  if (r.unhealthy_logged) std::cerr << log_prefix_ << "Node " << v.id << " is active again\n";
  r.unhealthy_logged = false;
}

std::optional<std::string> NodeRegistry::register_node(const Json& body) {
  for (const char* field : {"id", "name", "url"}) {
    if (!body.is_object() || !body.contains(field) || !body[field].is_string() || body[field].get<std::string>().empty()) {
      return std::string("Missing required fields: id, name, url");
    }
  }
  std::lock_guard lock(mu_);
  Record& r = nodes_.try_emplace(body["id"].get<std::string>(), detector_).first->second;
  // A registration starts a new life of the node: what its earlier one
  // taught the detector says nothing about it.
  r.detector.reset();
  r.view.id = body["id"].get<std::string>();
  r.view.registered_ms = epoch_ms_now();
  r.unhealthy_logged = false;
  update_locked(r, body);
  std::cerr << log_prefix_ << "Node registered: " << r.view.name << " (" << r.view.id << ") with "
            << r.view.servers.size() << " servers\n";
  return std::nullopt;
}

NodeRegistry::Beat NodeRegistry::heartbeat(const Json& body) {
  if (!body.is_object() || !body.contains("id") || !body["id"].is_string()) return Beat::invalid;
  const std::string id = body["id"].get<std::string>();
  std::lock_guard lock(mu_);
  const auto it = nodes_.find(id);
  if (it == nodes_.end()) {
    std::cerr << log_prefix_ << "Received heartbeat from unknown node: " << id << "\n";
    return Beat::unknown;
  }
  update_locked(it->second, body);
  return Beat::ok;
}

void NodeRegistry::mark_down(const std::string& id) {
  std::lock_guard lock(mu_);
  const auto it = nodes_.find(id);
  if (it == nodes_.end() || it->second.view.down) return;
  it->second.view.down = true;
  std::cerr << log_prefix_ << "Node " << id << " refused a request; its sessions move until its next heartbeat\n";
}

NodeView NodeRegistry::view_locked(const Record& r, Clock::time_point now) const {
  NodeView v = r.view;
  const std::int64_t now_ms = ms_of(now);
  v.active = !r.detector.suspected(now_ms);
  v.detector = to_string(detector_.kind);
  v.bound_ms = r.detector.bound_ms();
  v.silence_ms = r.detector.last_ms() ? now_ms - *r.detector.last_ms() : 0;
  v.samples = r.detector.samples();
  v.mean_interval_ms = r.detector.mean_ms();
  v.stddev_interval_ms = r.detector.stddev_ms();
  return v;
}

std::vector<NodeView> NodeRegistry::nodes() const {
  std::lock_guard lock(mu_);
  const auto now = Clock::now();
  std::vector<NodeView> out;
  for (const auto& [id, r] : nodes_) out.push_back(view_locked(r, now));
  return out;
}

std::optional<NodeView> NodeRegistry::find(const std::string& id) const {
  std::lock_guard lock(mu_);
  const auto it = nodes_.find(id);
  if (it == nodes_.end()) return std::nullopt;
  return view_locked(it->second, Clock::now());
}

void NodeRegistry::sweep() {
  std::lock_guard lock(mu_);
  const auto now = Clock::now();
  for (auto it = nodes_.begin(); it != nodes_.end();) {
    Record& r = it->second;
    const auto silent = now - r.last_seen;
    if (silent > node_timeout_ + cleanup_interval_) {
      std::cerr << log_prefix_ << "Removed node " << r.view.id << " (no heartbeat since "
                << iso_time(r.view.last_heartbeat_ms) << ")\n";
      it = nodes_.erase(it);
      continue;
    }
    note_suspicion_locked(r, now);
    ++it;
  }
}

}  // namespace faultline::coordinator
