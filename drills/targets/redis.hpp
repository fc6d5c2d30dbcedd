// Redis with Sentinel as a target (topology.kind "redis-sentinel"): Redis 7
// servers r1..rN from Debian's redis-server — r1 the first primary, the rest
// its replicas — and sentinels s1..sM from Debian's redis-sentinel, each
// member a process of its own in its own network namespace, on the address
// and ports its Placement gives it ("redis", "sentinel"), with its config,
// data and log in its folder of the run folder (redis_config.hpp).
//
// As the runner sees it: the servers are the voters (a primary reports role
// leader, a replica follower, from `INFO replication`; terms come from the
// sentinels' config epochs, sentinel_watch.hpp); the sentinels are members
// named by id only. Clients find the primary the way Redis' own clients do:
// they ask the sentinels after an error (redis_client.cpp). The system
// makes none of Raft's quorum promises, and says so (not_promised()).
//
// It needs the kernel backend, and prepare() refuses the others with the
// reason: without namespaces every member's port is reserved on 127.0.0.1
// for the member to share with SO_REUSEPORT, which Redis does not set; and
// Redis announces one address for each member to every peer, so the proxy
// backend's per-link proxy addresses could not be given to it anyway.
//
// Thread-safety: as Target.
#pragma once

#include <map>
#include <memory>

#include "chaos/process/process_control.hpp"
#include "drills/targets/sentinel_watch.hpp"
#include "drills/targets/target.hpp"

namespace faultline::targets {

struct RedisOptions {
  int replicas = 2;
  int sentinels = 3;
  std::int64_t down_after_ms = 1000;
  std::int64_t failover_timeout_ms = 5000;
  int quorum = 2;
  int min_replicas_to_write = 0;  // 0: plain asynchronous replication
  int min_replicas_max_lag_s = 10;
  int wait_replicas = 0;          // > 0: every SET is followed by WAIT wait_replicas wait_timeout_ms
  std::int64_t wait_timeout_ms = 100;
  std::filesystem::path dir;      // members live in dir/<id>/
  std::string server_binary = "redis-server";
  std::string sentinel_binary = "redis-sentinel";
};

// The endpoints every client and the observer need, fixed once prepared.
struct RedisBook {
  std::map<std::string, std::string> id_at;                   // "ip:port" -> member id
  std::map<std::string, network::Endpoint> client_dial;      // member id -> what a client dials
  std::vector<SentinelAddress> sentinels_for_clients;         // what clients dial, s1 first
};

class RedisSentinelTarget final : public Target {
 public:
  RedisSentinelTarget(RedisOptions options, process::ProcessControl& processes);
  ~RedisSentinelTarget() override;

  std::string kind() const override { return "redis-sentinel"; }
  std::vector<std::pair<std::string, bool>> member_ids() const override;
  std::vector<NotPromised> not_promised() const override;
  bool prepare(Placement& placement, std::string& error) override;
  bool start_all(Deadline deadline, std::string& error) override;
  bool restart(const std::string& id, Deadline deadline, std::string& error) override;
  void stop_all() override;
  const std::vector<MemberInfo>& members() const override { return members_; }
  MemberStatus status(const MemberInfo& member, long timeout_ms) override;
  // Every replica linked to r1 and every sentinel naming r1 with every
  // replica and every other sentinel known to it.
  bool wait_ready(Deadline deadline, std::string& error) override;
  // The primary a majority of the sentinels name answers as primary, and
  // every other server replicates it, linked and caught up.
  bool wait_converged(Deadline deadline) override;
  void start_events(EventSink sink) override;
  void stop_events() override;
  std::unique_ptr<KvClient> make_client(std::size_t index, const std::string& source_address) override;
  std::vector<ReadBackValue> read_back(const std::vector<std::string>& keys, Deadline deadline,
                                       std::string& error) override;

 private:
  bool spawn(const MemberInfo& member, std::string& error);
  bool wait_answers(const MemberInfo& member, Deadline deadline, std::string& error);
  // A member's `INFO replication`, asked from the observer's address.
  std::optional<Replication> replication(const MemberInfo& member, long timeout_ms);
  std::vector<const MemberInfo*> servers() const { return voters(); }

  RedisOptions options_;
  process::ProcessControl& processes_;
  std::vector<MemberInfo> members_;   // servers first, then sentinels
  std::map<std::string, int> netns_;  // member -> namespace fd (-1: none)
  RedisBook book_;
  std::unique_ptr<SentinelWatch> watch_;
};


}  // namespace faultline::targets
