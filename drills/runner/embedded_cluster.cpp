#include "drills/runner/embedded_cluster.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <thread>

#include <nlohmann/json.hpp>

#include "cluster/http/client.hpp"

namespace faultline::runner {

using Json = nlohmann::json;

namespace {
constexpr auto kPollInterval = std::chrono::milliseconds(20);
constexpr long kStatusTimeoutMs = 200;
}  // namespace

int pick_free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  int port = 0;
  socklen_t length = sizeof(address);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);
  return port;
}

EmbeddedCluster::EmbeddedCluster(ClusterOptions options, process::ProcessControl& processes)
    : options_(std::move(options)), processes_(processes) {}

const MemberInfo* EmbeddedCluster::member(const std::string& id) const {
  for (const auto* list : {&members_, &workers_}) {
    for (const auto& m : *list) {
      if (m.id == id) return &m;
    }
  }
  return nullptr;
}

namespace {

// A member's place: a free loopback port, its URL, and its folder (with
// `data` inside when `with_data`) holding its config and log.
bool place_member(MemberInfo& m, const std::filesystem::path& dir, bool with_data, std::string& error) {
  m.port = pick_free_port();
  if (m.port == 0) {
    error = "no free loopback port for " + m.id;
    return false;
  }
  m.url = "http://127.0.0.1:" + std::to_string(m.port);
  std::filesystem::create_directories(with_data ? dir / "data" : dir);
  m.config_file = dir / "config.json";
  m.log_file = dir / "log.txt";
  return true;
}

bool write_config(const MemberInfo& m, const Json& config, std::string& error) {
  std::ofstream out(m.config_file);
  out << config.dump(2) << "\n";
  if (!out) {
    error = "cannot write " + m.config_file.string();
    return false;
  }
  return true;
}

}  // namespace

bool EmbeddedCluster::write_worker_configs(std::string& error) {
  workers_.clear();
  Json coordinators = Json::array();
  for (const auto& m : members_) coordinators.push_back(m.url);
  for (int i = 0; i < options_.workers; ++i) {
    MemberInfo w;
    w.id = "w" + std::to_string(i + 1);
    if (!place_member(w, options_.dir / w.id, false, error)) return false;
    const Json config{{"name", w.id},
                      {"listen", "127.0.0.1:" + std::to_string(w.port)},
                      {"coordinators", coordinators},
                      {"heartbeat_ms", options_.worker_heartbeat_ms}};
    if (!write_config(w, config, error)) return false;
    workers_.push_back(w);
  }
  return true;
}

bool EmbeddedCluster::prepare(std::string& error) {
  members_.clear();
  for (int i = 0; i < options_.coordinators; ++i) {
    MemberInfo m;
    m.id = "c" + std::to_string(i + 1);
    m.raft_id = static_cast<std::uint32_t>(i + 1);
    if (!place_member(m, options_.dir / m.id, true, error)) return false;
    members_.push_back(m);
  }
  // Each coordinator's Raft port, distinct from every port of this cluster:
  // listening sockets share ports (SO_REUSEPORT), so a repeat would not fail.
  std::vector<int> raft_ports;
  const auto taken = [&](int port) {
    for (const auto& m : members_) {
      if (m.port == port) return true;
    }
    return std::find(raft_ports.begin(), raft_ports.end(), port) != raft_ports.end();
  };
  for (const auto& m : members_) {
    int port = pick_free_port();
    for (int tries = 0; port != 0 && taken(port) && tries < 16; ++tries) port = pick_free_port();
    if (port == 0 || taken(port)) {
      error = "no free loopback port for the raft port of " + m.id;
      return false;
    }
    raft_ports.push_back(port);
  }
  Json members = Json::array();
  for (std::size_t i = 0; i < members_.size(); ++i) {
    const auto& m = members_[i];
    members.push_back(Json{{"id", m.raft_id},
                           {"name", m.id},
                           {"url", m.url},
                           {"raft", "127.0.0.1:" + std::to_string(raft_ports[i])}});
  }
  for (std::size_t i = 0; i < members_.size(); ++i) {
    const auto& m = members_[i];
    Json config{{"id", m.raft_id},
                {"name", m.id},
                {"listen", "127.0.0.1:" + std::to_string(m.port)},
                {"raft_listen", "127.0.0.1:" + std::to_string(raft_ports[i])},
                {"data_dir", (options_.dir / m.id / "data").string()},
                {"members", members},
                {"election_timeout_ms",
                 Json::array({options_.election_timeout_min_ms, options_.election_timeout_max_ms})},
                {"heartbeat_ms", options_.heartbeat_ms},
                {"seed", options_.seed},
                {"stale_reads", options_.stale_reads},
                {"worker_timeout_ms", options_.worker_timeout_ms}};
    if (!write_config(m, config, error)) return false;
  }
  return write_worker_configs(error);
}

bool EmbeddedCluster::spawn(const MemberInfo& member, std::string& error) {
  process::MemberSpec spec;
  spec.id = member.id;
  spec.argv = {options_.binary, member.is_worker() ? "worker" : "coordinator", "--config",
               member.config_file.string()};
  spec.log_file = member.log_file.string();
  const auto result = processes_.spawn(spec);
  if (!result.ok()) {
    error = result.error;
    return false;
  }
  return true;
}

