// Routed calls: the coordinators' leader keeps a registry of worker nodes and
// sends each session's calls to the worker the session is pinned to (sticky
// sessions), moving the session to another worker only when its worker fails.
//
//   POST /api/nodes/heartbeat  {"name":"w1","url":"http://127.0.0.1:7101"}
//                              leader only (421 otherwise, naming the leader)
//   POST /api/calls            {"session":"s1","call":"17","payload":...}
//                              -> 200 {"worker":"w2","session":"s1",
//                                      "moved_from":"w1"|null,"cause":text|null,
//                                      "result":{the worker's answer}}
//                              421 not the leader; 503 no live worker, or the
//                              new pin was superseded; 504 the new pin was not
//                              committed in time; 502 the chosen worker failed
//
// The pins (`_session/<id>` -> worker) and the workers' URLs (`_worker/<name>`)
// are replicated through the Raft log, so a new leader routes every session to
// the same worker as the old one. Liveness is the leader's own: a worker is
// live while its heartbeats arrive within worker_timeout_ms; a call it fails
// to answer marks it dead until its next heartbeat. A pinned worker that this
// leader has not heard from yet (it was just elected) is tried anyway.
//
// A session moves only for a cause: its worker missed heartbeats, or failed
// the call just now. The new worker is the live one ranked first for the
// session by rendezvous hashing, so the choice is spread and deterministic.
#include <nlohmann/json.hpp>

#include "cluster/coordinator/coordinator.hpp"
#include "cluster/http/client.hpp"
#include "cluster/util/fnv1a64.hpp"

namespace faultline::coordinator {

using Json = nlohmann::json;

namespace {

const std::string kSessionPrefix = "_session/";
const std::string kWorkerPrefix = "_worker/";
constexpr auto kPinTimeout = std::chrono::milliseconds(1000);

using http::json_response;

// FNV-1a 64 of "<session>\n<worker>": the worker with the highest rank for
// a session gets it.
std::uint64_t rendezvous(const std::string& session, const std::string& worker) {
  return util::fnv1a64_extend(util::fnv1a64_extend(util::fnv1a64(session), "\n"), worker);
}

}  // namespace

void Coordinator::use_registry_of_term_locked(raft::Term term) {
  if (term == registry_term_) return;
  workers_.clear();
  registry_term_ = term;
}

bool Coordinator::worker_live_locked(const std::string& name, std::int64_t now_ms) const {
  // On this member's own clock: a skewed or drifting clock moves the
  // worker timeout with it (docs/reference-cluster.md, "Clock").
  const auto it = workers_.find(name);
  return it != workers_.end() && !it->second.dead &&
         now_ms - it->second.last_seen_ms <= config_.worker_timeout_ms;
}

http::Response Coordinator::handle_heartbeat(const http::Request& request) {
  const Json body = Json::parse(request.body, nullptr, false);
  if (!body.is_object() || !body.contains("name") || !body["name"].is_string() ||
      !body.contains("url") || !body["url"].is_string()) {
    return json_response(400, R"({"success":false,"error":"body must be {\"name\":...,\"url\":...}"})");
  }
  const std::string name = body["name"].get<std::string>();
  const std::string url = body["url"].get<std::string>();
  std::optional<std::string> replicated_url;
  raft::Term term = 0;
  {
    std::lock_guard lock(mu_);
    if (node_->role() != raft::Role::leader) return json_response(421, leader_hint_json_locked("not the leader"));
    replicated_url = kv_.get(kWorkerPrefix + name);
    term = node_->term();
  }
  if (replicated_url != url) {
    // First sight of this worker (or a new address): every coordinator must
    // be able to reach it after a change of leader.
    const OpResult op =
        replicate(Json{{"op", "put"}, {"key", kWorkerPrefix + name}, {"value", url}}.dump(), kPinTimeout);
    if (auto failed = op_failure(op, "the worker's registration")) return *failed;
  }
  std::lock_guard lock(routing_mu_);
  use_registry_of_term_locked(term);
  WorkerSeen& seen = workers_[name];
  seen.url = url;
  seen.last_seen_ms = clock_.now_ms();
  seen.dead = false;
  return json_response(200, R"({"success":true})");
}

http::Response Coordinator::handle_call(const http::Request& request) {
  const Json body = Json::parse(request.body, nullptr, false);
  if (!body.is_object() || !body.contains("session") || !body["session"].is_string()) {
    return json_response(400, R"({"success":false,"error":"body must name a \"session\""})");
  }
  const std::string session = body["session"].get<std::string>();
  std::optional<std::string> pinned;
  std::optional<std::string> pinned_url;
  raft::Term term = 0;
  {
    std::unique_lock lock(mu_);
    if (node_->role() != raft::Role::leader) return json_response(421, leader_hint_json_locked("not the leader"));
    // A new leader must not read the pins before it has applied every entry
    // committed before its term: it would re-pin sessions that are pinned.
    const auto deadline = Clock::now() + kPinTimeout;
    const bool ready = applied_cv_.wait_until(lock, deadline, [this] {
      if (stopping_.load() || node_->role() != raft::Role::leader) return true;
      return node_->committed_in_current_term() && applied_index_ >= node_->commit_index();
    });
    if (!ready || stopping_.load() || node_->role() != raft::Role::leader) {
      return json_response(503, leader_hint_json_locked("the leader has not caught up yet"));
    }
    pinned = kv_.get(kSessionPrefix + session);
    if (pinned) pinned_url = kv_.get(kWorkerPrefix + *pinned);
    term = node_->term();
  }
  {
    std::lock_guard lock(routing_mu_);
    use_registry_of_term_locked(term);
  }
  thread_local http::Client client;
  // The node checks the cluster token: only members may call it.
  http::RequestOptions to_node;
  to_node.timeout_ms = static_cast<long>(config_.worker_timeout_ms);
  to_node.headers = cluster_auth_headers();
  auto answer = [&](const std::string& worker, const http::ClientResponse& response,
                    const std::optional<std::string>& moved_from, const std::string& cause) {
    Json out{{"success", true}, {"worker", worker}, {"session", session}};
    out["moved_from"] = moved_from ? Json(*moved_from) : Json(nullptr);
    out["cause"] = cause.empty() ? Json(nullptr) : Json(cause);
    out["result"] = Json::parse(response.body, nullptr, false);
    return json_response(200, out.dump());
  };

