#include "drills/runner/drill_run.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <ctime>
#include <iomanip>
#include <set>
#include <sstream>

#include "chaos/faults/registry.hpp"
#include "chaos/process/termination.hpp"
#include "chaos/process/wait.hpp"
#include "drills/journal/journal.hpp"
#include "drills/plan/plan.hpp"
#include "drills/runner/fault_timeline.hpp"
#include "drills/runner/live_cluster.hpp"
#include "drills/runner/monitor.hpp"
#include "drills/runner/op_window.hpp"
#include "drills/runner/prober.hpp"
#include "drills/runner/readback.hpp"
#include "drills/runner/rollbacks.hpp"
#include "drills/runner/run_environment.hpp"
#include "drills/runner/verdict.hpp"
#include "drills/runner/workload.hpp"
#include "faultline/version.hpp"

namespace faultline::runner {

using Json = journal::Json;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr auto kConvergeTimeout = std::chrono::seconds(15);
constexpr auto kMonitorInterval = std::chrono::milliseconds(20);
constexpr auto kTimelineStep = std::chrono::milliseconds(5);

std::string utc_now(const char* format) {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::ostringstream text;
  text << std::put_time(&tm, format);
  return text.str();
}

std::string hostname() {
  char name[256] = {};
  ::gethostname(name, sizeof(name) - 1);
  return name;
}

WorkloadOptions workload_options(const plan::Plan& plan, std::uint64_t seed, const std::string& source) {
  WorkloadOptions o;
  o.clients = plan.workload.clients;
  o.rate_per_s = plan.workload.rate_per_s;
  o.max_ops = plan.workload.max_ops;
  o.duration_ms = plan.workload.duration_ms;
  o.keys = plan.workload.keys;
  o.op_timeout_ms = plan.workload.op_timeout_ms;
  o.read_ratio = plan.workload.read_ratio;
  o.seed = seed;
  o.spread_reads = plan.topology.stale_reads;
  o.sessions = plan.workload.sessions;
  o.call_ratio = plan.workload.call_ratio;
  o.source_address = source;
  return o;
}

// What the run started so far, for stopping it early in order.
struct Started {
  LiveCluster* cluster = nullptr;
  Monitor* monitor = nullptr;
  Workload* workload = nullptr;
  faults::FaultRegistry* registry = nullptr;
  Prober* prober = nullptr;
  RunEnvironment* environment = nullptr;
};

// The first fault's at_ms, if the plan has faults.
std::optional<std::int64_t> first_fault_ms(const plan::Plan& plan) {
  std::optional<std::int64_t> first;
  for (const auto& f : plan.faults) first = std::min(first.value_or(f.at_ms), f.at_ms);
  return first;
}

// Clears the console's sources before the workload and monitor they read die.
struct SourcesGuard {
  Console& console;
  ~SourcesGuard() { console.clear_sources(); }
};

}  // namespace

