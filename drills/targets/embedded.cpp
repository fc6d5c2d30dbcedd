#include "drills/targets/embedded.hpp"

#include <fstream>

#include "chaos/faults/links.hpp"
#include "chaos/process/wait.hpp"
#include "cluster/http/client.hpp"
#include "cluster/store/power_loss.hpp"
#include "cluster/util/secret.hpp"
#include "drills/targets/faketime.hpp"
#include "drills/targets/member_process.hpp"

namespace faultline::targets {
namespace {

constexpr long kStatusTimeoutMs = 200;
constexpr auto kPollInterval = std::chrono::milliseconds(20);

std::string coordinator_id(int i) { return "c" + std::to_string(i + 1); }
std::string worker_id(int i) { return "w" + std::to_string(i + 1); }
std::string url_of(const Endpoint& e) { return "http://" + e.text(); }
std::filesystem::path faketime_file(const MemberInfo& m) { return m.dir / "faketime.rc"; }

}  // namespace

EmbeddedTarget::EmbeddedTarget(EmbeddedOptions options, process::ProcessControl& processes)
    : options_(std::move(options)), processes_(processes) {
  if (options_.generate_tokens) {
    if (options_.cluster_token.empty()) options_.cluster_token = util::random_token();
    if (options_.admin_token.empty()) options_.admin_token = util::random_token();
  }
}

std::vector<std::pair<std::string, bool>> EmbeddedTarget::member_ids() const {
  std::vector<std::pair<std::string, bool>> ids;
  for (int i = 0; i < options_.coordinators; ++i) ids.emplace_back(coordinator_id(i), true);
  for (int i = 0; i < options_.workers; ++i) ids.emplace_back(worker_id(i), false);
  return ids;
}

bool EmbeddedTarget::prepare(Placement& placement, std::string& error) {
  members_.clear();
  if (options_.faketime_workers && options_.workers > 0) {
    faketime_library_ = faketime_library();
    if (!faketime_library_) {
      error = "the plan may skew a worker's clock, which needs libfaketime: install the Debian "
              "package libfaketime (scripts/setup.sh)";
      return false;
    }
  }
  for (const auto& [id, voter] : member_ids()) {
    MemberInfo m;
    m.id = id;
    m.voter = voter;
    m.program = voter ? "faultline coordinator" : "faultline node";
    m.host = placement.address(id);
    m.ports["api"] = placement.port(id, "api");
    if (voter) m.ports["raft"] = placement.port(id, "raft");
    if (m.ports["api"] <= 0 || (voter && m.ports["raft"] <= 0)) {
      error = "no free port for " + id;
      return false;
    }
    m.url = "http://" + m.host + ":" + std::to_string(m.ports["api"]);
    m.dir = options_.dir / id;
    m.log_file = m.dir / "log.txt";
    std::error_code ec;
    std::filesystem::create_directories(voter ? m.dir / "data" : m.dir, ec);
    if (ec) {
      error = "cannot create " + m.dir.string() + ": " + ec.message();
      return false;
    }
    netns_[id] = placement.netns_fd(id);
    members_.push_back(std::move(m));
  }
  client_urls_.clear();
  for (const MemberInfo& m : members_) {
    if (m.voter) client_urls_.push_back(url_of(placement.dial(faults::kClients, m.id, "api")));
  }
  for (const MemberInfo& m : members_) {
    if (!write_config(m.dir / "mcp_settings.json", settings_for(m, placement), error)) return false;
    if (!m.voter && faketime_library_ && !write_faketime_offset(faketime_file(m), 0, error)) return false;
  }
  return true;
}

Json EmbeddedTarget::settings_for(const MemberInfo& m, Placement& placement) const {
  const std::int64_t cleanup = options_.cleanup_interval_ms > 0 ? options_.cleanup_interval_ms : 4 * options_.worker_timeout_ms;
  Json cluster{{"enabled", true},
               {"mode", m.voter ? "coordinator" : "node"},
               {"stickySession", Json{{"enabled", true}, {"strategy", options_.sticky_strategy}}},
               {"timeouts", Json{{"connect", options_.connect_timeout_ms}, {"read", options_.read_timeout_ms}}}};
  if (!options_.balancing.empty()) cluster["loadBalancing"] = Json{{"strategy", options_.balancing}};
  if (!options_.cluster_token.empty()) cluster["token"] = options_.cluster_token;
  if (m.voter && !options_.admin_token.empty()) cluster["adminToken"] = options_.admin_token;
  Json servers = Json::object();
  if (m.voter) {
    Json peers = Json::array();
    std::uint32_t raft_id = 0;
    for (const MemberInfo& peer : members_) {
      if (!peer.voter) continue;
      ++raft_id;
      const bool self = peer.id == m.id;
      const Endpoint api = self ? Endpoint{m.host, m.ports.at("api")} : placement.dial(m.id, peer.id, "api");
      const Endpoint raft = self ? Endpoint{m.host, m.ports.at("raft")} : placement.dial(m.id, peer.id, "raft");
      peers.push_back(Json{{"id", raft_id}, {"name", peer.id}, {"url", url_of(api)}, {"raft", raft.text()}});
    }
    cluster["coordinator"] = Json{
        {"nodeTimeout", options_.worker_timeout_ms},
        {"cleanupInterval", cleanup},
        {"stickySessionTimeout", options_.sticky_session_timeout_ms},
        {"id", std::stoul(m.id.substr(1))},
        {"name", m.id},
        {"listen", m.host + ":" + std::to_string(m.ports.at("api"))},
        {"raftListen", m.host + ":" + std::to_string(m.ports.at("raft"))},
        {"dataDir", (m.dir / "data").string()},
        {"peers", peers},
        {"raft", Json{{"electionTimeout", Json::array({options_.election_timeout_min_ms, options_.election_timeout_max_ms})},
                      {"heartbeatInterval", options_.heartbeat_ms},
                      {"electionTimer", options_.election_timer},
                      {"campaignWhenLeaderGone", options_.campaign_when_leader_gone},
                      {"seed", options_.seed}}},
        {"staleReads", options_.stale_reads},
        {"replication", options_.replication},
        {"routedCallTimeout", options_.worker_timeout_ms}};
    Json& coordinator = cluster["coordinator"];
    if (!options_.failure_detector.empty()) coordinator["failureDetector"] = options_.failure_detector;
    if (options_.failure_detector_k) coordinator["failureDetectorK"] = *options_.failure_detector_k;
    if (options_.failure_detector_misses) coordinator["failureDetectorMisses"] = *options_.failure_detector_misses;
    // The runner's observer reaches the admin failpoints from its own address.
    Json allow = Json::array({"127.0.0.0/8"});
    if (!observer_address().empty()) allow.push_back(observer_address() + "/32");
    cluster["coordinator"]["adminAllow"] = allow;
  } else {
    Json coordinators = Json::array();
    for (const MemberInfo& c : members_) {
      if (c.voter) coordinators.push_back(url_of(placement.dial(m.id, c.id, "api")));
    }
    cluster["node"] = Json{{"id", m.id},
                           {"name", m.id},
                           {"coordinatorUrl", coordinators.empty() ? Json("http://127.0.0.1:1") : coordinators[0]},
                           {"coordinatorUrls", coordinators},
                           {"heartbeatInterval", options_.worker_heartbeat_ms},
                           {"registerOnStartup", true},
                           {"listen", m.host + ":" + std::to_string(m.ports.at("api"))}};
    for (const char* builtin : {"echo", "counter", "kv", "sleep"}) {
      servers[builtin] = Json{{"command", options_.binary}, {"args", Json::array({"mcp-server", builtin})}};
    }
    for (const auto& [name, server] : options_.mcp_servers.items()) servers[name] = server;
  }
  return Json{{"mcpServers", servers}, {"systemConfig", Json{{"cluster", cluster}}}};
}

bool EmbeddedTarget::spawn(const MemberInfo& member, std::string& error) {
  process::MemberSpec spec;
  spec.id = member.id;
  spec.argv = {options_.binary, member.voter ? "coordinator" : "node", "--config",
               (member.dir / "mcp_settings.json").string()};
  spec.log_file = member.log_file.string();
  spec.netns_fd = netns_.count(member.id) ? netns_.at(member.id) : -1;
  spec.env = member_env(member);
  return spawn_member(processes_, spec, error);
}

bool EmbeddedTarget::wait_healthy(const MemberInfo& member, Deadline deadline, std::string& error) {
  return wait_http_health(processes_, member, member.url + "/health", observer_address(), deadline, error);
}

bool EmbeddedTarget::start_all(Deadline deadline, std::string& error) {
  // Coordinators first: workers register with them as they start.
  for (const bool voters_now : {true, false}) {
    for (const auto& m : members_) {
      if (m.voter == voters_now && !spawn(m, error)) return false;
    }
    for (const auto& m : members_) {
      if (m.voter == voters_now && !wait_healthy(m, deadline, error)) return false;
    }
  }
  return true;
}

bool EmbeddedTarget::restart(const std::string& id, Deadline deadline, std::string& error) {
  const MemberInfo* m = member(id);
  if (m == nullptr) {
    error = "no member " + id;
    return false;
  }
  return spawn(*m, error) && wait_healthy(*m, deadline, error);
}

void EmbeddedTarget::stop_all() {
  // Workers first, so none is left heartbeating to stopped coordinators.
  for (const bool voters_now : {false, true}) {
    for (const auto& m : members_) {
      if (m.voter == voters_now && processes_.is_running(m.id)) {
        processes_.stop(m.id, std::chrono::milliseconds(2000));
      }
    }
  }
}

MemberStatus EmbeddedTarget::status(const MemberInfo& member, long timeout_ms) {
  thread_local http::Client client;
  client.set_source_address(observer_address());
  MemberStatus status;
  const auto response = client.get(member.url + "/api/raft/status", timeout_ms);
  if (!response.ok() || response.status != 200) return status;
  const Json body = Json::parse(response.body, nullptr, false);
  if (!body.is_object()) return status;
  status.up = true;
  status.role = body.value("role", "");
  status.term = body.value("term", std::uint64_t{0});
  if (body.contains("leader") && body["leader"].is_string()) status.leader = body["leader"];
  status.commit_index = body.value("commit_index", std::uint64_t{0});
  status.applied_index = body.value("applied_index", std::uint64_t{0});
  status.role_since_mono_ns = body.value("role_since_mono_ns", std::int64_t{0});
  return status;
}

bool EmbeddedTarget::wait_ready(Deadline deadline, std::string& error) {
  // Every coordinator routes MCP sessions, so each must know every node and
  // the servers running on it; the leader also feeds the legacy routed calls.
  const auto working = workers();
  if (working.empty()) return true;
  http::Client client;
  client.set_source_address(observer_address());
  std::string lagging;
  const auto all_registered = [&] {
    lagging.clear();
    bool leader_routes = false;
    for (const MemberInfo* m : voters()) {
      const auto status = client.get(m->url + "/api/cluster/status", kStatusTimeoutMs);
      const Json s = status.ok() && status.status == 200 ? Json::parse(status.body, nullptr, false) : Json();
      if (s.is_object() && s.contains("data") && s["data"].value("raft", Json::object()).value("role", "") == "leader" &&
          s["data"].value("stats", Json::object()).value("routedNodes", std::size_t{0}) >= working.size()) {
        leader_routes = true;
      }
      const auto response = client.get(m->url + "/api/cluster/nodes?active=true", kStatusTimeoutMs);
      const Json body = response.ok() && response.status == 200 ? Json::parse(response.body, nullptr, false) : Json();
      std::size_t serving = 0;
      if (body.is_object() && body.contains("data") && body["data"].is_array()) {
        for (const auto& node : body["data"]) if (!node.value("servers", Json::array()).empty()) ++serving;
      }
      if (serving < working.size()) {
        lagging = m->id + " knows " + std::to_string(serving) + " of " + std::to_string(working.size()) +
                  " nodes with running servers";
      }
    }
    if (lagging.empty() && !leader_routes) lagging = "the leader has not heard every node as leader yet";
    return lagging.empty();
  };
  switch (process::wait_until(all_registered, deadline, kPollInterval)) {
    case process::WaitResult::met:
      return true;
    case process::WaitResult::stopped:
      error = "interrupted while waiting for the nodes to register";
      return false;
    case process::WaitResult::timed_out:
      break;
  }
  error = "the nodes did not register in time: " + lagging + "; see the nodes' logs";
  return false;
}

std::vector<std::string> EmbeddedTarget::voter_ids() const {
  std::vector<std::string> ids;
  for (const MemberInfo* m : voters()) ids.push_back(m->id);
  return ids;
}

}  // namespace faultline::targets

