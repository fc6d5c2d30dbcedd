#include "drills/targets/redis.hpp"

#include <unistd.h>

#include <cstdlib>
#include <thread>

#include "chaos/faults/links.hpp"
#include "drills/targets/member_process.hpp"
#include "drills/targets/redis_config.hpp"
#include "drills/targets/redis_info.hpp"

namespace faultline::targets {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(20);
constexpr long kProbeTimeoutMs = 200;
constexpr auto kStopGrace = std::chrono::milliseconds(2000);

std::string server_id(int i) { return "r" + std::to_string(i + 1); }
std::string sentinel_id(int i) { return "s" + std::to_string(i + 1); }

Deadline in_ms(long ms) { return std::chrono::steady_clock::now() + std::chrono::milliseconds(ms); }

// PING answered PONG, asked from `source`.
bool answers_ping(const MemberInfo& m, int port, const std::string& source) {
  RespConnection c;
  if (c.connect(m.host, port, source, in_ms(kProbeTimeoutMs))) return false;
  const RespResult r = c.command({"PING"}, in_ms(kProbeTimeoutMs));
  return r.ok() && r.replies[0].is_status("PONG");
}

}  // namespace

RedisSentinelTarget::RedisSentinelTarget(RedisOptions options, process::ProcessControl& processes)
    : options_(std::move(options)), processes_(processes) {}

RedisSentinelTarget::~RedisSentinelTarget() {
  if (watch_) watch_->stop();
}

std::vector<std::pair<std::string, bool>> RedisSentinelTarget::member_ids() const {
  std::vector<std::pair<std::string, bool>> ids;
  for (int i = 0; i <= options_.replicas; ++i) ids.emplace_back(server_id(i), true);
  for (int i = 0; i < options_.sentinels; ++i) ids.emplace_back(sentinel_id(i), false);
  return ids;
}

std::vector<NotPromised> RedisSentinelTarget::not_promised() const {
  std::vector<NotPromised> out;
  // WAIT counted against a majority of the servers: an isolated primary
  // can then acknowledge nothing (its WAIT times out, the write is unknown).
  const int servers = options_.replicas + 1;
  if (options_.wait_replicas + 1 < servers / 2 + 1) {
    out.push_back({"isolated_leader_acks",
                   options_.min_replicas_to_write > 0
                       ? "replication is asynchronous: a primary cut off from its replicas acknowledges writes "
                         "until min-replicas-max-lag (" + std::to_string(options_.min_replicas_max_lag_s) +
                             " s) has passed without a replica's acknowledgement"
                       : "replication is asynchronous: a primary cut off from its replicas acknowledges every write "
                         "(min-replicas-to-write is 0)"});
  }
  out.push_back({"isolated_leader_step_down",
                 "a Redis primary cut off from its replicas and sentinels goes on saying it is the primary; "
                 "the sentinels demote it only once they reach it again"});
  return out;
}

