// The embedded reference cluster as a target: N coordinator processes
// (`faultline coordinator --config FILE`) and M nodes (`faultline node
// --config FILE`, the member ids w1..wM), each with its own mcp_settings.json,
// data folder and log under the run folder, each on the address and ports its
// Placement gives it. Every node hosts the built-in MCP servers (echo,
// counter, kv, sleep; `faultline mcp-server`) and whatever `mcp_servers` adds.
//
// Every member shares a cluster token and the coordinators an admin token,
// fresh for each target unless the options give them; admin() sends the
// admin token.
//
// Faults beyond processes and links: each coordinator has admin failpoints
// (its clock and its disk; admin_allow lists loopback and the observer's
// address), its data folder can lose what its lying disk did not sync, and
// workers are started under libfaketime when the plan may skew their clock.
//
// Thread-safety: as Target.
#pragma once

#include "chaos/process/process_control.hpp"
#include "drills/targets/target.hpp"

namespace faultline::targets {

struct EmbeddedOptions {
  int coordinators = 3;
  std::int64_t election_timeout_min_ms = 300;
  std::int64_t election_timeout_max_ms = 600;
  std::int64_t heartbeat_ms = 50;
  std::string election_timer = "wall";  // wall | ticks: the coordinators' raft.electionTimer
  bool campaign_when_leader_gone = true;  // the coordinators' raft.campaignWhenLeaderGone
  std::uint64_t seed = 1;
  bool stale_reads = false;  // unsafe: members answer reads locally
  std::string replication = "sync";  // sync | semi-sync | async: the coordinators' replication
  int workers = 0;           // w1..wN
  std::int64_t worker_timeout_ms = 500;    // the nodes' nodeTimeout, and the legacy routed-call timeout
  std::int64_t worker_heartbeat_ms = 100;  // the nodes' heartbeatInterval
  std::int64_t cleanup_interval_ms = 0;    // 0: 4 x worker_timeout_ms
  std::string failure_detector;            // empty: the coordinators' default (fixed)
  std::optional<double> failure_detector_k;
  std::optional<int> failure_detector_misses;
  std::int64_t sticky_session_timeout_ms = 3600000;
  std::string sticky_strategy = "consistent-hash";
  std::string balancing;                   // empty: the sticky strategy's default
  std::int64_t connect_timeout_ms = 2000;
  std::int64_t read_timeout_ms = 5000;
  nlohmann::json mcp_servers = nlohmann::json::object();  // more servers for every node, MCPHub's format
  bool mcp_calls = false;  // clients' calls are MCP tool calls (embedded_mcp_client.cpp), not POST /api/calls
  std::filesystem::path dir;  // members live in dir/<id>/
  std::string binary;         // the faultline executable
  // Start workers under libfaketime (faketime.hpp), for clock faults on them.
  bool faketime_workers = false;
  // systemConfig.cluster.token and adminToken of every member. Empty with
  // generate_tokens: fresh random ones for this target (one run); empty
  // without it: the members have none.
  std::string cluster_token;
  std::string admin_token;
  bool generate_tokens = true;
};

class EmbeddedTarget final : public Target {
 public:
  EmbeddedTarget(EmbeddedOptions options, process::ProcessControl& processes);

  std::string kind() const override { return "embedded"; }
  // The tokens written into the members' settings ("" when none).
  const std::string& cluster_token() const { return options_.cluster_token; }
  const std::string& admin_token() const { return options_.admin_token; }
  std::vector<std::pair<std::string, bool>> member_ids() const override;
  bool prepare(Placement& placement, std::string& error) override;
  bool start_all(Deadline deadline, std::string& error) override;
  bool restart(const std::string& id, Deadline deadline, std::string& error) override;
  void stop_all() override;
  const std::vector<MemberInfo>& members() const override { return members_; }
  MemberStatus status(const MemberInfo& member, long timeout_ms) override;
  // Waits until the coordinators' leader counts every worker as live.
  bool wait_ready(Deadline deadline, std::string& error) override;
  std::unique_ptr<KvClient> make_client(std::size_t index, const std::string& source_address) override;
  std::vector<ReadBackValue> read_back(const std::vector<std::string>& keys, Deadline deadline,
                                       std::string& error) override;

  AdminReply admin(const MemberInfo& member, const std::string& method, const std::string& path,
                   const std::string& body, long timeout_ms) override;
  // Coordinators: their clock failpoint; workers: libfaketime when started with it.
  faults::ClockAccess clock_access(const MemberInfo& member) const override;
  std::vector<std::pair<std::string, std::string>> member_env(const MemberInfo& member) const override;
  // Workers: the leader counts every worker as live.
  bool caught_up(const MemberInfo& member, std::string& why) override;
  // Coordinators: store::drop_unsynced on their data folder.
  bool drop_unsynced(const MemberInfo& member, Json& report, std::string& error) override;

 private:
  bool spawn(const MemberInfo& member, std::string& error);
  bool wait_healthy(const MemberInfo& member, Deadline deadline, std::string& error);
  std::vector<std::string> voter_ids() const;
  // The member's mcp_settings.json.
  Json settings_for(const MemberInfo& member, Placement& placement) const;

  EmbeddedOptions options_;
  process::ProcessControl& processes_;
  std::vector<MemberInfo> members_;  // coordinators first, then workers
  std::map<std::string, int> netns_;  // member -> namespace fd (-1: none)
  std::vector<std::string> client_urls_;  // what the clients dial for each voter
  std::optional<std::filesystem::path> faketime_library_;  // set when workers take it
};

}  // namespace faultline::targets