  // A worker that fails a call is dead until its next heartbeat; returns why.
  auto failed = [this](const std::string& worker, const http::ClientResponse& response) {
    {
      std::lock_guard lock(routing_mu_);
      if (auto it = workers_.find(worker); it != workers_.end()) it->second.dead = true;
    }
    return worker + " failed the call: " +
           (response.ok() ? "HTTP " + std::to_string(response.status) : response.error);
  };

  std::string cause;
  if (pinned) {
    bool known_dead = false;
    {
      std::lock_guard lock(routing_mu_);
      const auto it = workers_.find(*pinned);
      if (it != workers_.end()) {
        if (!pinned_url) pinned_url = it->second.url;
        known_dead = !worker_live_locked(*pinned, clock_.now_ms());
        if (known_dead) cause = *pinned + (it->second.dead ? " failed a call and has not heartbeated since"
                                                          : " missed its heartbeats");
      }
    }
    if (!known_dead && pinned_url) {
      const auto response = client.request("POST", *pinned_url + "/api/call", request.body, to_node);
      if (response.ok() && response.status == 200) return answer(*pinned, response, std::nullopt, "");
      cause = failed(*pinned, response);
    } else if (!pinned_url) {
      cause = *pinned + " has no known address";
    }
  }

  // Pin the session to the live worker ranked first for it.
  std::optional<std::string> chosen;
  std::string chosen_url;
  {
    std::lock_guard lock(routing_mu_);
    std::uint64_t best = 0;
    const std::int64_t now = clock_.now_ms();
    for (const auto& [name, seen] : workers_) {
      if ((pinned && name == *pinned) || !worker_live_locked(name, now)) continue;
      const std::uint64_t rank = rendezvous(session, name);
      if (!chosen || rank > best) {
        chosen = name;
        chosen_url = seen.url;
        best = rank;
      }
    }
  }
  if (!chosen) {
    return json_response(503, Json{{"success", false},
                                   {"error", "no live worker for session " + session +
                                                 (cause.empty() ? "" : " (" + cause + ")")}}
                                  .dump());
  }
  const OpResult op =
      replicate(Json{{"op", "put"}, {"key", kSessionPrefix + session}, {"value", *chosen}}.dump(), kPinTimeout);
  if (auto refused = op_failure(op, "the new pin")) return *refused;
  const auto response = client.request("POST", chosen_url + "/api/call", request.body, to_node);
  if (response.ok() && response.status == 200) {
    return answer(*chosen, response, pinned, cause);
  }
  return json_response(502, Json{{"success", false}, {"error", failed(*chosen, response)}}.dump());
}

std::pair<std::size_t, std::size_t> Coordinator::worker_counts(raft::Term leading) {
  std::lock_guard lock(routing_mu_);
  if (leading == 0 || leading != registry_term_) return {0, 0};
  std::size_t live = 0;
  const std::int64_t now = clock_.now_ms();
  for (const auto& entry : workers_) {
    if (worker_live_locked(entry.first, now)) ++live;
  }
  return {workers_.size(), live};
}

std::size_t Coordinator::pinned_sessions_locked() const {
  std::size_t count = 0;
  const auto& data = kv_.data();
  for (auto it = data.lower_bound(kSessionPrefix);
       it != data.end() && it->first.compare(0, kSessionPrefix.size(), kSessionPrefix) == 0; ++it) {
    ++count;
  }
  return count;
}

}  // namespace faultline::coordinator