bool RedisSentinelTarget::prepare(Placement& placement, std::string& error) {
  members_.clear();
  book_ = {};
  for (const auto& [id, voter] : member_ids()) {
    MemberInfo m;
    m.id = id;
    m.voter = voter;
    m.other = !voter;
    m.program = voter ? options_.server_binary : options_.sentinel_binary;
    m.host = placement.address(id);
    const std::string port_name = voter ? "redis" : "sentinel";
    const int port = placement.port(id, port_name);
    if (port <= 0) {
      error = "no free port for " + id;
      return false;
    }
    m.ports[port_name] = port;
    m.url = "redis://" + m.host + ":" + std::to_string(port);
    m.dir = options_.dir / id;
    m.log_file = m.dir / "log.txt";
    std::error_code ec;
    std::filesystem::create_directories(m.dir, ec);
    if (ec) {
      error = "cannot create " + m.dir.string() + ": " + ec.message();
      return false;
    }
    netns_[id] = placement.netns_fd(id);
    book_.id_at[instance_key(m.host, port)] = id;
    members_.push_back(std::move(m));
  }
  placement.probe_with("redis", "PING\r\n");
  placement.probe_with("sentinel", "PING\r\n");

  // Without namespaces the run's backends reserve each port on 127.0.0.1
  // with a socket the member is to share through SO_REUSEPORT, which Redis
  // does not set: its bind would fail.
  if (placement.netns_fd(members_.front().id) < 0) {
    error = "redis-sentinel needs the kernel network backend (a network namespace per member; root): without "
            "namespaces the run reserves each member's port on 127.0.0.1 for the member to bind with SO_REUSEPORT, "
            "and Redis does not; run as root with --network auto or kernel";
    return false;
  }
  const MemberInfo& primary = members_.front();
  const network::Endpoint primary_at{primary.host, primary.ports.at("redis")};
  for (const MemberInfo& m : members_) {
    const std::string port_name = m.voter ? "redis" : "sentinel";
    const int port = m.ports.at(port_name);
    // Peers must reach each member at the address it announces; a backend
    // that would have them dial a per-link proxy instead cannot carry that.
    if (m.id != primary.id) {
      const network::Endpoint dialled = placement.dial(m.id, primary.id, "redis");
      if (dialled.host != primary_at.host || dialled.port != primary_at.port) {
        error = "redis-sentinel needs the kernel network backend for link faults: Redis and Sentinel announce one "
                "address per member to every peer, so their links cannot go through the proxy backend's per-link "
                "addresses (" + m.id + " would dial " + dialled.text() + " for " + primary_at.text() +
                "); run as root with --network kernel, or drop the link faults";
        return false;
      }
    }
    book_.client_dial[m.id] = placement.dial(faults::kClients, m.id, port_name);
    if (!m.voter) book_.sentinels_for_clients.push_back({m.id, book_.client_dial[m.id].host, book_.client_dial[m.id].port});
    std::string text;
    if (m.voter) {
      ServerConfig c{m.host, port, m.dir, std::nullopt, options_.min_replicas_to_write, options_.min_replicas_max_lag_s};
      if (m.id != primary.id) c.replica_of = primary_at;
      text = server_config(c);
    } else {
      SentinelConfig c;
      c.address = m.host;
      c.port = port;
      c.dir = m.dir;
      c.primary = primary_at;
      c.quorum = options_.quorum;
      c.down_after_ms = options_.down_after_ms;
      c.failover_timeout_ms = options_.failover_timeout_ms;
      c.myid = sentinel_id(m.id);
      for (const MemberInfo* r : servers()) {
        if (r->id != primary.id) c.known_replicas.push_back({r->host, r->ports.at("redis")});
      }
      for (const MemberInfo* o : others()) {
        if (o->id == m.id) continue;
        c.known_sentinels.emplace_back(network::Endpoint{o->host, o->ports.at("sentinel")},
                                       sentinel_id(o->id));
      }
      text = sentinel_config(c);
    }
    if (!write_text(m.dir / (m.voter ? "redis.conf" : "sentinel.conf"), text, error)) return false;
  }
  std::vector<SentinelAddress> observed;
  for (const MemberInfo* s : others()) observed.push_back({s->id, s->host, s->ports.at("sentinel")});
  watch_ = std::make_unique<SentinelWatch>(kRedisMasterName, observed, book_.id_at, observer_address());
  return true;
}

bool RedisSentinelTarget::spawn(const MemberInfo& member, std::string& error) {
  process::MemberSpec spec;
  spec.id = member.id;
  spec.argv = {member.program, (member.dir / (member.voter ? "redis.conf" : "sentinel.conf")).string()};
  spec.log_file = member.log_file.string();
  spec.working_dir = member.dir.string();
  spec.netns_fd = netns_.count(member.id) ? netns_.at(member.id) : -1;
  return spawn_member(processes_, spec, error);
}

bool RedisSentinelTarget::wait_answers(const MemberInfo& member, Deadline deadline, std::string& error) {
  const int port = member.ports.begin()->second;
  return wait_member(
      processes_, member, deadline, [&] { return answers_ping(member, port, observer_address()); },
      "PING on " + member.host + ":" + std::to_string(port), error);
}

bool RedisSentinelTarget::start_all(Deadline deadline, std::string& error) {
  // Servers first, the primary before its replicas; the sentinels last, so
  // that they find the primary answering.
  for (const bool servers_now : {true, false}) {
    for (const auto& m : members_) {
      if (m.voter == servers_now && !spawn(m, error)) return false;
    }
    for (const auto& m : members_) {
      if (m.voter == servers_now && !wait_answers(m, deadline, error)) return false;
    }
  }
  watch_->start();
  return true;
}

bool RedisSentinelTarget::restart(const std::string& id, Deadline deadline, std::string& error) {
  const MemberInfo* m = member(id);
  if (m == nullptr) {
    error = "no member " + id;
    return false;
  }
  return spawn(*m, error) && wait_answers(*m, deadline, error);
}

