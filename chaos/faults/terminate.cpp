// terminate: SIGTERM to each target's process group (and SIGCONT, so a
// paused member can act on it), a grace period, then SIGKILL if it still
// runs: the orderly shutdown of a deploy or a node drain, and what happens
// when a member does not finish it in time. Confirmed when the process has
// been reaped; the journal says whether it exited by itself and how long it
// took. Healed, like a kill, by starting it again.
#include "chaos/faults/kinds.hpp"
#include "chaos/faults/deadlines.hpp"

namespace faultline::faults {
namespace {

class Terminate final : public Fault {
 public:
  using Fault::Fault;

  std::optional<std::string> inject(FaultEnvironment& env, Injection& out) override {
    std::string error;
    const auto chosen = resolve_targets(env, request_, error);
    if (!chosen) return error;
    out.targets = chosen->ids;
    out.term = chosen->term;
    out.signal_t_ns = env.now_ns();
    const auto grace = std::chrono::milliseconds(request_.params.value("grace_ms", std::int64_t{2000}));
    out.measured = Json{{"members", Json::array()}};
    for (const std::string& id : chosen->ids) {
      const int pid = env.processes().pid(id).value_or(-1);
      const auto started = std::chrono::steady_clock::now();
      const auto stopped = env.processes().stop(id, grace);
      const double took_ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
      if (!stopped.ok()) {
        return fault_label(request_) + "SIGTERM of " + id + " was not confirmed: " + stopped.confirmation();
      }
      const bool by_itself = !stopped.escalated;
      out.applied += (out.applied.empty() ? "" : "; ") + std::string("SIGTERM to process group of pid ") +
                     std::to_string(pid) + (by_itself ? "" : ", then SIGKILL after the grace period");
      out.confirmed += (out.confirmed.empty() ? "" : "; ") + stopped.confirmation() +
                       (by_itself ? " (exited by itself" : " (did not exit by itself") + " in " +
                       std::to_string(static_cast<long>(took_ms)) + " ms)";
      out.measured["members"].push_back(Json{{"member", id},
                                             {"pid", pid},
                                             {"exited_by_itself", by_itself},
                                             {"took_ms", took_ms},
                                             {"exit", stopped.exit->describe()}});
      ended_.push_back({id, pid, stopped.exit});
    }
    out.detail["signal"] = "SIGTERM";
    out.detail["grace_ms"] = grace.count();
    return std::nullopt;
  }

  void after_inject(FaultEnvironment& env) override {
    for (const auto& e : ended_) record_exit(env, e.id, e.pid, e.exit, true);
  }

  std::optional<std::string> heal(FaultEnvironment& env, Healing& out) override {
    for (const auto& e : ended_) {
      std::string error;
      if (!env.restart(e.id, std::chrono::steady_clock::now() + kRestartDeadline, error)) {
        return fault_label(request_) + "restarting " + e.id + " failed: " + error;
      }
      out.applied += (out.applied.empty() ? "" : "; ") + std::string("restarted ") + e.id + " as pid " +
                     std::to_string(env.processes().pid(e.id).value_or(-1));
    }
    out.confirmed = "/health answered 200";
    return std::nullopt;
  }

 private:
  struct Ended {
    std::string id;
    int pid = -1;
    std::optional<process::ExitStatus> exit;
  };
  std::vector<Ended> ended_;
};

}  // namespace

const KindDef& terminate_kind() {
  static const KindDef def = [] {
    KindSpec spec;
    spec.name = "terminate";
    spec.summary =
        "SIGTERM to the target's process group, a grace period, then SIGKILL if it still runs; "
        "journals whether it exited by itself and how long it took";
    spec.effect = Effect::down;
    spec.heal = "restart with the same config and data folder";
    spec.healed_at_end = false;
    spec.params = {param("grace_ms", ParamType::integer, "how long it may take to exit before SIGKILL",
                         Json(2000), false, 0, 600'000)};
    return KindDef{spec, [](FaultRequest request) -> std::unique_ptr<Fault> {
                     return std::make_unique<Terminate>(std::move(request));
                   }};
  }();
  return def;
}

}  // namespace faultline::faults
