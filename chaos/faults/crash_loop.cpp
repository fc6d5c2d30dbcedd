// crash_loop: a member that keeps crashing. Its process group is SIGKILLed
// `count` times, `interval_ms` apart, and each time it is started again
// (`down_ms` after the kill) and waited for until it answers its health
// check. The first kill is the injection (confirmed when reaped); the
// others, and every restart, are the fault's steps, each journaled as
// `fault.step` beside the member's own `member.exit` and `member.start`.
// The loop ends by itself after the last restart; a heal that comes first
// stops it, and leaves the member running.
#include <signal.h>

#include "chaos/faults/kinds.hpp"
#include "chaos/faults/deadlines.hpp"

namespace faultline::faults {
namespace {

using SteadyClock = std::chrono::steady_clock;

class CrashLoop final : public Fault {
 public:
  using Fault::Fault;

  std::optional<std::string> inject(FaultEnvironment& env, Injection& out) override {
    count_ = request_.params.value("count", 3);
    interval_ = std::chrono::milliseconds(request_.params.value("interval_ms", std::int64_t{1000}));
    down_ = std::chrono::milliseconds(request_.params.value("down_ms", std::int64_t{0}));
    if (down_ >= interval_) {
      return fault_label(request_) + "down_ms (" + std::to_string(down_.count()) +
             ") must be shorter than interval_ms (" + std::to_string(interval_.count()) +
             "): the member must be up again before its next crash";
    }
    std::string error;
    const auto chosen = resolve_targets(env, request_, error);
    if (!chosen) return error;
    members_ = chosen->ids;
    out.targets = members_;
    out.term = chosen->term;
    out.signal_t_ns = env.now_ns();
    started_ = SteadyClock::now();
    if (auto failed = kill_all(env, out.confirmed)) return failed;
    out.applied = "SIGKILL 1 of " + std::to_string(count_) + ", then a restart and a kill every " +
                  std::to_string(interval_.count()) + " ms";
    out.detail = Json{{"count", count_}, {"interval_ms", interval_.count()}, {"down_ms", down_.count()}};
    out.measured = Json{{"kills", kills_}};
    return std::nullopt;
  }

  void after_inject(FaultEnvironment& env) override { record_exits(env); }

  std::optional<std::string> step(FaultEnvironment& env) override {
    if (finished_) return std::nullopt;
    const auto now = SteadyClock::now();
    if (down_now_ && now >= started_ + interval_ * (kills_ - 1) + down_) {
      if (auto failed = restart_all(env)) return failed;
      if (kills_ >= count_) {
        finished_ = true;
        record_step(env, request_, Json{{"action", "done"}, {"kills", kills_}, {"restarts", restarts_}});
      }
    } else if (!down_now_ && now >= started_ + interval_ * kills_) {
      std::string confirmed;
      if (auto failed = kill_all(env, confirmed)) return failed;
      record_step(env, request_, Json{{"action", "kill"}, {"n", kills_}, {"members", members_},
                                      {"confirmed", confirmed}});
      record_exits(env);
    }
    return std::nullopt;
  }

  std::optional<std::string> heal(FaultEnvironment& env, Healing& out) override {
    if (!finished_ && down_now_) {
      if (auto failed = restart_all(env)) return failed;
    }
    out.applied = finished_ ? "the loop had finished" : "stopped the loop";
    finished_ = true;
    out.confirmed = std::to_string(kills_) + " kills, " + std::to_string(restarts_) +
                    " restarts, each restart answered /health";
    out.measured = Json{{"kills", kills_}, {"restarts", restarts_}};
    return std::nullopt;
  }

 private:
  std::optional<std::string> kill_all(FaultEnvironment& env, std::string& confirmed) {
    exits_.clear();
    for (const auto& id : members_) {
      const int pid = env.processes().pid(id).value_or(-1);
      const auto killed = env.processes().kill(id, SIGKILL, SteadyClock::now() + kKillDeadline);
      if (!killed.ok()) {
        return fault_label(request_) + "SIGKILL " + std::to_string(kills_ + 1) + " of " + id +
               " was not confirmed: " + killed.confirmation();
      }
      confirmed += (confirmed.empty() ? "" : "; ") + killed.confirmation();
      exits_.push_back({id, pid, killed.exit});
    }
    ++kills_;
    down_now_ = true;
    return std::nullopt;
  }

  void record_exits(FaultEnvironment& env) {
    for (const auto& e : exits_) record_exit(env, e.id, e.pid, e.exit, true);
    exits_.clear();
  }

  std::optional<std::string> restart_all(FaultEnvironment& env) {
    for (const auto& id : members_) {
      std::string error;
      if (!env.restart(id, SteadyClock::now() + kRestartDeadline, error)) {
        return fault_label(request_) + "restart " + std::to_string(restarts_ + 1) + " of " + id +
               " failed: " + error;
      }
    }
    ++restarts_;
    down_now_ = false;
    record_step(env, request_, Json{{"action", "restart"}, {"n", restarts_}, {"members", members_}});
    return std::nullopt;
  }

  struct Exit {
    std::string id;
    int pid = -1;
    std::optional<process::ExitStatus> exit;
  };
  std::vector<std::string> members_;
  std::vector<Exit> exits_;  // kills not yet journaled
  int count_ = 3;
  std::chrono::milliseconds interval_{1000};
  std::chrono::milliseconds down_{0};
  SteadyClock::time_point started_;
  int kills_ = 0;
  int restarts_ = 0;
  bool down_now_ = false;
  bool finished_ = false;
};

}  // namespace

const KindDef& crash_loop_kind() {
  static const KindDef def = [] {
    KindSpec spec;
    spec.name = "crash_loop";
    spec.summary =
        "SIGKILL of the target `count` times, `interval_ms` apart, restarting it after each kill "
        "(a member in a crash loop); every kill and restart is journaled";
    spec.effect = Effect::down;
    spec.heal = "stop the loop, with the member running";
    spec.params = {
        param("count", ParamType::integer, "how many times it is killed (and restarted)", Json(3), false, 1, 100),
        param("interval_ms", ParamType::integer, "from one kill to the next", Json(1000), false, 100, 600'000),
        param("down_ms", ParamType::integer, "how long it stays down after each kill before its restart",
              Json(0), false, 0, 600'000)};
    return KindDef{spec, [](FaultRequest request) -> std::unique_ptr<Fault> {
                     return std::make_unique<CrashLoop>(std::move(request));
                   }};
  }();
  return def;
}

}  // namespace faultline::faults
