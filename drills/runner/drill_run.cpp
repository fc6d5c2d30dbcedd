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

constexpr auto kStartTimeout = std::chrono::seconds(15);
constexpr auto kLeaderTimeout = std::chrono::seconds(15);
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

  // Declared in the order of set-up; destroyed in reverse: faults healed,
  // then members stopped, then the network torn down.
  process::Supervisor supervisor;
  auto cannot_run = [&](const std::string& why) {
    err_ << "error: the run could not be carried out: " << why << "\n";
    journal.write("note", Json{{"text", "run aborted: " + why}});
    journal.write("phase", Json{{"phase", "done"}});
    supervisor.shutdown_all();
    return 3;
  };
  auto interrupted = [&] {
    const int signal_number = process::termination_requested();
    return cannot_run(std::string("interrupted by ") + ::strsignal(signal_number) +
                      "; every member was stopped");
  };

  std::string error;
  auto target = targets::make_target(plan, {dir / "members", options_.binary, seed}, supervisor, error);
  if (!target) return cannot_run(error);

  network::NetworkOptions net_options;
  net_options.backend = *backend;
  for (const auto& [id, voter] : target->member_ids()) net_options.members.push_back({id, voter});
  for (const auto& f : plan.faults) {
    const faults::KindSpec* spec = faults::find_kind(f.kind);
    if (spec != nullptr && spec->targets == faults::TargetKind::links) {
      net_options.link_faults = true;
      if (f.params.value("clients", false)) net_options.client_links = true;
    }
  }
  net_options.seed = seed;
  std::string note;
  auto net = network::make_network(net_options, note, error);
  if (!net) return cannot_run(error);
  if (!note.empty()) {
    err_ << "note: " << note << "\n";
    journal.write("note", Json{{"text", note}});
  }
  for (std::size_t i = 0; i < plan.faults.size(); ++i) {
    const faults::KindSpec* spec = faults::find_kind(plan.faults[i].kind);
    if (spec != nullptr && spec->needs_kernel && net->backend() != "kernel") {
      return cannot_run("fault " + std::to_string(i) + " (" + spec->name +
                        ") needs the kernel network backend (nftables in the members' namespaces), "
                        "and this run has the " + net->backend() + " backend" +
                        (note.empty() ? std::string() : ": " + note));
    }
  }
  journal.write("network", Json{{"backend", net->backend()}, {"describe", net->describe()}});
  target->set_observer_address(net->observer_address());

  journal.write("phase", Json{{"phase", "setup"}});
  if (!target->prepare(*net, error)) return cannot_run(error);
  if (auto failed = net->finish_setup()) return cannot_run(*failed);
  if (!target->start_all(SteadyClock::now() + kStartTimeout, error)) return cannot_run(error);
  for (const auto& m : target->members()) {
    journal.write(m.voter ? "member.start" : "worker.start",
                  Json{{m.voter ? "member" : "worker", m.id},
                       {"pid", supervisor.pid(m.id).value_or(-1)},
                       {"url", m.url},
                       {"address", m.host},
                       {"restart", false}});
  }
  if (process::termination_requested()) return interrupted();
  journal.write("phase", Json{{"phase", "warmup"}});
  const auto leader = target->wait_for_leader(SteadyClock::now() + kLeaderTimeout);
  if (!leader) return cannot_run("no leader was elected within 15 s; see the members' logs");
  if (!target->wait_ready(SteadyClock::now() + kLeaderTimeout, error)) return cannot_run(error);

  Monitor monitor(*target, journal, kMonitorInterval);
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
  workload_options.source_address = net->client_address();
  Workload workload(workload_options, *target, journal);

  RunEnvironment environment(*target, supervisor, *net, journal, seed,
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
    if (process::termination_requested()) return stop_early(interrupted);
    if (auto failure = timeline.step(SteadyClock::now() - workload_start)) {
      return stop_early([&] { return cannot_run(*failure); });
    }
    sleep_unless_interrupted(SteadyClock::now() + std::chrono::milliseconds(5));
  }
  workload.join();
  if (auto failure = timeline.finish()) {
    return stop_early([&] { return cannot_run(*failure); });
  }

  journal.write("phase", Json{{"phase", "recover"}});
  if (!target->wait_converged(SteadyClock::now() + kConvergeTimeout)) {
    journal.write("note", Json{{"text", "the cluster did not converge within 15 s after the "
                                        "workload; reading back from whoever leads"}});
  }
  read_back(*target, workload.acknowledged_keys(), journal);
  monitor.stop();
  if (process::termination_requested()) return interrupted();

  journal.write("phase", Json{{"phase", "verify"}});
  target->stop_all();
  supervisor.shutdown_all();
  return verify_and_report(&journal, journal_file, dir, out_, err_);
}

}  // namespace faultline::runner
