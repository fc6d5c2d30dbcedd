#include "drills/runner/drill_run.hpp"

#include <unistd.h>

#include <cstring>
#include <ctime>
#include <iomanip>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>

#include "chaos/faults/registry.hpp"
#include "chaos/network/network.hpp"
#include "chaos/process/supervisor.hpp"
#include "chaos/process/termination.hpp"
#include "drills/journal/journal.hpp"
#include "drills/plan/plan.hpp"
#include "drills/runner/fault_timeline.hpp"
#include "drills/runner/live_cluster.hpp"
#include "drills/runner/monitor.hpp"
#include "drills/runner/readback.hpp"
#include "drills/runner/run_environment.hpp"
#include "drills/runner/verdict.hpp"
#include "drills/runner/workload.hpp"
#include "drills/targets/factory.hpp"
#include "faultline/version.hpp"

namespace faultline::runner {

using Json = journal::Json;
using SteadyClock = std::chrono::steady_clock;

namespace {

constexpr auto kConvergeTimeout = std::chrono::seconds(15);
constexpr auto kMonitorInterval = std::chrono::milliseconds(20);

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

// Sleeps until `until`, waking early when a stop signal arrives.
bool sleep_unless_interrupted(SteadyClock::time_point until) {
  while (SteadyClock::now() < until) {
    if (process::termination_requested()) return false;
    std::this_thread::sleep_for(
        std::min<SteadyClock::duration>(std::chrono::milliseconds(10), until - SteadyClock::now()));
  }
  return !process::termination_requested();
}

std::optional<network::NetworkOptions::Backend> backend_named(const std::string& name) {
  using B = network::NetworkOptions::Backend;
  if (name == "auto") return B::automatic;
  if (name == "kernel") return B::kernel;
  if (name == "proxy") return B::proxy;
  if (name == "loopback") return B::loopback;
  return std::nullopt;
}

}  // namespace

int DrillRun::run() {
  const auto loaded = plan::load_plan(options_.plan_file, options_.overrides);
  if (!loaded.plan) return print_plan_errors(loaded.errors, err_);
  const plan::Plan& plan = *loaded.plan;
  const auto backend = backend_named(options_.network);
  if (!backend) {
    err_ << "error: unknown --network " << options_.network << "; use auto, kernel, proxy or loopback\n";
    return 2;
  }
  const std::uint64_t seed = options_.seed ? *options_.seed : plan.seed ? *plan.seed : std::random_device{}();

  const auto dir = options_.out_dir ? *options_.out_dir
                                    : std::filesystem::path("runs") / (plan.name + "-" + utc_now("%Y%m%d-%H%M%S"));
  std::error_code ec;
  // A run starts from nothing: members must not recover an earlier run's data
  // and the journal must hold one run only, so an existing folder with
  // anything in it is refused before anything starts.
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_empty(dir, ec)) {
    err_ << "error: the run folder " << dir.string()
         << " is not empty; a run needs a fresh folder: remove it or pass another --out; "
            "nothing was started\n";
    return 2;
  }
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    err_ << "error: cannot create the run folder " << dir.string() << ": " << ec.message() << "\n";
    return 3;
  }
  const auto journal_file = dir / "journal.jsonl";
  journal::JournalWriter journal(journal_file, journal::monotonic_ns());
  journal.write("run", Json{{"plan_name", plan.name},
                            {"plan_file", options_.plan_file.string()},
                            {"plan_hash", plan::plan_hash(loaded.text)},
                            {"seed", seed},
                            {"version", faultline::kVersion},
                            {"host", hostname()},
                            {"started_at", utc_now("%Y-%m-%dT%H:%M:%SZ")},
                            {"plan", plan::to_json(plan)}});
  out_ << "drill " << plan.name << ": seed " << seed << ", run folder " << dir.string() << "\n";

  auto cannot_run = [&](const std::string& why, LiveCluster* cluster) {
    err_ << "error: the run could not be carried out: " << why << "\n";
    journal.write("note", Json{{"text", "run aborted: " + why}});
    journal.write("phase", Json{{"phase", "done"}});
    if (cluster != nullptr) cluster->stop_members();
    return 3;
  };
  auto interrupted = [&](LiveCluster* cluster) {
    const int signal_number = process::termination_requested();
    return cannot_run(std::string("interrupted by ") + ::strsignal(signal_number) + "; every member was stopped",
                      cluster);
  };

  ClusterSetup setup{dir / "members", options_.binary, seed, *backend, false};
  LiveCluster cluster(plan, setup, journal);
  std::string note;
  auto failed = cluster.bring_up(note);
  if (!note.empty()) err_ << "note: " << note << "\n";
  if (failed) {
    if (process::termination_requested()) return interrupted(&cluster);
    return cannot_run(*failed, &cluster);
  }
  targets::Target& target = cluster.target();

  Monitor monitor(target, journal, kMonitorInterval);
  monitor.start();

  WorkloadOptions workload_options;
  workload_options.clients = plan.workload.clients;
  workload_options.rate_per_s = plan.workload.rate_per_s;
  workload_options.max_ops = plan.workload.max_ops;
  workload_options.duration_ms = plan.workload.duration_ms;
  workload_options.keys = plan.workload.keys;
  workload_options.op_timeout_ms = plan.workload.op_timeout_ms;
  workload_options.read_ratio = plan.workload.read_ratio;
  workload_options.seed = seed;
  workload_options.spread_reads = plan.topology.stale_reads;
  workload_options.sessions = plan.workload.sessions;
  workload_options.call_ratio = plan.workload.call_ratio;
  workload_options.source_address = cluster.network().client_address();
  Workload workload(workload_options, target, journal);

  RunEnvironment environment(target, cluster.supervisor(), cluster.network(), journal, seed,
                             [&workload] { return workload.busiest_worker(); });
  faults::FaultRegistry registry(environment);
  FaultTimeline timeline(plan.faults, registry);
  auto stop_early = [&](const std::function<int()>& how) {
    workload.stop();
    workload.join();
    registry.heal_all(process::termination_requested() ? "interrupted" : "run aborted");
    monitor.stop();
    return how();
  };

  journal.write("phase", Json{{"phase", "baseline"}});
  const auto workload_start = SteadyClock::now();
  workload.start();
  while (!workload.finished()) {
    if (process::termination_requested()) return stop_early([&] { return interrupted(&cluster); });
    if (auto failure = timeline.step(SteadyClock::now() - workload_start)) {
      return stop_early([&] { return cannot_run(*failure, &cluster); });
    }
    sleep_unless_interrupted(SteadyClock::now() + std::chrono::milliseconds(5));
  }
  workload.join();
  if (auto failure = timeline.finish()) {
    return stop_early([&] { return cannot_run(*failure, &cluster); });
  }

  journal.write("phase", Json{{"phase", "recover"}});
  if (!target.wait_converged(SteadyClock::now() + kConvergeTimeout)) {
    journal.write("note", Json{{"text", "the cluster did not converge within 15 s after the "
                                        "workload; reading back from whoever leads"}});
  }
  read_back(target, workload.acknowledged_keys(), journal);
  monitor.stop();
  if (process::termination_requested()) return interrupted(&cluster);

  journal.write("phase", Json{{"phase", "verify"}});
  cluster.stop_members();
  return verify_and_report(&journal, journal_file, dir, out_, err_);
}

}  // namespace faultline::runner
