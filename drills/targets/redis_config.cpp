#include "drills/targets/redis_config.hpp"

#include "cluster/util/fnv1a64.hpp"

namespace faultline::targets {
namespace {

// Redis' config syntax takes double-quoted strings with C escapes.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string common(const std::string& address, int port, const std::filesystem::path& dir) {
  return "bind " + address + "\n" + "port " + std::to_string(port) + "\n" +
         "protected-mode no\n"
         "daemonize no\n"
         "supervised no\n"
         "logfile \"\"\n"
         "dir " + quoted(dir.string()) + "\n";
}

}  // namespace

std::string server_config(const ServerConfig& c) {
  std::string text = "# A redis-sentinel member, written by faultline; Sentinel may rewrite it.\n";
  text += common(c.address, c.port, c.dir);
  // The loss a drill measures is replication's, not the disk's: nothing is
  // persisted, and a full sync streams straight to the replica.
  text += "save \"\"\n"
          "appendonly no\n"
          "repl-diskless-sync yes\n"
          "repl-diskless-sync-delay 0\n";
  // Every member says its own address, whatever address its peers see
  // its connections come from (a link proxy's, with link faults).
  text += "replica-announce-ip " + c.address + "\n";
  text += "replica-announce-port " + std::to_string(c.port) + "\n";
  text += "min-replicas-to-write " + std::to_string(c.min_replicas_to_write) + "\n";
  text += "min-replicas-max-lag " + std::to_string(c.min_replicas_max_lag_s) + "\n";
  if (c.replica_of) text += "replicaof " + c.replica_of->host + " " + std::to_string(c.replica_of->port) + "\n";
  return text;
}

std::string sentinel_config(const SentinelConfig& c) {
  const std::string name = kRedisMasterName;
  std::string text = "# A redis-sentinel sentinel, written by faultline; Sentinel rewrites it as it learns.\n";
  text += common(c.address, c.port, c.dir);
  text += "sentinel resolve-hostnames no\n";
  text += "sentinel announce-ip " + c.address + "\n";
  text += "sentinel announce-port " + std::to_string(c.port) + "\n";
  text += "sentinel monitor " + name + " " + c.primary.host + " " + std::to_string(c.primary.port) + " " +
          std::to_string(c.quorum) + "\n";
  text += "sentinel down-after-milliseconds " + name + " " + std::to_string(c.down_after_ms) + "\n";
  text += "sentinel failover-timeout " + name + " " + std::to_string(c.failover_timeout_ms) + "\n";
  text += "sentinel parallel-syncs " + name + " 1\n";
  if (!c.myid.empty()) text += "sentinel myid " + c.myid + "\n";
  for (const auto& r : c.known_replicas) {
    text += "sentinel known-replica " + name + " " + r.host + " " + std::to_string(r.port) + "\n";
  }
  for (const auto& [at, id] : c.known_sentinels) {
    text += "sentinel known-sentinel " + name + " " + at.host + " " + std::to_string(at.port) + " " + id + "\n";
  }
  return text;
}

std::string sentinel_id(const std::string& member_id) {
  // Three FNV-1a 64 hashes of salted copies of the id: 48 hex digits, of
  // which Sentinel's run-id length (40) is kept.
  std::string id;
  for (const char* salt : {"faultline-sentinel-a:", "faultline-sentinel-b:", "faultline-sentinel-c:"}) {
    id += util::fnv1a64_hex(std::string(salt) + member_id);
  }
  return id.substr(0, 40);
}

}  // namespace faultline::targets
