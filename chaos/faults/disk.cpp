// disk: the target's disk misbehaves, through the reference coordinator's
// storage seam (PUT /admin/failpoints/disk; cluster/store/sync_failpoint.hpp):
//
//   slow_fsync   every fsync takes `delay_ms` longer: commits slow down by
//                about that much (effect degraded). Confirmed when the
//                member's own figures show syncs taking at least the delay.
//   fail_fsync   every fsync fails with EIO: the member must stop
//                acknowledging, and it does so by crashing at its next sync
//                (as PostgreSQL and etcd do; retrying an fsync after EIO is
//                not safe), before it answers the write that needed it
//                (effect down). Confirmed when its process has exited by
//                itself; healed by starting it again.
//   lying_fsync  every fsync says it synced and syncs nothing; the member
//                keeps a copy of what was durable when the lie began, for a
//                later power_loss (power_loss.cpp) to drop everything since.
//                Confirmed when the member reports the lie and the copy.
//
// The modes other than fail_fsync are healed by turning the failpoint off
// (leaving a lie syncs for real what it held back). Syncs happen when the
// member writes: confirmation waits up to `confirm_ms` for one.
#include <map>
#include <thread>

#include "chaos/faults/kinds.hpp"
#include "chaos/faults/deadlines.hpp"

namespace faultline::faults {
namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr auto kPoll = std::chrono::milliseconds(20);

class Disk final : public Fault {
 public:
  using Fault::Fault;

  std::optional<std::string> inject(FaultEnvironment& env, Injection& out) override {
    std::string error;
    const auto chosen = resolve_targets(env, request_, error);
    if (!chosen) return error;
    mode_ = request_.params.value("mode", std::string("slow_fsync"));
    delay_ms_ = request_.params.value("delay_ms", 0.0);
    confirm_ = std::chrono::milliseconds(request_.params.value("confirm_ms", std::int64_t{5000}));
    out.targets = chosen->ids;
    out.term = chosen->term;
    out.detail = Json{{"mode", mode_}};
    if (mode_ == "slow_fsync") out.detail["delay_ms"] = delay_ms_;
    if (mode_ == "fail_fsync") out.effect = Effect::down;
    out.measured = Json{{"members", Json::array()}};
    out.signal_t_ns = env.now_ns();
    for (const auto& id : chosen->ids) {
      pids_[id] = env.processes().pid(id).value_or(-1);
      Json body{{"mode", mode_}};
      if (mode_ == "slow_fsync") body["delay_ms"] = delay_ms_;
      const AdminAnswer set = env.admin(id, "PUT", "/admin/failpoints/disk", body);
      if (!set.ok()) {
        undo(env);
        return fault_label(request_) + "setting " + id + "'s disk failpoint: " + set.error;
      }
      set_.push_back(id);
    }
    for (const auto& id : chosen->ids) {
      Json measured{{"member", id}};
      std::string confirmed;
      if (auto failed = confirm(env, id, measured, confirmed)) {
        undo(env);
        return fault_label(request_) + *failed;
      }
      out.measured["members"].push_back(measured);
      out.confirmed += (out.confirmed.empty() ? "" : "; ") + confirmed;
    }
    out.applied = mode_ == "slow_fsync" ? "every fsync delayed by " + std::to_string(delay_ms_) + " ms"
                  : mode_ == "fail_fsync" ? "every fsync fails with EIO"
                                          : "every fsync answers success without syncing";
    return std::nullopt;
  }

  void after_inject(FaultEnvironment& env) override {
    for (const auto& [id, exit] : exits_) record_exit(env, id, pids_[id], exit, true);
    exits_.clear();
  }

  std::optional<std::string> heal(FaultEnvironment& env, Healing& out) override {
    out.measured = Json{{"members", Json::array()}};
    for (const auto& id : set_) {
      if (mode_ == "fail_fsync") {
        std::string error;
        if (env.processes().is_running(id)) continue;
        if (!env.restart(id, SteadyClock::now() + kRestartDeadline, error)) {
          return fault_label(request_) + "restarting " + id + " failed: " + error;
        }
        out.applied += (out.applied.empty() ? "" : "; ") + std::string("restarted ") + id +
                       " with a working disk";
        continue;
      }
      if (!env.processes().is_running(id) || env.processes().pid(id).value_or(-1) != pids_[id]) {
        // A new process (a power loss restarted it) starts with the failpoint off.
        out.measured["members"].push_back(Json{{"member", id}, {"note", "its process ended: the failpoint with it"}});
        continue;
      }
      // The figures of the whole fault (fsync latency, syncs lied about),
      // read before the failpoint goes.
      const AdminAnswer during = env.admin(id, "GET", "/admin/failpoints", nullptr);
      const AdminAnswer off = env.admin(id, "PUT", "/admin/failpoints/disk", Json{{"mode", "off"}});
      if (!off.ok()) return fault_label(request_) + "turning " + id + "'s disk failpoint off: " + off.error;
      const std::string mode = off.body.value("disk", Json::object()).value("mode", "");
      if (mode != "off") return fault_label(request_) + id + "'s disk still reports mode " + mode;
      out.measured["members"].push_back(Json{{"member", id},
                                             {"during", during.ok() ? during.body.value("disk", Json()) : Json()},
                                             {"disk", off.body.value("disk", Json())}});
    }
    if (out.applied.empty()) out.applied = "disk failpoint off";
    out.confirmed = mode_ == "fail_fsync" ? "/health answered 200" : "the members report their disk mode off";
    set_.clear();
    return std::nullopt;
  }