bool EmbeddedCluster::wait_healthy(const MemberInfo& member, Deadline deadline,
                                   std::string& error) {
  http::Client client;
  while (std::chrono::steady_clock::now() < deadline) {
    const auto response = client.get(member.url + "/health", kStatusTimeoutMs);
    if (response.ok() && response.status == 200) return true;
    if (!processes_.is_running(member.id)) {
      const auto exit = processes_.wait_exit(member.id, std::chrono::steady_clock::now());
      error = member.id + " exited during start-up (" +
              (exit.exit ? exit.exit->describe() : std::string("unknown status")) + "); see " +
              member.log_file.string();
      return false;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  error = member.id + " did not answer " + member.url + "/health in time; see " +
          member.log_file.string();
  return false;
}

bool EmbeddedCluster::start_all(Deadline deadline, std::string& error) {
  for (const auto& m : members_) {
    if (!spawn(m, error)) return false;
  }
  for (const auto& m : members_) {
    if (!wait_healthy(m, deadline, error)) return false;
  }
  for (const auto& w : workers_) {
    if (!spawn(w, error)) return false;
  }
  for (const auto& w : workers_) {
    if (!wait_healthy(w, deadline, error)) return false;
  }
  return true;
}

bool EmbeddedCluster::wait_workers_registered(Deadline deadline, std::string& error) const {
  if (workers_.empty()) return true;
  http::Client client;
  std::size_t best = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    for (const auto& m : members_) {
      const auto response = client.get(m.url + "/api/cluster/status", kStatusTimeoutMs);
      if (!response.ok() || response.status != 200) continue;
      const Json body = Json::parse(response.body, nullptr, false);
      if (!body.is_object()) continue;
      const Json stats = body.value("data", Json::object()).value("stats", Json::object());
      const std::size_t active = stats.value("activeNodes", std::size_t{0});
      best = std::max(best, active);
      if (active >= workers_.size()) return true;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  error = "the coordinators' leader counted " + std::to_string(best) + " of " +
          std::to_string(workers_.size()) + " workers as live in time; see the workers' logs";
  return false;
}

bool EmbeddedCluster::restart(const std::string& id, Deadline deadline, std::string& error) {
  const MemberInfo* m = member(id);
  if (m == nullptr) {
    error = "no member " + id;
    return false;
  }
  return spawn(*m, error) && wait_healthy(*m, deadline, error);
}

void EmbeddedCluster::stop_all() {
  for (const auto* list : {&workers_, &members_}) {
    for (const auto& m : *list) {
      if (processes_.is_running(m.id)) processes_.stop(m.id, std::chrono::milliseconds(2000));
    }
  }
}

MemberStatus EmbeddedCluster::status(const std::string& url, long timeout_ms) {
  thread_local http::Client client;
  MemberStatus status;
  const auto response = client.get(url + "/api/raft/status", timeout_ms);
  if (!response.ok() || response.status != 200) return status;
  const Json body = Json::parse(response.body, nullptr, false);
  if (!body.is_object()) return status;
  status.up = true;
  status.role = body.value("role", "");
  status.term = body.value("term", std::uint64_t{0});
  if (body.contains("leader") && body["leader"].is_string()) status.leader = body["leader"];
  if (body.contains("leader_url") && body["leader_url"].is_string()) {
    status.leader_url = body["leader_url"];
  }
  status.commit_index = body.value("commit_index", std::uint64_t{0});
  status.applied_index = body.value("applied_index", std::uint64_t{0});
  status.role_since_mono_ns = body.value("role_since_mono_ns", std::int64_t{0});
  return status;
}

std::optional<std::string> EmbeddedCluster::wait_for_leader(Deadline deadline) const {
  const std::size_t majority = members_.size() / 2 + 1;
  while (std::chrono::steady_clock::now() < deadline) {
    std::map<std::pair<std::uint64_t, std::string>, std::size_t> votes;
    for (const auto& m : members_) {
      const auto s = status(m.url, kStatusTimeoutMs);
      if (s.up && s.leader) ++votes[{s.term, *s.leader}];
    }
    for (auto it = votes.rbegin(); it != votes.rend(); ++it) {
      if (it->second >= majority) return it->first.second;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  return std::nullopt;
}

bool EmbeddedCluster::wait_converged(Deadline deadline) const {
  while (std::chrono::steady_clock::now() < deadline) {
    std::uint64_t highest_commit = 0;
    std::uint64_t lowest_applied = UINT64_MAX;
    bool all_up = true;
    bool have_leader = false;
    for (const auto& m : members_) {
      const auto s = status(m.url, kStatusTimeoutMs);
      all_up = all_up && s.up;
      have_leader = have_leader || s.role == "leader";
      highest_commit = std::max(highest_commit, s.commit_index);
      lowest_applied = std::min(lowest_applied, s.applied_index);
    }
    if (all_up && have_leader && lowest_applied >= highest_commit) return true;
    std::this_thread::sleep_for(kPollInterval);
  }
  return false;
}

}  // namespace faultline::runner
