// Declared processes as a target (topology.kind "processes"): members the
// plan describes by command line, named ports and HTTP requests
// (drills/plan/processes.hpp; docs/targets.md has the schema). Each member
// runs in its own network namespace when the network has them, on its own
// address and ports, with `{data_dir}` in the run folder; its command line
// is written to <member>/command.txt before it starts.
//
// `{peers}` holds every member's peer entry with its real address, one list
// for all (as etcd's --initial-cluster needs): with the proxy backend link
// faults cannot reach such members, and prepare() refuses them.
//
// Without a status request the members report only whether they are up:
// reports().roles is false, the runner does not wait for a leader, and the
// election checks say "not available".
//
// Thread-safety: as Target; status() and the clients may run on any thread.
#pragma once

#include <mutex>

#include "chaos/process/process_control.hpp"
#include "drills/plan/processes.hpp"
#include "drills/plan/template.hpp"
#include "drills/targets/applied_term.hpp"
#include "drills/targets/leader_client.hpp"
#include "drills/targets/target.hpp"

namespace faultline::targets {

struct ProcessesOptions {
  plan::ProcessesTopology topology;
  int members = 3;
  std::int64_t election_timeout_min_ms = 300;
  std::int64_t election_timeout_max_ms = 600;
  std::int64_t heartbeat_ms = 50;
  std::uint64_t seed = 1;
  bool link_faults = false;
  std::filesystem::path dir;  // members live in dir/<id>/
  std::string program;        // command[0], resolved to an absolute path
};

// A request with its path and body rendered; false with `error` when a
// placeholder has no value.
bool render_request(const plan::ProcessRequest& request, const plan::TemplateLookup& lookup, HttpCall& out,
                    std::string& error);
// The rule of `not_done` (any rule matching: its status, when given, and
// its text, when given, in the body).
NotDone not_done_rule(const std::vector<plan::NotDoneRule>& rules);

class ProcessesTarget final : public Target {
 public:
  ProcessesTarget(ProcessesOptions options, process::ProcessControl& processes);

  std::string kind() const override { return "processes"; }
  StatusReports reports() const override;
  std::vector<std::pair<std::string, bool>> member_ids() const override;
  bool prepare(Placement& placement, std::string& error) override;
  bool start_all(Deadline deadline, std::string& error) override;
  bool restart(const std::string& id, Deadline deadline, std::string& error) override;
  void stop_all() override;
  const std::vector<MemberInfo>& members() const override { return members_; }
  MemberStatus status(const MemberInfo& member, long timeout_ms) override;
  bool wait_converged(Deadline deadline) override;
  std::unique_ptr<KvClient> make_client(std::size_t index, const std::string& source_address) override;
  std::vector<ReadBackValue> read_back(const std::vector<std::string>& keys, Deadline deadline,
                                       std::string& error) override;

 private:
  // The member's own placeholders ({id}, {address}, {port:NAME}, ...).
  plan::TemplateLookup member_lookup(const MemberInfo& member) const;
  bool spawn(const MemberInfo& member, std::string& error);
  bool wait_healthy(const MemberInfo& member, Deadline deadline, std::string& error);
  bool healthy(const MemberInfo& member, long timeout_ms);
  std::vector<std::string> voter_ids() const;
  // The member id a status answer's leader value names, if any.
  std::optional<std::string> leader_named(const std::string& value) const;

  const ProcessesOptions options_;
  process::ProcessControl& processes_;
  std::vector<MemberInfo> members_;
  std::map<std::string, int> netns_;
  std::map<std::string, std::vector<std::string>> argv_;  // rendered command lines
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> env_;
  std::vector<std::string> client_urls_;
  // Value at the status request's `self` path -> member id, learned from
  // every status answer.
  mutable std::mutex self_mu_;
  std::map<std::string, std::string> self_ids_;
  AppliedTermClaims claims_;
};

}  // namespace faultline::targets