 private:
  std::optional<std::string> confirm(FaultEnvironment& env, const std::string& id, Json& measured,
                                     std::string& confirmed) {
    const auto deadline = SteadyClock::now() + confirm_;
    if (mode_ == "fail_fsync") {
      const auto exit = env.processes().wait_exit(id, deadline);
      if (!exit.ok()) {
        return id + " did not stop within " + std::to_string(confirm_.count()) +
               " ms of its disk failing (no write needed a sync, or it went on acknowledging)";
      }
      exits_[id] = exit.exit;
      measured["exit"] = exit.exit->describe();
      confirmed = exit.confirmation() + " after an fsync failed with EIO";
      return std::nullopt;
    }
    while (true) {
      const AdminAnswer a = env.admin(id, "GET", "/admin/failpoints", nullptr);
      if (!a.ok()) return "reading " + id + "'s disk failpoint: " + a.error;
      const Json disk = a.body.value("disk", Json::object());
      measured["disk"] = disk;
      const auto syncs = disk.value("syncs_in_mode", std::uint64_t{0});
      if (disk.value("mode", "") != mode_) return id + "'s disk reports mode " + disk.value("mode", "?");
      if (mode_ == "slow_fsync" && syncs > 0) {
        const double mean = disk.value("mean_ms", 0.0);
        if (mean < delay_ms_ * 0.9) {
          return id + "'s syncs take " + std::to_string(mean) + " ms on average, less than the " +
                 std::to_string(delay_ms_) + " ms delay";
        }
        confirmed = id + ": " + std::to_string(syncs) + " syncs took " + std::to_string(mean) +
                    " ms on average (max " + std::to_string(disk.value("max_ms", 0.0)) + " ms)";
        return std::nullopt;
      }
      if (mode_ == "lying_fsync" && syncs > 0) {
        if (!disk.value("synced_copy", false)) return id + " lies but keeps no copy of its durable state";
        confirmed = id + ": " + std::to_string(disk.value("lied", 0)) +
                    " syncs answered success without syncing; its durable state is kept for a power loss";
        return std::nullopt;
      }
      if (SteadyClock::now() >= deadline) {
        return "no sync on " + id + " within " + std::to_string(confirm_.count()) +
               " ms to confirm its disk failpoint (no write reached it)";
      }
      std::this_thread::sleep_for(kPoll);
    }
  }

  // A partly applied injection is undone before its error is returned.
  void undo(FaultEnvironment& env) {
    for (const auto& id : set_) {
      if (env.processes().is_running(id)) env.admin(id, "PUT", "/admin/failpoints/disk", Json{{"mode", "off"}});
    }
    set_.clear();
  }

  std::string mode_ = "slow_fsync";
  double delay_ms_ = 0;
  std::chrono::milliseconds confirm_{5000};
  std::vector<std::string> set_;
  std::map<std::string, int> pids_;
  std::map<std::string, std::optional<process::ExitStatus>> exits_;
};

}  // namespace

const KindDef& disk_kind() {
  static const KindDef def = [] {
    KindSpec spec;
    spec.name = "disk";
    spec.summary =
        "the target's fsyncs are slowed (slow_fsync), fail with EIO (fail_fsync: the member crashes "
        "rather than acknowledge), or lie (lying_fsync: for a later power_loss)";
    spec.effect = Effect::degraded;
    spec.heal = "failpoint off (fail_fsync: restart)";
    spec.backend = "storage failpoint";
    ParamSpec mode = param("mode", ParamType::choice,
                           "slow_fsync, fail_fsync or lying_fsync (effect degraded, down, degraded)",
                           Json("slow_fsync"));
    mode.choices = {"slow_fsync", "fail_fsync", "lying_fsync"};
    ParamSpec delay = param("delay_ms", ParamType::number, "added to every fsync", Json(20), false, 0, 60'000);
    delay.when_param = "mode";
    delay.when_values = {"slow_fsync"};
    ParamSpec confirm = param("confirm_ms", ParamType::integer,
                              "how long to wait for the sync that confirms it (the member must write)",
                              Json(5000), false, 100, 600'000);
    spec.params = {mode, delay, confirm};
    spec.voters_only = true;
    spec.topologies = {"embedded"};
    spec.topologies_why = "its failpoints are in the reference cluster's storage seam";
    return KindDef{spec, [](FaultRequest request) -> std::unique_ptr<Fault> {
                     return std::make_unique<Disk>(std::move(request));
                   }};
  }();
  return def;
}

}  // namespace faultline::faults
