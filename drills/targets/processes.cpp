#include "drills/targets/processes.hpp"

#include <thread>

#include "chaos/faults/links.hpp"
#include "cluster/http/client.hpp"
#include "drills/targets/member_process.hpp"
#include "drills/targets/wire.hpp"

namespace faultline::targets {
namespace {

constexpr long kHealthTimeoutMs = 200;
constexpr auto kPollInterval = std::chrono::milliseconds(20);
constexpr auto kStopGrace = std::chrono::milliseconds(2000);

std::string http(const std::string& host, int port) { return "http://" + host + ":" + std::to_string(port); }

std::optional<std::string> text_at(const Json& body, const plan::JsonPath& path) {
  const Json* v = plan::find_at(body, path);
  return v ? scalar_text(*v) : std::nullopt;
}

std::optional<std::uint64_t> integer_at(const Json& body, const std::optional<plan::JsonPath>& path) {
  if (!path) return std::nullopt;
  const Json* v = plan::find_at(body, *path);
  return v ? integer_of(*v) : std::nullopt;
}

}  // namespace

ProcessesTarget::ProcessesTarget(ProcessesOptions options, process::ProcessControl& processes)
    : options_(std::move(options)), processes_(processes) {}

StatusReports ProcessesTarget::reports() const {
  const auto& status = options_.topology.status;
  return {status.has_value(), status.has_value() && status->commit_index.has_value()};
}

std::vector<std::pair<std::string, bool>> ProcessesTarget::member_ids() const {
  std::vector<std::pair<std::string, bool>> ids;
  for (int i = 1; i <= options_.members; ++i) ids.emplace_back(options_.topology.id_prefix + std::to_string(i), true);
  return ids;
}

plan::TemplateLookup ProcessesTarget::member_lookup(const MemberInfo& m) const {
  return [this, &m](const std::string& name, const std::string& arg) -> std::optional<std::string> {
    if (name == "port") {
      const auto it = m.ports.find(arg);
      return it == m.ports.end() ? std::nullopt : std::optional<std::string>(std::to_string(it->second));
    }
    if (name == "id") return m.id;
    if (name == "index") return m.id.substr(options_.topology.id_prefix.size());
    if (name == "address") return m.host;
    if (name == "dir") return m.dir.string();
    if (name == "data_dir") return (m.dir / "data").string();
    if (name == "seed") return std::to_string(options_.seed);
    if (name == "members") return std::to_string(options_.members);
    if (name == "election_timeout_min_ms") return std::to_string(options_.election_timeout_min_ms);
    if (name == "election_timeout_max_ms") return std::to_string(options_.election_timeout_max_ms);
    if (name == "heartbeat_ms") return std::to_string(options_.heartbeat_ms);
    return std::nullopt;
  };
}

bool ProcessesTarget::prepare(Placement& placement, std::string& error) {
  const plan::ProcessesTopology& t = options_.topology;
  if (auto refused = refuse_proxied_links("declared", placement.backend(), options_.link_faults); !refused.empty()) {
    error = refused;
    return false;
  }
  if (!t.ports.empty()) placement.probe_with(t.ports.front(), "GET " + t.probe + " HTTP/1.0\r\n\r\n");
  members_.clear();
  for (const auto& [id, voter] : member_ids()) {
    MemberInfo m;
    m.id = id;
    m.voter = voter;
    m.program = t.command.front();
    m.host = placement.address(id);
    // In the declared order: the first is what reachability probes connect to.
    for (const std::string& name : t.ports) {
      m.ports[name] = placement.port(id, name);
      if (m.ports[name] <= 0) {
        error = "no free port " + name + " for " + id;
        return false;
      }
    }
    m.url = http(m.host, m.ports.at(t.api_port));
    m.dir = options_.dir / id;
    m.log_file = m.dir / "log.txt";
    std::error_code ec;
    std::filesystem::create_directories(m.dir / "data", ec);
    if (ec) {
      error = "cannot create " + m.dir.string() + ": " + ec.message();
      return false;
    }
    netns_[id] = placement.netns_fd(id);
    members_.push_back(std::move(m));
  }
  std::string peers;
  for (const MemberInfo& m : members_) {
    const auto entry = plan::render(t.peer, member_lookup(m), error);
    if (!entry) {
      error = "topology.peer for " + m.id + ": " + error;
      return false;
    }
    peers += (peers.empty() ? "" : t.peer_separator) + *entry;
  }
  client_urls_.clear();
  for (const MemberInfo& m : members_) {
    const Endpoint e = placement.dial(faults::kClients, m.id, t.api_port);
    client_urls_.push_back(http(e.host, e.port));
    const plan::TemplateLookup own = member_lookup(m);
    const plan::TemplateLookup with_peers = [&](const std::string& name, const std::string& arg) {
      return name == "peers" ? std::optional<std::string>(peers) : own(name, arg);
    };
    std::vector<std::string> argv;
    std::string text;
    for (std::size_t i = 0; i < t.command.size(); ++i) {
      const auto arg = plan::render(t.command[i], with_peers, error);
      if (!arg) {
        error = "topology.command[" + std::to_string(i) + "] for " + m.id + ": " + error;
        return false;
      }
      argv.push_back(i == 0 ? options_.program : *arg);
      text += argv.back() + "\n";
    }
    for (const auto& [name, value] : t.env) {
      const auto v = plan::render(value, with_peers, error);
      if (!v) {
        error = "topology.env." + name + " for " + m.id + ": " + error;
        return false;
      }
      env_[m.id].emplace_back(name, *v);
    }
    argv_[m.id] = std::move(argv);
    if (!write_text(m.dir / "command.txt", text, error)) return false;
  }
  return true;
}

bool ProcessesTarget::spawn(const MemberInfo& member, std::string& error) {
  process::MemberSpec spec;
  spec.id = member.id;
  spec.argv = argv_.at(member.id);
  spec.env = env_[member.id];
  spec.log_file = member.log_file.string();
  spec.working_dir = member.dir.string();
  spec.netns_fd = netns_.count(member.id) ? netns_.at(member.id) : -1;
  return spawn_member(processes_, spec, error);
}

bool ProcessesTarget::healthy(const MemberInfo& member, long timeout_ms) {
  thread_local http::Client client;
  client.set_source_address(observer_address());
  std::string error;
  const auto path = plan::render(options_.topology.health, member_lookup(member), error);
  if (!path) return false;
  const auto response = client.get(member.url + *path, timeout_ms);
  return response.ok() && response.status == 200;
}

bool ProcessesTarget::wait_healthy(const MemberInfo& member, Deadline deadline, std::string& error) {
  return wait_member(
      processes_, member, deadline, [&] { return healthy(member, kHealthTimeoutMs); },
      "GET " + member.url + options_.topology.health, error);
}

bool ProcessesTarget::start_all(Deadline deadline, std::string& error) {
  // All at once: members of a cluster may answer healthy only once their peers are up.
  for (const auto& m : members_) {
    if (!spawn(m, error)) return false;
  }
  for (const auto& m : members_) {
    if (!wait_healthy(m, deadline, error)) return false;
  }
  return true;
}

bool ProcessesTarget::restart(const std::string& id, Deadline deadline, std::string& error) {
  const MemberInfo* m = member(id);
  if (m == nullptr) {
    error = "no member " + id;
    return false;
  }
  return spawn(*m, error) && wait_healthy(*m, deadline, error);
}

void ProcessesTarget::stop_all() {
  for (const auto& m : members_) {
    if (processes_.is_running(m.id)) processes_.stop(m.id, kStopGrace);
  }
}

std::optional<std::string> ProcessesTarget::leader_named(const std::string& value) const {
  if (value.empty() || value == "0") return std::nullopt;
  for (const MemberInfo& m : members_) {
    if (m.id == value) return m.id;
  }
  std::lock_guard lock(self_mu_);
  const auto it = self_ids_.find(value);
  return it == self_ids_.end() ? std::nullopt : std::optional<std::string>(it->second);
}

MemberStatus ProcessesTarget::status(const MemberInfo& member, long timeout_ms) {
  MemberStatus status;
  const auto& request = options_.topology.status;
  if (!request) {
    status.up = healthy(member, timeout_ms);
    return status;
  }
  thread_local http::Client client;
  client.set_source_address(observer_address());
  HttpCall call;
  std::string error;
  if (!render_request(*request, member_lookup(member), call, error)) return status;
  const auto response = client.request(call.method, member.url + call.path, call.body, timeout_ms);
  if (!response.ok() || response.status != 200) return status;
  const Json body = Json::parse(response.body, nullptr, false);
  if (body.is_discarded()) return status;
  const auto self = request->self ? text_at(body, *request->self) : std::nullopt;
  if (self) {
    std::lock_guard lock(self_mu_);
    self_ids_[*self] = member.id;
  }
  status.up = true;
  status.term = integer_at(body, request->term).value_or(0);
  status.commit_index = integer_at(body, request->commit_index).value_or(0);
  status.applied_index = integer_at(body, request->applied_index).value_or(0);
  const auto leader_value = text_at(body, request->leader);
  if (leader_value) status.leader = leader_named(*leader_value);
  if (request->role) {
    status.role = text_at(body, *request->role).value_or("");
  } else if (request->term_of == "last_applied") {
    status.role = claims_.role(member.id, status.leader == member.id, status.term);
    if (status.role == "candidate") status.leader.reset();
  } else {
    status.role = status.leader == member.id ? "leader" : "follower";
  }
  return status;
}

bool ProcessesTarget::wait_converged(Deadline deadline) {
  if (reports().roles) return Target::wait_converged(deadline);
  while (std::chrono::steady_clock::now() < deadline) {
    bool all = true;
    for (const MemberInfo& m : members_) all = all && healthy(m, kHealthTimeoutMs);
    if (all) return true;
    std::this_thread::sleep_for(kPollInterval);
  }
  return false;
}

std::vector<std::string> ProcessesTarget::voter_ids() const {
  std::vector<std::string> ids;
  for (const MemberInfo& m : members_) ids.push_back(m.id);
  return ids;
}

}  // namespace faultline::targets
