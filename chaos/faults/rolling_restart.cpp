// rolling_restart: every target restarted one at a time, as a rolling
// update does: SIGTERM (SIGKILL after `grace_ms`), start again, and wait
// until it is healthy and caught up (FaultEnvironment::caught_up) before the
// next one. The order is the plan's: `leader_last` restarts the followers
// by id and the member that leads at that moment last (so a healthy cluster
// pays at most one election), `by_id` goes by id whoever leads.
//
// Each member's step is journaled as `fault.step`: when it was stopped, when
// it answered its health check, when it had caught up, whether it led, how
// it exited. The checkers turn these into per-step figures (unavailability
// seen by clients, elections caused, time to catch up: drills/verify/rolling.hpp).
// The first stop is the injection; the fault ends by itself after the last
// step, and a heal that comes first stops it once the member in hand is up.
#include <algorithm>

#include "chaos/faults/kinds.hpp"
#include "chaos/faults/deadlines.hpp"

namespace faultline::faults {
namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr auto kPollEvery = std::chrono::milliseconds(20);

class RollingRestart final : public Fault {
 public:
  using Fault::Fault;

  std::optional<std::string> inject(FaultEnvironment& env, Injection& out) override {
    std::string error;
    const auto chosen = resolve_targets(env, request_, error);
    if (!chosen) return error;
    remaining_ = chosen->ids;
    std::sort(remaining_.begin(), remaining_.end());
    total_ = remaining_.size();
    grace_ = std::chrono::milliseconds(request_.params.value("grace_ms", std::int64_t{2000}));
    settle_ = std::chrono::milliseconds(request_.params.value("settle_ms", std::int64_t{0}));
    catch_up_limit_ = std::chrono::milliseconds(request_.params.value("catch_up_timeout_ms", std::int64_t{15000}));
    leader_last_ = request_.params.value("order", std::string("leader_last")) == "leader_last";
    out.targets = remaining_;
    out.term = chosen->term;
    out.signal_t_ns = env.now_ns();
    if (auto failed = stop_next(env)) return failed;
    out.applied = "restarting " + std::to_string(total_) + " members one at a time (" +
                  (leader_last_ ? "followers first, the leader last" : "by id") + "), first " + current_.member;
    out.confirmed = current_.member + " stopped: " + current_.confirmed;
    out.detail = Json{{"order", leader_last_ ? "leader_last" : "by_id"}, {"members", out.targets}};
    out.measured = Json{{"first", current_.member}, {"was_leader", current_.was_leader}};
    return std::nullopt;
  }

  void after_inject(FaultEnvironment& env) override { record_stop(env); }

  std::optional<std::string> step(FaultEnvironment& env) override {
    const auto now = SteadyClock::now();
    if (finished_ || now < next_poll_) return std::nullopt;
    next_poll_ = now + kPollEvery;
    if (!current_.restarted) return restart_current(env);
    if (!current_.caught_up) {
      std::string why;
      if (!env.caught_up(current_.member, why)) {
        if (now - current_.healthy_at > catch_up_limit_) {
          return fault_label(request_) + current_.member + " did not catch up within " +
                 std::to_string(catch_up_limit_.count()) + " ms of its restart: " + why;
        }
        return std::nullopt;
      }
      current_.caught_up = true;
      current_.caught_up_at = now;
      current_.caught_up_ns = env.now_ns();
      finish_step(env);
      if (remaining_.empty()) {
        finished_ = true;
        record_step(env, request_, Json{{"action", "done"}, {"steps", done_}});
      }
      return std::nullopt;
    }
    if (now - current_.caught_up_at >= settle_) {
      if (auto failed = stop_next(env)) return failed;
      record_stop(env);
    }
    return std::nullopt;
  }

  std::optional<std::string> heal(FaultEnvironment& env, Healing& out) override {
    if (!finished_ && !current_.restarted) {
      if (auto failed = restart_current(env)) return failed;
    }
    out.applied = finished_ ? "the rolling restart had finished"
                            : "stopped the rolling restart after " + std::to_string(done_) + " of " +
                                  std::to_string(total_) + " members";
    out.confirmed = std::to_string(done_) + " members restarted and caught up";
    out.measured = Json{{"steps", done_}, {"of", total_}};
    finished_ = true;
    return std::nullopt;
  }

 private:
  struct Current {
    std::string member;
    bool was_leader = false;
    int pid = -1;
    std::optional<process::ExitStatus> exit_status;
    std::string exit;
    std::string confirmed;
    bool exited_by_itself = true;
    bool restarted = false;
    std::int64_t stop_ns = 0;
    std::int64_t healthy_ns = 0;
    std::int64_t caught_up_ns = 0;
    SteadyClock::time_point healthy_at;
    SteadyClock::time_point caught_up_at;
    bool caught_up = false;
  };

