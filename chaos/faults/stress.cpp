#include "chaos/faults/stress.hpp"

#include <unistd.h>

#include <thread>

namespace faultline::faults {
namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr auto kConfirmDeadline = std::chrono::seconds(10);
constexpr auto kConfirmPoll = std::chrono::milliseconds(100);
constexpr auto kSampleEvery = std::chrono::milliseconds(250);
constexpr auto kStopGrace = std::chrono::milliseconds(1000);
constexpr auto kGoneDeadline = std::chrono::seconds(5);

class Stress final : public Fault {
 public:
  Stress(FaultRequest request, std::function<StressPlan(const Json&)> plan)
      : Fault(std::move(request)), plan_(std::move(plan)) {}

  std::optional<std::string> inject(FaultEnvironment& env, Injection& out) override {
    std::string error;
    const auto chosen = resolve_targets(env, request_, error);
    if (!chosen) return error;
    const StressPlan plan = plan_(request_.params);
    // stress-ng stops by itself at the heal the plan asks for (with a
    // margin), or after max_duration_ms: a bound in time of its own.
    const std::int64_t bound_ms = request_.heal_after_ms
                                      ? *request_.heal_after_ms + 10'000
                                      : request_.params.value("max_duration_ms", std::int64_t{600'000});
    std::vector<std::string> argv{"stress-ng"};
    argv.insert(argv.end(), plan.args.begin(), plan.args.end());
    argv.insert(argv.end(), {"--timeout", std::to_string((bound_ms + 999) / 1000) + "s", "--quiet"});
    out.targets = chosen->ids;
    out.term = chosen->term;
    out.signal_t_ns = env.now_ns();
    out.detail = Json{{"argv", argv}, {"bound_ms", bound_ms}};
    out.measured = Json{{"helpers", Json::array()}, {"load_average", load_average()},
                        {"mem_available_kb", mem_available_kb()}};
    for (const auto& id : chosen->ids) {
      Helper h;
      h.member = id;
      h.name = "stress:" + request_.spec->name + ":" + std::to_string(request_.index) + ":" + id;
      const auto started = env.start_helper(id, h.name, argv);
      if (!started.ok()) {
        stop_all(env);
        return fault_label(request_) + "cannot start stress-ng for " + id + ": " + started.error +
               " (install the Debian package stress-ng: scripts/setup.sh)";
      }
      h.pid = started.pid;
      h.started = SteadyClock::now();
      helpers_.push_back(h);
    }
    for (auto& h : helpers_) {
      std::string missing;
      const GroupUsage usage = confirm(h, plan, missing);
      if (!missing.empty()) {
        stop_all(env);
        return fault_label(request_) + "stress-ng for " + h.member + " did not reach the pressure asked within " +
               std::to_string(kConfirmDeadline.count()) + " s: " + missing;
      }
      out.measured["helpers"].push_back(Json{{"member", h.member}, {"pid", h.pid}, {"processes", usage.pids.size()},
                                             {"cores", h.last_rate}, {"rss_mb", static_cast<double>(usage.rss_bytes) / 1048576.0}});
    }
    out.applied = "stress-ng: " + plan.describe;
    out.confirmed = "the stress-ng process groups reached the pressure, as /proc reads it";
    return std::nullopt;
  }

  std::optional<std::string> step(FaultEnvironment& /*env*/) override {
    const auto now = SteadyClock::now();
    if (now < next_sample_) return std::nullopt;
    next_sample_ = now + kSampleEvery;
    for (auto& h : helpers_) sample(h);
    return std::nullopt;
  }

  std::optional<std::string> heal(FaultEnvironment& env, Healing& out) override {
    out.measured = Json{{"helpers", Json::array()}, {"load_average", load_average()}};
    for (auto& h : helpers_) {
      sample(h);
      const double wall = std::chrono::duration<double>(SteadyClock::now() - h.started).count();
      out.measured["helpers"].push_back(Json{{"member", h.member},
                                             {"cpu_seconds", h.cpu_seconds},
                                             {"wall_seconds", wall},
                                             {"mean_cores", wall > 0 ? h.cpu_seconds / wall : 0.0},
                                             {"peak_rss_mb", static_cast<double>(h.peak_rss) / 1048576.0}});
    }
    if (auto failed = stop_all(env)) return fault_label(request_) + *failed;
    out.applied = "stress-ng stopped (SIGTERM to its process group, SIGKILL after 1 s)";
    out.confirmed = "no process of the stress-ng groups is left";
    return std::nullopt;
  }

 private:
  struct Helper {
    std::string member;
    std::string name;
    int pid = -1;
    SteadyClock::time_point started;
    double cpu_seconds = 0;     // the most the group has used so far
    std::uint64_t peak_rss = 0;
    double last_rate = 0;       // cores, at the confirmation
  };

  void sample(Helper& h) {
    const GroupUsage u = group_usage(h.pid);
    h.cpu_seconds = std::max(h.cpu_seconds, u.cpu_seconds);
    h.peak_rss = std::max(h.peak_rss, u.rss_bytes);
  }

  GroupUsage confirm(Helper& h, const StressPlan& plan, std::string& missing) {
    const auto deadline = SteadyClock::now() + kConfirmDeadline;
    GroupUsage first = group_usage(h.pid);
    auto first_at = SteadyClock::now();
    GroupUsage usage = first;
    while (true) {
      std::this_thread::sleep_for(kConfirmPoll);
      usage = group_usage(h.pid);
      const double seconds = std::chrono::duration<double>(SteadyClock::now() - first_at).count();
      h.last_rate = seconds > 0 ? (usage.cpu_seconds - first.cpu_seconds) / seconds : 0;
      sample(h);
      auto problem = usage.pids.empty() ? std::optional<std::string>("stress-ng exited (see its log in " +
                                                                     h.member + "'s folder)")
                                        : plan.confirm(usage, h.last_rate, seconds);
      if (!problem) return usage;
      if (usage.pids.empty() || SteadyClock::now() >= deadline) {
        missing = *problem;
        return usage;
      }
      // CPU is judged over the last second, not since the start-up.
      if (seconds > 1.0) {
        first = usage;
        first_at = SteadyClock::now();
      }
    }
  }

  std::optional<std::string> stop_all(FaultEnvironment& env) {
    std::optional<std::string> error;
    for (const auto& h : helpers_) {
      env.processes().stop(h.name, kStopGrace);
      const auto deadline = SteadyClock::now() + kGoneDeadline;
      while (!group_usage(h.pid).pids.empty() && SteadyClock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      if (!group_usage(h.pid).pids.empty() && !error) {
        error = "a process of stress-ng's group " + std::to_string(h.pid) + " is still alive 5 s after the stop";
      }
    }
    helpers_.clear();
    return error;
  }

  std::function<StressPlan(const Json&)> plan_;
  std::vector<Helper> helpers_;
  SteadyClock::time_point next_sample_;
};

}  // namespace

std::unique_ptr<Fault> make_stress_fault(FaultRequest request, std::function<StressPlan(const Json& params)> plan) {
  return std::make_unique<Stress>(std::move(request), std::move(plan));
}

ParamSpec stress_duration_param() {
  return param("max_duration_ms", ParamType::integer,
               "stress-ng's own bound in time when the plan does not heal it (heal_after_ms + 10 s otherwise)",
               Json(600'000), false, 1000, 3'600'000);
}

}  // namespace faultline::faults