namespace faultline::targets {

AdminReply EmbeddedTarget::admin(const MemberInfo& member, const std::string& method,
                                 const std::string& path, const std::string& body, long timeout_ms) {
  if (!member.voter) return Target::admin(member, method, path, body, timeout_ms);
  thread_local http::Client client;
  client.set_source_address(observer_address());
  http::RequestOptions request;
  request.timeout_ms = timeout_ms;
  if (!options_.admin_token.empty()) request.headers.emplace_back("Authorization", "Bearer " + options_.admin_token);
  const auto response = client.request(method, member.url + path, body, request);
  if (!response.ok()) return {0, "", member.id + " did not answer " + method + " " + path + ": " + response.error};
  return {response.status, response.body, ""};
}

faults::ClockAccess EmbeddedTarget::clock_access(const MemberInfo& member) const {
  faults::ClockAccess access;
  if (member.voter) {
    access.way = faults::ClockAccess::Way::failpoint;
  } else if (faketime_library_) {
    access.way = faults::ClockAccess::Way::faketime;
    access.faketime_file = faketime_file(member);
  } else {
    access.why_not = "worker " + member.id + " was started without libfaketime";
  }
  return access;
}

std::vector<std::pair<std::string, std::string>> EmbeddedTarget::member_env(const MemberInfo& member) const {
  if (member.voter || !faketime_library_) return {};
  return faketime_env(*faketime_library_, faketime_file(member));
}

bool EmbeddedTarget::caught_up(const MemberInfo& member, std::string& why) {
  if (member.voter) return Target::caught_up(member, why);
  if (!processes_.is_running(member.id)) {
    why = member.id + " is not running";
    return false;
  }
  http::Client client;
  client.set_source_address(observer_address());
  const std::size_t expected = workers().size();
  for (const MemberInfo* m : voters()) {
    const auto response = client.get(m->url + "/api/cluster/status", kStatusTimeoutMs);
    if (!response.ok() || response.status != 200) continue;
    const Json body = Json::parse(response.body, nullptr, false);
    if (!body.is_object()) continue;
    const Json data = body.value("data", Json::object());
    if (data.value("raft", Json::object()).value("role", "") != "leader") continue;
    const std::size_t active = data.value("stats", Json::object()).value("activeNodes", std::size_t{0});
    if (active >= expected) return true;
    why = "the leader " + m->id + " counts " + std::to_string(active) + " of " + std::to_string(expected) +
          " workers as live";
    return false;
  }
  why = "no coordinator answers as leader";
  return false;
}

bool EmbeddedTarget::drop_unsynced(const MemberInfo& member, Json& report, std::string& error) {
  if (!member.voter) return Target::drop_unsynced(member, report, error);
  if (processes_.is_running(member.id)) {
    error = member.id + " is still running: a power loss drops unsynced writes only once it is dead";
    return false;
  }
  const auto lost = store::drop_unsynced(member.dir / "data");
  if (!lost.error.empty()) {
    error = member.id + ": " + lost.error;
    return false;
  }
  report = Json{{"restored", lost.restored}, {"bytes_dropped", lost.bytes_dropped}, {"files", Json::array()}};
  for (const auto& f : lost.files) {
    report["files"].push_back(Json{{"file", f.name}, {"bytes_before", f.bytes_before}, {"bytes_after", f.bytes_after}});
  }
  return true;
}

}  // namespace faultline::targets