  // The next member: with leader_last, the first by id that does not lead
  // now, and the leader only when it is the last one left.
  std::string pick(FaultEnvironment& env) {
    if (!leader_last_ || remaining_.size() == 1) return remaining_.front();
    std::string leader;
    for (const auto& v : env.observe()) {
      if (v.voter && v.up && v.role == "leader") leader = v.id;
    }
    for (const auto& id : remaining_) {
      if (id != leader) return id;
    }
    return remaining_.front();
  }

  // Stops the next member (SIGTERM, SIGKILL after the grace period).
  std::optional<std::string> stop_next(FaultEnvironment& env) {
    const std::string id = pick(env);
    remaining_.erase(std::find(remaining_.begin(), remaining_.end(), id));
    current_ = Current{};
    current_.member = id;
    for (const auto& v : env.observe()) {
      if (v.id == id) current_.was_leader = v.role == "leader";
    }
    current_.pid = env.processes().pid(id).value_or(-1);
    current_.stop_ns = env.now_ns();
    const auto stopped = env.processes().stop(id, grace_);
    if (!stopped.ok()) {
      return fault_label(request_) + "stopping " + id + " was not confirmed: " + stopped.confirmation();
    }
    current_.exit_status = stopped.exit;
    current_.exit = stopped.exit->describe();
    current_.confirmed = stopped.confirmation();
    current_.exited_by_itself = !stopped.escalated;
    return std::nullopt;
  }

  void record_stop(FaultEnvironment& env) {
    record_exit(env, current_.member, current_.pid, current_.exit_status, true);
  }

  // Starts the stopped member again and waits for its health check.
  std::optional<std::string> restart_current(FaultEnvironment& env) {
    std::string error;
    if (!env.restart(current_.member, SteadyClock::now() + kRestartDeadline, error)) {
      return fault_label(request_) + "restarting " + current_.member + " failed: " + error;
    }
    current_.restarted = true;
    current_.healthy_ns = env.now_ns();
    current_.healthy_at = SteadyClock::now();
    next_poll_ = current_.healthy_at;
    return std::nullopt;
  }

  void finish_step(FaultEnvironment& env) {
    ++done_;
    record_step(env, request_,
                Json{{"action", "restarted"},
                     {"step", done_},
                     {"of", total_},
                     {"member", current_.member},
                     {"was_leader", current_.was_leader},
                     {"exit", current_.exit},
                     {"exited_by_itself", current_.exited_by_itself},
                     {"stop_t_ns", current_.stop_ns},
                     {"healthy_t_ns", current_.healthy_ns},
                     {"caught_up_t_ns", current_.caught_up_ns},
                     {"down_ms", static_cast<double>(current_.healthy_ns - current_.stop_ns) / 1e6},
                     {"catch_up_ms", static_cast<double>(current_.caught_up_ns - current_.healthy_ns) / 1e6}});
  }

  std::vector<std::string> remaining_;
  std::size_t total_ = 0;
  std::size_t done_ = 0;
  Current current_;
  std::chrono::milliseconds grace_{2000};
  std::chrono::milliseconds settle_{0};
  std::chrono::milliseconds catch_up_limit_{15000};
  bool leader_last_ = true;
  bool finished_ = false;
  SteadyClock::time_point next_poll_;
};

}  // namespace

const KindDef& rolling_restart_kind() {
  static const KindDef def = [] {
    KindSpec spec;
    spec.name = "rolling_restart";
    spec.summary =
        "restarts every target one at a time (SIGTERM, start, wait until healthy and caught up), "
        "followers first and the leader last or by id; journals each step";
    spec.effect = Effect::down;
    spec.heal = "stop after the member in hand is up";
    spec.default_target = "all";
    ParamSpec order = param("order", ParamType::choice,
                            "leader_last: followers by id, the member leading at that moment last; by_id",
                            Json("leader_last"));
    order.choices = {"leader_last", "by_id"};
    spec.params = {
        order,
        param("grace_ms", ParamType::integer, "how long each member may take to exit before SIGKILL",
              Json(2000), false, 0, 600'000),
        param("settle_ms", ParamType::integer, "wait after a member caught up before the next one",
              Json(0), false, 0, 600'000),
        param("catch_up_timeout_ms", ParamType::integer,
              "how long a restarted member may take to catch up before the run stops", Json(15000), false,
              100, 600'000)};
    return KindDef{spec, [](FaultRequest request) -> std::unique_ptr<Fault> {
                     return std::make_unique<RollingRestart>(std::move(request));
                   }};
  }();
  return def;
}

}  // namespace faultline::faults
