// Session pins: `_mcp/<session>` in the replicated key-value state, read
// from the local applied state (or the leader's, when this member has not
// applied it yet) and written by the leader only (mcp_router.hpp).
#include <thread>

#include "cluster/coordinator/coordinator.hpp"
#include "cluster/coordinator/mcp_router.hpp"

namespace faultline::coordinator {

using Json = nlohmann::json;

namespace {
const std::string kPinPrefix = "_mcp/";
constexpr auto kPinDeadline = std::chrono::milliseconds(2000);
constexpr auto kCatchUp = std::chrono::milliseconds(1000);
constexpr long kLeaderRequestMs = 1500;
constexpr auto kRetryPause = std::chrono::milliseconds(20);
}  // namespace

Json Pin::to_json() const {
  return Json{{"node", node},
              {"server", server.empty() ? Json(nullptr) : Json(server)},
              {"createdAt", created_ms},
              {"updatedAt", updated_ms},
              {"expiresAt", expires_ms},
              {"init", init},
              {"moves", moves}};
}

std::optional<Pin> Pin::from_json(const std::string& session, const std::string& text) {
  const Json j = Json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("node") || !j["node"].is_string()) return std::nullopt;
  Pin p;
  p.session = session;
  p.node = j["node"].get<std::string>();
  p.server = j.contains("server") && j["server"].is_string() ? j["server"].get<std::string>() : "";
  p.created_ms = j.value("createdAt", std::int64_t{0});
  p.updated_ms = j.value("updatedAt", p.created_ms);
  p.expires_ms = j.value("expiresAt", std::int64_t{0});
  p.init = j.value("init", Json::object());
  p.moves = j.value("moves", std::int64_t{0});
  return p;
}

std::optional<std::string> McpRouter::leader_url() {
  std::lock_guard lock(c_.mu_);
  const auto leader = c_.node_->leader();
  const Member* m = leader ? c_.config_.member(*leader) : nullptr;
  if (m == nullptr) return std::nullopt;
  return m->url;
}

McpRouter::Found McpRouter::read_pin(const std::string& session, Pin& pin, std::string& error, bool authoritative) {
  {
    std::unique_lock lock(c_.mu_);
    const bool leader = c_.node_->role() == raft::Role::leader;
    if (leader) {
      // A new leader answers only once it has applied every entry committed
      // before its term, or it would call a pinned session unknown.
      const bool caught_up = c_.applied_cv_.wait_for(lock, kCatchUp, [this] {
        return c_.stopping_.load() || c_.node_->role() != raft::Role::leader ||
               (c_.node_->committed_in_current_term() && c_.applied_index_ >= c_.node_->commit_index());
      });
      if (!caught_up) {
        error = "the new leader has not caught up with the log yet";
        return Found::unavailable;
      }
    }
    if (leader || !authoritative) {
      if (const auto value = c_.kv_.get(kPinPrefix + session)) {
        if (auto p = Pin::from_json(session, *value)) {
          pin = *p;
          return Found::yes;
        }
      }
    }
    if (leader && c_.node_->role() == raft::Role::leader) return Found::no;
  }
  const auto url = leader_url();
  if (!url) {
    error = "no coordinator leader is known (an election is in progress)";
    return Found::unavailable;
  }
  thread_local http::Client client;
  http::RequestOptions options;
  options.timeout_ms = kLeaderRequestMs;
  options.headers = c_.cluster_auth_headers();
  const auto r = client.request("GET", *url + "/api/cluster/sessions/" + session + "?pin=1", "", options);
  if (r.ok() && r.status == 404) return Found::no;
  const Json body = r.ok() && r.status == 200 ? Json::parse(r.body, nullptr, false) : Json();
  if (body.is_object() && body.contains("data") && body["data"].contains("pin")) {
    if (auto p = Pin::from_json(session, body["data"]["pin"].dump())) {
      pin = *p;
      return Found::yes;
    }
  }
  error = "the leader " + *url + " did not answer the pin of session " + session + " (" +
          (r.ok() ? "HTTP " + std::to_string(r.status) : r.error) + ")";
  return Found::unavailable;
}

