// kill: SIGKILL to each target's process group, confirmed when the process
// has been reaped; healed by spawning the member again from the same config
// and data folder, confirmed when it answers its health check.
#include <signal.h>

#include <algorithm>

#include "chaos/faults/kinds.hpp"
#include "chaos/faults/deadlines.hpp"

namespace faultline::faults {
namespace {

class Kill final : public Fault {
 public:
  using Fault::Fault;

  std::optional<std::string> inject(FaultEnvironment& env, Injection& out) override {
    const Selection chosen =
        resolve_members(env, request_.target, std::chrono::steady_clock::now() + kResolveDeadline);
    if (chosen.ids.empty()) return no_match(request_);
    out.targets = chosen.ids;
    out.term = chosen.term;
    out.signal_t_ns = env.now_ns();
    std::string applied, confirmed;
    for (const std::string& id : chosen.ids) {
      const int pid = env.processes().pid(id).value_or(-1);
      const auto killed =
          env.processes().kill(id, SIGKILL, std::chrono::steady_clock::now() + kKillDeadline);
      if (!killed.ok()) {
        return fault_label(request_) + "SIGKILL of " + id + " was not confirmed: " +
               (killed.error.empty() ? "still running at the deadline" : killed.error);
      }
      applied += (applied.empty() ? "" : "; ") + std::string("SIGKILL to process group of pid ") +
                 std::to_string(pid);
      confirmed += (confirmed.empty() ? "" : "; ") + killed.confirmation();
      killed_.push_back({id, pid});
    }
    out.detail["signal"] = "SIGKILL";
    out.applied = applied;
    out.confirmed = confirmed;
    out.measured = Json{{"reaped", Json::array()}};
    for (const auto& k : killed_)
      out.measured["reaped"].push_back(Json{{"member", k.id}, {"pid", k.pid}});
    return std::nullopt;
  }

  // The exits are journaled after the fault.inject event (docs/journal.md).
  void after_inject(FaultEnvironment& env) override {
    const auto voters = env.voters();
    for (const auto& k : killed_) {
      const bool worker = env.is_worker(k.id);
      Json exit{{worker ? "worker" : "member", k.id}, {"pid", k.pid}, {"signal", SIGKILL}, {"code", nullptr},
                {"expected", true}};
      if (!worker) exit["voter"] = std::find(voters.begin(), voters.end(), k.id) != voters.end();
      env.record(worker ? "worker.exit" : "member.exit", std::move(exit));
    }
  }

  std::optional<std::string> heal(FaultEnvironment& env, Healing& out) override {
    std::string applied;
    for (const auto& k : killed_) {
      std::string error;
      if (!env.restart(k.id, std::chrono::steady_clock::now() + kRestartDeadline, error)) {
        return fault_label(request_) + "restarting " + k.id + " failed: " + error;
      }
      const int pid = env.processes().pid(k.id).value_or(-1);
      applied += (applied.empty() ? "" : "; ") + std::string("restarted ") + k.id + " as pid " +
                 std::to_string(pid);
    }
    out.applied = applied;
    out.confirmed = "/health answered 200";
    return std::nullopt;
  }

 private:
  struct Killed {
    std::string id;
    int pid = -1;
  };
  std::vector<Killed> killed_;
};

}  // namespace

const KindDef& kill_kind() {
  static const KindDef def = [] {
    KindSpec spec;
    spec.name = "kill";
    spec.summary = "SIGKILL to the target's whole process group: no shutdown, no flush, exactly a crash";
    spec.effect = Effect::down;
    spec.heal = "restart with the same config and data folder";
    spec.heal_aliases = {"restart_after_ms"};
    spec.healed_at_end = false;
    return KindDef{spec, [](FaultRequest request) -> std::unique_ptr<Fault> {
                     return std::make_unique<Kill>(std::move(request));
                   }};
  }();
  return def;
}

}  // namespace faultline::faults
