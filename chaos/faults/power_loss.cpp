// power_loss: the targets lose power together. Each one's process group is
// SIGKILLed, and then whatever its storage did not really sync is dropped
// (FaultEnvironment::drop_unsynced): for a member whose disk lied
// (disk lying_fsync), every write since the lie began is gone, as after a
// real power cut; a member whose syncs were honest loses nothing. The
// journal says, per member, whether its disk lied and how many bytes did
// not survive. Healed when the power comes back: every target starts again
// from what survived, in the order `restart` says:
//
//   together     by id, each as soon as the previous answers its health check
//   lying_first  the members whose disks lied first; the others only once
//                the lying ones have elected a leader among themselves and
//                committed in its term. The members that kept the
//                acknowledged writes then come back to a cluster that moved
//                on without them, so the loss shows every time; in the other
//                order, the honest member may win the election and bring
//                the writes back (docs/faults.md, "Power loss").
#include <signal.h>

#include <algorithm>
#include <thread>

#include "chaos/faults/kinds.hpp"
#include "chaos/faults/deadlines.hpp"

namespace faultline::faults {
namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr auto kLeaderDeadline = std::chrono::seconds(15);

class PowerLoss final : public Fault {
 public:
  using Fault::Fault;

  std::optional<std::string> inject(FaultEnvironment& env, Injection& out) override {
    std::string error;
    const auto chosen = resolve_targets(env, request_, error);
    if (!chosen) return error;
    members_ = chosen->ids;
    out.targets = members_;
    out.term = chosen->term;
    for (const auto& v : env.observe()) {
      if (v.voter && v.up) term_before_ = std::max(term_before_, v.term);
    }
    // Which disks lie, asked before the power goes.
    for (const auto& id : members_) {
      const AdminAnswer a = env.admin(id, "GET", "/admin/failpoints", nullptr);
      const bool lying = a.ok() && a.body.value("disk", Json::object()).value("mode", "") == "lying_fsync";
      if (lying) lying_.push_back(id);
    }
    out.signal_t_ns = env.now_ns();
    for (const auto& id : members_) {
      const int pid = env.processes().pid(id).value_or(-1);
      const auto killed = env.processes().kill(id, SIGKILL, SteadyClock::now() + kKillDeadline);
      if (!killed.ok()) {
        return fault_label(request_) + "SIGKILL of " + id + " was not confirmed: " + killed.confirmation();
      }
      exits_.push_back({id, pid, killed.exit});
      out.confirmed += (out.confirmed.empty() ? "" : "; ") + killed.confirmation();
    }
    out.measured = Json{{"members", Json::array()}};
    std::uint64_t dropped = 0;
    for (const auto& id : members_) {
      Json report;
      if (!env.drop_unsynced(id, report, error)) return fault_label(request_) + error;
      const bool lied = std::find(lying_.begin(), lying_.end(), id) != lying_.end();
      report["member"] = id;
      report["disk_lied"] = lied;
      dropped += report.value("bytes_dropped", std::uint64_t{0});
      out.measured["members"].push_back(report);
    }
    out.applied = "SIGKILL to " + std::to_string(members_.size()) + " members together; unsynced writes "
                  "dropped on " + std::to_string(lying_.size()) + " whose disks lied";
    out.confirmed += "; " + std::to_string(dropped) + " bytes written since the last real sync dropped";
    // The checkers (drills/verify) exempt what a power loss explains: a
    // member's commit index or term going back across its restart.
    out.detail = Json{{"power_loss", true}, {"lying", lying_}, {"restart", restart_order()}};
    return std::nullopt;
  }

  void after_inject(FaultEnvironment& env) override {
    for (const auto& e : exits_) record_exit(env, e.id, e.pid, e.exit, true);
  }

  std::optional<std::string> heal(FaultEnvironment& env, Healing& out) override {
    std::vector<std::string> first = members_;
    std::vector<std::string> later;
    if (restart_order() == "lying_first" && !lying_.empty()) {
      first = lying_;
      for (const auto& id : members_) {
        if (std::find(lying_.begin(), lying_.end(), id) == lying_.end()) later.push_back(id);
      }
    }
    if (auto failed = start(env, first, out)) return failed;
    if (!later.empty()) {
      if (auto failed = wait_new_leader(env, first, out)) return failed;
      if (auto failed = start(env, later, out)) return failed;
    }
    out.confirmed = "every member answered /health";
    return std::nullopt;
  }

 private:
  std::string restart_order() const { return request_.params.value("restart", std::string("together")); }

  std::optional<std::string> start(FaultEnvironment& env, const std::vector<std::string>& ids, Healing& out) {
    for (const auto& id : ids) {
      std::string error;
      if (!env.restart(id, SteadyClock::now() + kRestartDeadline, error)) {
        return fault_label(request_) + "restarting " + id + " after the power loss failed: " + error;
      }
      out.applied += (out.applied.empty() ? "" : "; ") + std::string("restarted ") + id;
    }
    return std::nullopt;
  }

  // A leader among `ids`, in a term above every term before the power loss,
  // that committed past what any of them had when they came back.
  std::optional<std::string> wait_new_leader(FaultEnvironment& env, const std::vector<std::string>& ids,
                                             Healing& out) {
    auto among = [&](const std::string& id) { return std::find(ids.begin(), ids.end(), id) != ids.end(); };
    std::uint64_t restored_commit = 0;
    for (const auto& id : ids) restored_commit = std::max(restored_commit, env.log_position(id).commit_index);
    const auto deadline = SteadyClock::now() + kLeaderDeadline;
    while (SteadyClock::now() < deadline) {
      for (const auto& v : env.observe()) {
        if (!among(v.id) || !v.up || v.role != "leader" || v.term <= term_before_) continue;
        const LogPosition log = env.log_position(v.id);
        if (log.commit_index > restored_commit) {
          out.measured = Json{{"leader", v.id}, {"term", v.term}, {"commit_index", log.commit_index},
                              {"then_restarted", "the members whose disks did not lie"}};
          return std::nullopt;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return fault_label(request_) + "the members whose disks lied elected no leader that committed in a new "
                                   "term within 15 s";
  }

  struct Exit {
    std::string id;
    int pid = -1;
    std::optional<process::ExitStatus> exit;
  };
  std::vector<std::string> members_;
  std::vector<std::string> lying_;
  std::vector<Exit> exits_;
  std::uint64_t term_before_ = 0;
};

}  // namespace

const KindDef& power_loss_kind() {
  static const KindDef def = [] {
    KindSpec spec;
    spec.name = "power_loss";
    spec.summary =
        "the targets lose power together: SIGKILL, then every write their storage did not really sync "
        "is dropped (all of it since a disk began to lie); journals the bytes lost";
    spec.effect = Effect::down;
    spec.heal = "power back: restart, together or the lying members first";
    spec.backend = "process and storage failpoint";
    spec.default_target = "all";
    ParamSpec restart = param("restart", ParamType::choice,
                              "together (by id), or lying_first: the others once the lying members "
                              "elected a leader and committed in its term",
                              Json("together"));
    restart.choices = {"together", "lying_first"};
    spec.params = {restart};
    spec.voters_only = true;
    spec.topologies = {"embedded"};
    spec.topologies_why = "what was synced is known only to the reference cluster's storage seam";
    return KindDef{spec, [](FaultRequest request) -> std::unique_ptr<Fault> {
                     return std::make_unique<PowerLoss>(std::move(request));
                   }};
  }();
  return def;
}

}  // namespace faultline::faults