bool McpRouter::write_pin_as_leader(const Pin& pin, bool remove, const std::string& expect_node, Pin& current,
                                    std::string& error, int& status) {
  std::lock_guard pins(pin_mu_);
  if (!expect_node.empty()) {
    std::optional<std::string> value;
    {
      std::lock_guard lock(c_.mu_);
      value = c_.kv_.get(kPinPrefix + pin.session);
    }
    const auto now = value ? Pin::from_json(pin.session, *value) : std::nullopt;
    if (!now) {
      status = 404;
      error = "session " + pin.session + " has ended";
      return false;
    }
    if (now->node != expect_node) {
      current = *now;
      status = 409;
      error.clear();
      return false;
    }
  }
  const Json command = remove ? Json{{"op", "del"}, {"key", kPinPrefix + pin.session}}
                              : Json{{"op", "put"}, {"key", kPinPrefix + pin.session}, {"value", pin.to_json().dump()}};
  const OpResult op = c_.replicate(command.dump(), kCatchUp);
  switch (op.outcome) {
    case Outcome::ok: status = 200; return true;
    case Outcome::not_leader: status = 421; error = "not the leader"; return false;
    case Outcome::lost: status = 503; error = "the pin was superseded: leadership changed"; return false;
    case Outcome::timeout: status = 504; error = "the pin was not committed before the deadline"; return false;
  }
  return false;
}

bool McpRouter::write_pin(const Pin& pin, bool remove, const std::string& expect_node, Pin& current,
                          std::string& error) {
  const auto deadline = std::chrono::steady_clock::now() + kPinDeadline;
  thread_local http::Client client;
  while (std::chrono::steady_clock::now() < deadline) {
    bool leader = false;
    {
      std::lock_guard lock(c_.mu_);
      leader = c_.node_->role() == raft::Role::leader;
    }
    int status = 0;
    if (leader) {
      if (write_pin_as_leader(pin, remove, expect_node, current, error, status)) return true;
      if (status == 409 || status == 404 || status == 504) return false;
    } else if (const auto url = leader_url()) {
      const Json body{{"op", remove ? "del" : "put"}, {"session", pin.session}, {"pin", pin.to_json()},
                      {"expect", expect_node}};
      http::RequestOptions options;
      options.timeout_ms = kLeaderRequestMs;
      options.headers = c_.cluster_auth_headers();
      const auto r = client.request("POST", *url + "/api/cluster/pins", body.dump(), options);
      if (r.ok() && r.status == 200) return true;
      const Json answer = r.ok() ? Json::parse(r.body, nullptr, false) : Json();
      if (r.ok() && r.status == 409 && answer.is_object() && answer.contains("pin")) {
        if (auto p = Pin::from_json(pin.session, answer["pin"].dump())) current = *p;
        error.clear();
        return false;
      }
      if (r.ok() && (r.status == 404 || r.status == 504)) {
        error = answer.is_object() ? answer.value("message", "HTTP " + std::to_string(r.status))
                                   : "HTTP " + std::to_string(r.status);
        return false;
      }
      error = "the leader " + *url + " did not take the pin (" +
              (r.ok() ? "HTTP " + std::to_string(r.status) : r.error) + ")";
      if (r.ok() && r.status != 421 && r.status != 503) return false;
    } else {
      error = "no coordinator leader is known (an election is in progress)";
    }
    std::this_thread::sleep_for(kRetryPause);
  }
  if (error.empty()) error = "the pin could not be written before the deadline";
  return false;
}

std::size_t McpRouter::pins_on(const std::string& node) const {
  std::lock_guard lock(c_.mu_);
  std::size_t count = 0;
  const auto& data = c_.kv_.data();
  const std::string value = Json(node).dump();
  for (auto it = data.lower_bound(kPinPrefix);
       it != data.end() && it->first.compare(0, kPinPrefix.size(), kPinPrefix) == 0; ++it) {
    // Cheaper than parsing every pin: objects are written with sorted keys,
    // so the last "node" of the text is the pin's own (only "server" and
    // "updatedAt", plain values, follow it; the init params come before).
    const auto at = it->second.rfind("\"node\":");
    if (at != std::string::npos && it->second.compare(at + 7, value.size(), value) == 0) ++count;
  }
  return count;
}

std::size_t McpRouter::mcp_sessions() const {
  std::lock_guard lock(c_.mu_);
  std::size_t count = 0;
  const auto& data = c_.kv_.data();
  for (auto it = data.lower_bound(kPinPrefix);
       it != data.end() && it->first.compare(0, kPinPrefix.size(), kPinPrefix) == 0; ++it) {
    ++count;
  }
  return count;
}

}  // namespace faultline::coordinator
