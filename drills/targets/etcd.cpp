#include "drills/targets/etcd.hpp"

#include <thread>

#include "chaos/faults/links.hpp"
#include "cluster/http/client.hpp"
#include "drills/targets/member_process.hpp"
#include "drills/targets/wire.hpp"

namespace faultline::targets {
namespace {

constexpr long kRequestTimeoutMs = 500;
constexpr auto kPollInterval = std::chrono::milliseconds(20);
constexpr auto kStopGrace = std::chrono::milliseconds(2000);

std::string member_name(int i) { return "e" + std::to_string(i + 1); }

std::string http(const std::string& host, int port) { return "http://" + host + ":" + std::to_string(port); }

}  // namespace

const std::vector<std::string>& etcd_not_done_errors() {
  // Each is returned before the request is proposed to Raft or when Raft
  // drops the proposal without appending it (a follower or candidate that
  // knows no leader), so nothing can apply it later. Timeouts ("request
  // timed out", "...due to previous leader failure"), "server stopped" and
  // anything else may have been proposed: unknown.
  static const std::vector<std::string> errors{
      "raft proposal dropped",          // raft.ErrProposalDropped
      "etcdserver: too many requests",  // applied index too far behind: refused before proposing
      "etcdserver: no leader",          // refused before proposing
      "etcdserver: not capable",        // the cluster version is not decided yet
      "etcdserver: leader changed",     // a read index lost to a leader change (reads)
  };
  return errors;
}

EtcdTarget::EtcdTarget(EtcdOptions options, process::ProcessControl& processes)
    : options_(std::move(options)), processes_(processes) {}

std::vector<std::pair<std::string, bool>> EtcdTarget::member_ids() const {
  std::vector<std::pair<std::string, bool>> ids;
  for (int i = 0; i < options_.members; ++i) ids.emplace_back(member_name(i), true);
  return ids;
}

bool EtcdTarget::prepare(Placement& placement, std::string& error) {
  if (auto refused = refuse_proxied_links("etcd", placement.backend(), options_.link_faults); !refused.empty()) {
    error = refused;
    return false;
  }
  // Reachability and round-trip probes of the client port: /version is
  // answered locally (/health is a read through Raft, which would time the
  // leader's links as well as the probed one).
  placement.probe_with("client", "GET /version HTTP/1.0\r\n\r\n");
  members_.clear();
  initial_cluster_.clear();
  for (const auto& [id, voter] : member_ids()) {
    MemberInfo m;
    m.id = id;
    m.voter = voter;
    m.program = "etcd";
    m.host = placement.address(id);
    // The client port first: reachability probes connect to a member's first port.
    m.ports["client"] = placement.port(id, "client");
    m.ports["peer"] = placement.port(id, "peer");
    if (m.ports["client"] <= 0 || m.ports["peer"] <= 0) {
      error = "no free port for " + id;
      return false;
    }
    m.url = http(m.host, m.ports["client"]);
    m.dir = options_.dir / id;
    m.log_file = m.dir / "log.txt";
    std::error_code ec;
    std::filesystem::create_directories(m.dir, ec);
    if (ec) {
      error = "cannot create " + m.dir.string() + ": " + ec.message();
      return false;
    }
    netns_[id] = placement.netns_fd(id);
    // The peers' own addresses: one list for every member (etcd derives the
    // member ids from it, so it must be the same everywhere).
    initial_cluster_ += (initial_cluster_.empty() ? "" : ",") + id + "=" + http(m.host, m.ports["peer"]);
    members_.push_back(std::move(m));
  }
  client_urls_.clear();
  for (const MemberInfo& m : members_) {
    const Endpoint e = placement.dial(faults::kClients, m.id, "client");
    client_urls_.push_back(http(e.host, e.port));
  }
  for (const MemberInfo& m : members_) {
    std::string text;
    for (const auto& arg : command(m)) text += arg + "\n";
    if (!write_text(m.dir / "command.txt", text, error)) return false;
  }
  return true;
}

std::vector<std::string> EtcdTarget::command(const MemberInfo& m) const {
  const std::string client = http(m.host, m.ports.at("client"));
  const std::string peer = http(m.host, m.ports.at("peer"));
  std::vector<std::string> argv{options_.binary,
                                "--name=" + m.id,
                                "--data-dir=" + (m.dir / "data").string(),
                                "--listen-client-urls=" + client,
                                "--advertise-client-urls=" + client,
                                "--listen-peer-urls=" + peer,
                                "--initial-advertise-peer-urls=" + peer,
                                "--initial-cluster=" + initial_cluster_,
                                "--initial-cluster-state=new",
                                "--initial-cluster-token=faultline-" + std::to_string(options_.seed),
                                "--heartbeat-interval=" + std::to_string(options_.heartbeat_ms),
                                "--election-timeout=" + std::to_string(options_.election_timeout_ms),
                                "--logger=zap",
                                "--log-outputs=stderr"};
  if (options_.pre_vote) argv.push_back("--pre-vote=true");
  return argv;
}

bool EtcdTarget::spawn(const MemberInfo& member, std::string& error) {
  process::MemberSpec spec;
  spec.id = member.id;
  spec.argv = command(member);
  spec.log_file = member.log_file.string();
  spec.working_dir = member.dir.string();
  spec.netns_fd = netns_.count(member.id) ? netns_.at(member.id) : -1;
  return spawn_member(processes_, spec, error);
}

bool EtcdTarget::start_all(Deadline deadline, std::string& error) {
  // All at once: a member's /health answers 200 only once the cluster has a leader.
  for (const auto& m : members_) {
    if (!spawn(m, error)) return false;
  }
  for (const auto& m : members_) {
    if (!wait_http_health(processes_, m, m.url + "/health", observer_address(), deadline, error)) return false;
  }
  return learn_member_ids(deadline, error);
}

bool EtcdTarget::learn_member_ids(Deadline deadline, std::string& error) {
  http::Client client;
  client.set_source_address(observer_address());
  std::string last = "no member answered";
  while (std::chrono::steady_clock::now() < deadline) {
    for (const MemberInfo& m : members_) {
      const auto response = client.request("POST", m.url + "/v3/cluster/member/list", "{}", kRequestTimeoutMs);
      const Json body = response.ok() && response.status == 200 ? Json::parse(response.body, nullptr, false) : Json();
      if (!body.is_object() || !body.contains("members") || !body["members"].is_array()) {
        last = m.id + " answered " + (response.ok() ? "HTTP " + std::to_string(response.status) : response.error);
        continue;
      }
      std::map<std::string, std::string> names;
      for (const Json& member : body["members"]) {
        const auto id = member.is_object() && member.contains("ID") ? scalar_text(member["ID"]) : std::nullopt;
        if (id && member.value("name", "") != "") names[*id] = member.value("name", "");
      }
      if (names.size() == members_.size()) {
        std::lock_guard lock(ids_mu_);
        names_ = std::move(names);
        return true;
      }
      last = "the member list names " + std::to_string(names.size()) + " of " + std::to_string(members_.size()) +
             " members";
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  error = "could not learn the etcd member ids (/v3/cluster/member/list): " + last;
  return false;
}

bool EtcdTarget::restart(const std::string& id, Deadline deadline, std::string& error) {
  const MemberInfo* m = member(id);
  if (m == nullptr) {
    error = "no member " + id;
    return false;
  }
  return spawn(*m, error) && wait_http_health(processes_, *m, m->url + "/health", observer_address(), deadline, error);
}

void EtcdTarget::stop_all() {
  for (const auto& m : members_) {
    if (processes_.is_running(m.id)) processes_.stop(m.id, kStopGrace);
  }
}

MemberStatus EtcdTarget::status(const MemberInfo& member, long timeout_ms) {
  thread_local http::Client client;
  client.set_source_address(observer_address());
  MemberStatus status;
  const auto response = client.request("POST", member.url + "/v3/maintenance/status", "{}", timeout_ms);
  if (!response.ok() || response.status != 200) return status;
  const Json body = Json::parse(response.body, nullptr, false);
  if (!body.is_object()) return status;
  const Json header = body.value("header", Json::object());
  const auto self = header.contains("member_id") ? scalar_text(header["member_id"]) : std::nullopt;
  const auto leader = body.contains("leader") ? scalar_text(body["leader"]) : std::nullopt;
  status.up = true;
  status.term = integer_of(body.value("raftTerm", Json())).value_or(0);
  status.commit_index = integer_of(body.value("raftIndex", Json())).value_or(0);
  status.applied_index = integer_of(body.value("raftAppliedIndex", Json())).value_or(0);
  // etcd says who leads, not what the member itself is doing: a member that
  // names no leader (0: campaigning, or it lost its leader) is reported as a
  // follower without one; one that names itself counts as leader once its
  // term (that of its last applied entry) is its own (applied_term.hpp).
  if (leader && *leader != "0") {
    std::lock_guard lock(ids_mu_);
    const auto it = names_.find(*leader);
    if (it != names_.end()) status.leader = it->second;
  }
  status.role = claims_.role(member.id, self && leader && *self == *leader, status.term);
  if (status.role == "candidate") status.leader.reset();
  return status;
}

std::vector<std::string> EtcdTarget::voter_ids() const {
  std::vector<std::string> ids;
  for (const MemberInfo& m : members_) ids.push_back(m.id);
  return ids;
}

}  // namespace faultline::targets
