// etcd 3.4 (Debian's etcd-server, /usr/bin/etcd) as a target: N members
// e1..eN, each an `etcd` process in its own network namespace (when the
// network has them) listening on its own address — the client port first
// (what reachability probes connect to), then the peer port — with its data
// folder and log in the run folder. `--initial-cluster` names every peer's
// real address; with the kernel backend link faults reach the peer links by
// DNAT, with the proxy backend they cannot (one peer list for all members),
// and prepare() refuses them with the reason.
//
// Nothing of a system-wide etcd is used: the ports are the placement's, the
// data is ours, and no etcd configuration file is read (etcd reads none
// unless --config-file is given; ETCD_* variables in the runner's
// environment would still reach it).
//
// Client protocol (etcd_client.cpp): etcd's HTTP JSON gateway, keys and
// values base64; puts through /v3/kv/put, linearizable reads through
// /v3/kv/range; by the LeaderClient rule, with etcd's refusals that did
// nothing named (docs/targets.md lists them). Status from
// /v3/maintenance/status: the leader is an etcd member id, mapped to e1..eN
// through the member list the cluster reports at start; its raftTerm is the
// term of the last applied entry, read as applied_term.hpp says.
//
// Thread-safety: as Target; status() and the clients may run on any thread.
#pragma once

#include <mutex>

#include "chaos/process/process_control.hpp"
#include "drills/targets/applied_term.hpp"
#include "drills/targets/target.hpp"

namespace faultline::targets {

struct EtcdOptions {
  int members = 3;
  // --election-timeout: etcd draws each timeout from [T, 2T).
  std::int64_t election_timeout_ms = 300;
  std::int64_t heartbeat_ms = 50;
  bool pre_vote = false;
  std::uint64_t seed = 1;  // names the cluster token
  bool link_faults = false;
  std::filesystem::path dir;  // members live in dir/<id>/
  std::string binary;         // absolute path of etcd
};

// The errors of etcd's that say a put certainly did nothing (it was refused
// before it entered any Raft log): its error text holds one of these.
const std::vector<std::string>& etcd_not_done_errors();

class EtcdTarget final : public Target {
 public:
  EtcdTarget(EtcdOptions options, process::ProcessControl& processes);

  std::string kind() const override { return "etcd"; }
  std::vector<std::pair<std::string, bool>> member_ids() const override;
  bool prepare(Placement& placement, std::string& error) override;
  bool start_all(Deadline deadline, std::string& error) override;
  bool restart(const std::string& id, Deadline deadline, std::string& error) override;
  void stop_all() override;
  const std::vector<MemberInfo>& members() const override { return members_; }
  MemberStatus status(const MemberInfo& member, long timeout_ms) override;
  std::unique_ptr<KvClient> make_client(std::size_t index, const std::string& source_address) override;
  std::vector<ReadBackValue> read_back(const std::vector<std::string>& keys, Deadline deadline,
                                       std::string& error) override;

  // The etcd command line of a member (for tests and the docs).
  std::vector<std::string> command(const MemberInfo& member) const;

 private:
  bool spawn(const MemberInfo& member, std::string& error);
  bool learn_member_ids(Deadline deadline, std::string& error);
  std::vector<std::string> voter_ids() const;

  const EtcdOptions options_;
  process::ProcessControl& processes_;
  std::vector<MemberInfo> members_;
  std::map<std::string, int> netns_;
  std::string initial_cluster_;
  std::vector<std::string> client_urls_;
  // etcd member id (decimal) -> e1..eN; filled by start_all, read by status().
  mutable std::mutex ids_mu_;
  std::map<std::string, std::string> names_;
  AppliedTermClaims claims_;
};

}  // namespace faultline::targets