DrillResult DrillRun::run() {
  const plan::Plan& plan = *spec_.plan;
  const auto began = SteadyClock::now();
  DrillResult result;
  auto finish = [&](DrillResult r) {
    r.seconds = std::chrono::duration<double>(SteadyClock::now() - began).count();
    console_.end_run();
    return r;
  };

  std::error_code ec;
  std::filesystem::create_directories(spec_.dir, ec);
  if (ec) {
    result.error = "cannot create the run folder " + spec_.dir.string() + ": " + ec.message();
    console_.error(result.error);
    return finish(std::move(result));
  }
  const auto journal_file = spec_.dir / "journal.jsonl";
  std::optional<journal::JournalWriter> journal_holder;
  try {
    journal_holder.emplace(journal_file, journal::monotonic_ns());
  } catch (const std::exception& e) {
    result.error = e.what();
    console_.error("the run could not be carried out: " + result.error);
    return finish(std::move(result));
  }
  journal::JournalWriter& journal = *journal_holder;
  // A failed journal write ends every wait of the run, as a signal does.
  const process::StopCondition journal_stop([&journal] { return journal.failed(); });
  // The console's events, and the operations for the live steady state.
  OpWindow ops(longest_window_ns(plan));
  std::set<std::string> observed = Console::observed_kinds();
  observed.insert({"op.invoke", "op.complete"});
  journal.set_observer(observed, [this, &ops](const std::string& kind, const Json& event) {
    if (kind == "op.invoke" || kind == "op.complete") {
      ops.on_event(kind, event);
    } else {
      console_.on_event(kind, event);
    }
  });

  char trial_label[32] = "";
  if (spec_.trials > 1) std::snprintf(trial_label, sizeof trial_label, "trial %02d/%02d", spec_.trial, spec_.trials);
  console_.begin_run(trial_label);
  Json run_event{{"plan_name", plan.name},
                 {"plan_file", spec_.plan_file.string()},
                 {"plan_hash", plan::plan_hash(spec_.plan_text)},
                 {"seed", spec_.seed},
                 {"version", faultline::kVersion},
                 {"host", hostname()},
                 {"started_at", utc_now("%Y-%m-%dT%H:%M:%SZ")},
                 {"plan", plan::to_json(plan)}};
  if (spec_.trials > 1) run_event["trial"] = Json{{"index", spec_.trial}, {"of", spec_.trials}};
  journal.write("run", std::move(run_event));
  console_.line((spec_.trials > 1 ? std::string(trial_label) : "drill " + plan.name) + ": seed " +
                std::to_string(spec_.seed) + ", run folder " + spec_.dir.string());

  // Why the run must stop now, if it must.
  auto stop_cause = [&]() -> std::optional<std::string> {
    if (auto failure = journal.failure()) return failure;
    if (const int signal_number = process::termination_requested()) {
      return std::string("interrupted by ") + ::strsignal(signal_number);
    }
    return std::nullopt;
  };
  Started started;
  // The plan's rollbacks, on every way out, before the members stop.
  auto roll_back = [&] {
    if (plan.rollbacks.empty() || started.cluster == nullptr) return;
    RollbackContext context{journal, spec_.dir, started.cluster->supervisor(), started.registry, started.environment};
    run_rollbacks(plan.rollbacks, context);
  };
  // Stops what was started, newest first, then reports what was recorded
  // (unless the journal itself failed). `why` is used when neither a signal
  // nor the journal is the cause.
  auto stop_early = [&](const std::string& why) {
    const auto cause = stop_cause();
    const std::string reason = cause.value_or(why);
    result.journal_failed = journal.failed();
    result.interrupted = !result.journal_failed && process::termination_requested() != 0;
    if (started.workload != nullptr) {
      started.workload->stop();
      started.workload->join();
    }
    if (started.registry != nullptr) started.registry->heal_all(result.interrupted ? "interrupted" : "run aborted");
    if (started.prober != nullptr) started.prober->stop();
    if (started.monitor != nullptr) started.monitor->stop();
    console_.clear_sources();
    roll_back();
    if (started.cluster != nullptr) started.cluster->stop_members();
    result.exit_code = 3;
    result.error = reason + "; every member was stopped";
    if (!result.journal_failed) {
      journal.write("aborted", Json{{"cause", result.interrupted ? "interrupted" : "error"}, {"reason", reason}});
      Checked checked = check_and_report(&journal, journal_file, spec_.dir);
      result.journal_failed = journal.failed();
      if (!result.journal_failed) {
        result.history = std::move(checked.history);
        result.verdict = std::move(checked.verdict);
        result.reports_written = checked.reports_written;
        if (!checked.error.empty()) result.error += "; " + checked.error;
      }
    }
    if (result.journal_failed) {
      result.error = *journal.failure() + "; every member was stopped; the journal ends at its last whole line "
                                          "and no reports were written";
    }
    console_.error("the run could not be carried out: " + result.error);
    return finish(std::move(result));
  };

  ClusterSetup setup{spec_.dir / "members", spec_.binary, spec_.seed, spec_.backend, false};
  LiveCluster cluster(plan, setup, journal);
  started.cluster = &cluster;
  std::string note;
  if (auto failed = cluster.bring_up(note)) return stop_early(*failed);
  if (stop_cause()) return stop_early("stopped");
  targets::Target& target = cluster.target();

  Monitor monitor(target, journal, kMonitorInterval);
  monitor.start();
  started.monitor = &monitor;
  Workload workload(workload_options(plan, spec_.seed, cluster.network().client_address()), target, journal);
  started.workload = &workload;
  const SourcesGuard sources_guard{console_};
  console_.set_sources({[&workload] { return workload.progress(); }, [&monitor] { return monitor.leader(); }});

  RunEnvironment environment(target, cluster.supervisor(), cluster.network(), journal, spec_.seed,
                             [&workload] { return workload.busiest_worker(); });
  started.environment = &environment;
  faults::FaultRegistry registry(environment);
  started.registry = &registry;
  FaultTimeline timeline(plan.faults, registry);
  Prober prober(plan, target, monitor, ops, journal, spec_.dir, spec_.seed);
  started.prober = &prober;

  // The end of a run that got as far as its workload: the probes and the
  // observer stopped, the rollbacks, the members stopped, the verdict.
  auto conclude = [&] {
    prober.stop();
    monitor.stop();
    if (stop_cause()) return stop_early("stopped");
    console_.clear_sources();
    roll_back();
    journal.write("phase", Json{{"phase", "verify"}});
    cluster.stop_members();
    if (journal.failed()) return stop_early("stopped");
    Checked checked = check_and_report(&journal, journal_file, spec_.dir);
    if (journal.failed()) return stop_early("stopped");
    result.exit_code = checked.exit_code;
    result.reports_written = checked.reports_written;
    result.error = checked.error;
    if (!checked.error.empty()) console_.error(checked.error);
    for (const auto& w : checked.warnings) console_.note(w);
    result.history = std::move(checked.history);
    result.verdict = std::move(checked.verdict);
    return finish(std::move(result));
  };

  journal.write("phase", Json{{"phase", "baseline"}});
  prober.start();
  const auto workload_start = SteadyClock::now();
  console_.workload_started(std::chrono::milliseconds(plan.workload.duration_ms));
  workload.start();
  const auto first_fault = first_fault_ms(plan);
  bool faults_on = false;
  while (!workload.finished()) {
    if (stop_cause()) return stop_early("stopped");
    const auto elapsed = SteadyClock::now() - workload_start;
    if (!faults_on) {
      // Before any fault the declared `before` probes must hold; the first
      // fault waits until each has been judged.
      const bool due = first_fault && elapsed >= std::chrono::milliseconds(*first_fault);
      const SteadyCall call = prober.before_faults(journal.now_ns(), due);
      if (call.act == SteadyCall::Act::unhealthy) {
        journal.write("unhealthy", Json{{"probe", call.probe},
                                        {"detail", call.detail},
                                        {"since_ns", call.since_ns},
                                        {"reason", call.reason}});
        workload.stop();
        workload.join();
        return conclude();
      }
      faults_on = due && call.act == SteadyCall::Act::go;
      if (faults_on) prober.faults_started(journal.now_ns());
    }
    if (faults_on) {
      if (auto halt = prober.halt(journal.now_ns())) {
        journal.write("halt", Json{{"probe", halt->probe},
                                   {"for_ms", halt->for_ms},
                                   {"since_ns", halt->since_ns},
                                   {"detail", halt->detail},
                                   {"reason", halt->reason}});
        workload.stop();
        // Every fault in force is reverted, newest first, kills included:
        // their members are started again.
        const Json in_force = registry.list_in_force();
        for (auto it = in_force.rbegin(); it != in_force.rend(); ++it) {
          if (auto error = registry.heal(it->value("fault", std::size_t{0}), "halt")) return stop_early(*error);
        }
        break;
      }
      if (auto failure = timeline.step(elapsed)) return stop_early(*failure);
    }
    console_.set_faults(timeline.in_force());
    process::sleep_until(SteadyClock::now() + kTimelineStep);
  }
  workload.join();
  prober.faults_ended();
  if (stop_cause()) return stop_early("stopped");
  if (auto failure = timeline.finish()) return stop_early(*failure);
  console_.set_faults(timeline.in_force());

  journal.write("phase", Json{{"phase", "recover"}});
  if (!target.wait_converged(SteadyClock::now() + kConvergeTimeout)) {
    if (stop_cause()) return stop_early("stopped");
    journal.write("note", Json{{"text", "the cluster did not converge within 15 s after the "
                                        "workload; reading back from whoever leads"}});
  }
  const std::int64_t recovered_ns = journal.now_ns();
  read_back(target, workload.acknowledged_keys(), journal);
  if (!prober.wait_after(recovered_ns) && !stop_cause()) {
    journal.write("note", Json{{"text", "an `after` probe was not sampled again after the recovery"}});
  }
  return conclude();
}

}  // namespace faultline::runner