void RedisSentinelTarget::stop_all() {
  if (watch_) watch_->stop();
  // Sentinels first, so that none fails over while the servers stop.
  for (const bool servers_now : {false, true}) {
    for (const auto& m : members_) {
      if (m.voter == servers_now && processes_.is_running(m.id)) processes_.stop(m.id, kStopGrace);
    }
  }
}

std::optional<Replication> RedisSentinelTarget::replication(const MemberInfo& member, long timeout_ms) {
  thread_local std::map<std::string, RespConnection> connections;
  RespConnection& c = connections[member.id + "@" + member.host];
  const Deadline deadline = in_ms(timeout_ms);
  if (!c.connected() && c.connect(member.host, member.ports.at("redis"), observer_address(), deadline)) {
    return std::nullopt;
  }
  const RespResult r = c.command({"INFO", "replication"}, deadline);
  if (!r.ok() || r.replies[0].type != RespValue::Type::string) return std::nullopt;
  return parse_replication(r.replies[0].text);
}

MemberStatus RedisSentinelTarget::status(const MemberInfo& member, long timeout_ms) {
  MemberStatus s;
  if (!member.voter) return s;
  const auto r = replication(member, timeout_ms);
  if (!r) return s;
  s.up = true;
  std::optional<std::string> follows;
  if (r->master) {
    s.role = "leader";
    s.leader = member.id;
  } else {
    s.role = "follower";
    const auto it = book_.id_at.find(instance_key(r->master_host, r->master_port));
    if (r->link_up && it != book_.id_at.end()) follows = it->second;
    s.leader = follows;
  }
  s.term = watch_ ? watch_->term_of(member.id, r->master, follows) : 0;
  return s;
}

bool RedisSentinelTarget::wait_ready(Deadline deadline, std::string& error) {
  const std::string& primary = members_.front().id;
  std::string missing;
  while (std::chrono::steady_clock::now() < deadline) {
    missing.clear();
    for (const MemberInfo* m : servers()) {
      if (m->id == primary) continue;
      const auto r = replication(*m, kProbeTimeoutMs);
      if (!r || r->master || !r->link_up) missing += (missing.empty() ? "" : "; ") + m->id + " not linked to " + primary;
    }
    const auto reports = watch_->fresh_reports();
    for (const MemberInfo* s : others()) {
      const auto it = reports.find(s->id);
      if (it == reports.end()) {
        missing += (missing.empty() ? "" : "; ") + s->id + " does not answer";
      } else if (book_.id_at[it->second.master] != primary || it->second.replicas != options_.replicas ||
                 it->second.other_sentinels != options_.sentinels - 1) {
        missing += (missing.empty() ? "" : "; ") + s->id + " knows " + std::to_string(it->second.replicas) +
                   " replicas and " + std::to_string(it->second.other_sentinels) + " other sentinels";
      }
    }
    if (missing.empty()) return true;
    std::this_thread::sleep_for(kPollInterval);
  }
  error = "the Redis servers and sentinels did not settle in time: " + missing + "; see the members' logs";
  return false;
}

bool RedisSentinelTarget::wait_converged(Deadline deadline) {
  while (std::chrono::steady_clock::now() < deadline) {
    const auto agreed = watch_->agreed_primary();
    const MemberInfo* primary = agreed ? member(*agreed) : nullptr;
    const auto p = primary ? replication(*primary, kProbeTimeoutMs) : std::nullopt;
    bool settled = p && p->master;
    for (const MemberInfo* m : servers()) {
      // A server that is down (killed and never restarted) has nothing to
      // converge: waiting for it would only run out the deadline.
      if (!settled || m == primary || !processes_.is_running(m->id)) continue;
      const auto r = replication(*m, kProbeTimeoutMs);
      settled = r && !r->master && r->link_up && book_.id_at[instance_key(r->master_host, r->master_port)] == *agreed &&
                r->offset >= p->offset;
    }
    if (settled) return true;
    std::this_thread::sleep_for(kPollInterval);
  }
  return false;
}

void RedisSentinelTarget::start_events(EventSink sink) {
  if (watch_) watch_->set_sink(std::move(sink));
}

void RedisSentinelTarget::stop_events() {
  if (watch_) watch_->set_sink({});
}

}  // namespace faultline::targets
