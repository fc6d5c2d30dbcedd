// The embedded reference cluster as the runner sees it: N coordinator
// processes (`faultline coordinator --config FILE`) and M worker processes
// (`faultline worker --config FILE`) on loopback ports chosen free at run
// time, each with its own config, data folder and log under the run folder.
//
// Thread-safety: start, kill and restart go through ProcessControl and must be
// called from the runner's main thread (see chaos/process/spawn.hpp). status()
// only does HTTP and may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "chaos/process/process_control.hpp"

namespace faultline::runner {

struct ClusterOptions {
  int coordinators = 3;
  std::int64_t election_timeout_min_ms = 300;
  std::int64_t election_timeout_max_ms = 600;
  std::int64_t heartbeat_ms = 50;
  std::uint64_t seed = 1;
  bool stale_reads = false;         // unsafe: members answer reads locally
  int workers = 0;                  // w1..wN
  std::int64_t worker_timeout_ms = 500;
  std::int64_t worker_heartbeat_ms = 100;
  std::filesystem::path dir;        // members live in dir/<id>/
  std::string binary;               // the faultline executable
};

struct MemberInfo {
  std::string id;  // c1, c2, ... (coordinators); w1, w2, ... (workers)
  std::uint32_t raft_id = 0;  // 0 for a worker
  bool is_worker() const { return raft_id == 0; }
  int port = 0;
  std::string url;
  std::filesystem::path config_file;
  std::filesystem::path log_file;
};

// One member's own report, from GET /api/raft/status.
struct MemberStatus {
  bool up = false;
  std::string role;  // leader, follower, candidate; empty when down
  std::uint64_t term = 0;
  std::optional<std::string> leader;
  std::optional<std::string> leader_url;
  std::uint64_t commit_index = 0;
  std::uint64_t applied_index = 0;
  std::int64_t role_since_mono_ns = 0;
};

using Deadline = std::chrono::steady_clock::time_point;

class EmbeddedCluster {
 public:
  EmbeddedCluster(ClusterOptions options, process::ProcessControl& processes);

  // Picks free ports and writes every member's config. Nothing is started.
  bool prepare(std::string& error);
  // Spawns every coordinator, then every worker, and waits until each answers
  // /health.
  bool start_all(Deadline deadline, std::string& error);
  // Spawns one member or worker again (same config, same data folder) and
  // waits for it.
  bool restart(const std::string& id, Deadline deadline, std::string& error);
  // Waits until the coordinators' leader counts every worker as live.
  bool wait_workers_registered(Deadline deadline, std::string& error) const;
  // Stops every member: SIGTERM, then SIGKILL after a grace period.
  void stop_all();

  // The coordinators.
  const std::vector<MemberInfo>& members() const { return members_; }
  const std::vector<MemberInfo>& workers() const { return workers_; }
  // A coordinator or a worker by id.
  const MemberInfo* member(const std::string& id) const;
  process::ProcessControl& processes() { return processes_; }

  static MemberStatus status(const std::string& url, long timeout_ms);
  // The member that a majority of members names as leader of the highest term,
  // once one exists; nullopt at the deadline.
  std::optional<std::string> wait_for_leader(Deadline deadline) const;
  // Waits until every member is up and has applied the leader's commit index.
  bool wait_converged(Deadline deadline) const;

 private:
  bool spawn(const MemberInfo& member, std::string& error);
  bool write_worker_configs(std::string& error);
  bool wait_healthy(const MemberInfo& member, Deadline deadline, std::string& error);

  ClusterOptions options_;
  process::ProcessControl& processes_;
  std::vector<MemberInfo> members_;
  std::vector<MemberInfo> workers_;
};

// Binds 127.0.0.1:0, reads the port the kernel chose, and closes the socket.
// Returns 0 when no port could be had.
int pick_free_port();

}  // namespace faultline::runner
