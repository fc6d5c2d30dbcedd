#include "drills/runner/runner.hpp"

#include <signal.h>
#include <unistd.h>

#include <cstring>
#include <ctime>
#include <iomanip>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>

#include "chaos/process/supervisor.hpp"
#include "chaos/process/termination.hpp"
#include "drills/journal/journal.hpp"
#include "drills/plan/plan.hpp"
#include "drills/runner/embedded_cluster.hpp"
#include "drills/runner/fault_timeline.hpp"
#include "drills/runner/monitor.hpp"
#include "drills/runner/readback.hpp"
#include "drills/runner/workload.hpp"
#include "drills/verify/history.hpp"
#include "drills/verify/objectives.hpp"
#include "faultline/version.hpp"
#include "reports/reports.hpp"

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

int print_plan_errors(const std::vector<plan::PlanError>& errors, std::ostream& err) {
  for (const auto& e : errors) err << "error: " << e.to_string() << "\n";
  err << errors.size() << (errors.size() == 1 ? " error" : " errors")
      << "; nothing was started. See docs/plan.md for the plan format.\n";
  return 2;
}

// Checks the journal, records the checks and verdict in it, writes the
// reports and prints the console summary. Returns the verdict's exit code.
int verify_and_report(journal::JournalWriter* journal, const std::filesystem::path& journal_file,
                      const std::filesystem::path& dir, std::ostream& out, std::ostream& err) {
  auto read = journal::read_journal(journal_file);
  for (const auto& skipped : read.skipped) err << "warning: " << journal_file.string() << ": " << skipped << "\n";
  const verify::History history = verify::history_from(read.events);
  const verify::Verdict verdict = verify::evaluate_journal(history, journal_file);
  if (journal != nullptr) {
    for (const auto& check : verdict.checks) journal->write("check", verify::to_json(check));
    journal->write("verdict", verify::verdict_json(verdict));
    journal->write("phase", Json{{"phase", "done"}});
  }
  if (auto error = reports::write_reports(dir, history, verdict)) {
    err << "error: " << *error << "\n";
    return 3;
  }
  out << reports::console_summary(history, verdict);
  out << "journal: " << journal_file.string() << "\n";
  out << "junit:   " << (dir / "junit.xml").string() << "\n";
  out << "summary: " << (dir / "summary.md").string() << "\n";
  out << "report:  " << (dir / "report.html").string() << "\n";
  return verdict.exit_code;
}

}  // namespace

// The run itself; run_drill turns an escaping exception into exit code 3.
int run_drill_unguarded(const RunOptions& options, std::ostream& out, std::ostream& err);

int validate_plan(const std::filesystem::path& plan_file, const std::vector<std::string>& overrides,
                  std::ostream& out, std::ostream& err) {
  const auto loaded = plan::load_plan(plan_file, overrides);
  if (!loaded.plan) return print_plan_errors(loaded.errors, err);
  const auto& p = *loaded.plan;
  out << plan_file.string() << ": valid plan '" << p.name << "': " << p.topology.coordinators
      << " coordinators, " << p.workload.clients << " clients for " << p.workload.duration_ms
      << " ms, " << p.faults.size() << (p.faults.size() == 1 ? " fault" : " faults") << "\n";
  return 0;
}

int report_journal(const std::filesystem::path& journal_file, std::ostream& out,
                   std::ostream& err) {
  try {
    return verify_and_report(nullptr, journal_file, journal_file.parent_path(), out, err);
  } catch (const std::exception& e) {
    err << "error: " << e.what() << "\n";
    return 2;
  }
}

int run_drill(const RunOptions& options, std::ostream& out, std::ostream& err) {
  try {
    return run_drill_unguarded(options, out, err);
  } catch (const std::exception& e) {
    // Only the edges throw (a journal that cannot be created or written):
    // the supervisor's destructor has already stopped every member.
    err << "error: the run could not be carried out: " << e.what() << "\n";
    return 3;
  }
}

int run_drill_unguarded(const RunOptions& options, std::ostream& out, std::ostream& err) {
  const auto loaded = plan::load_plan(options.plan_file, options.overrides);
  if (!loaded.plan) return print_plan_errors(loaded.errors, err);
  const plan::Plan& plan = *loaded.plan;
  const std::uint64_t seed =
      options.seed ? *options.seed : plan.seed ? *plan.seed : std::random_device{}();

  const auto dir = options.out_dir ? *options.out_dir
                                   : std::filesystem::path("runs") /
                                         (plan.name + "-" + utc_now("%Y%m%d-%H%M%S"));
  std::error_code ec;
  // A run starts from nothing: members must not recover an earlier run's data
  // and the journal must hold one run only, so an existing folder with
  // anything in it is refused before anything starts.
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_empty(dir, ec)) {
    err << "error: the run folder " << dir.string()
        << " is not empty; a run needs a fresh folder: remove it or pass another --out; "
           "nothing was started\n";
    return 2;
  }
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    err << "error: cannot create the run folder " << dir.string() << ": " << ec.message() << "\n";
    return 3;
  }
  const auto journal_file = dir / "journal.jsonl";
  journal::JournalWriter journal(journal_file, journal::monotonic_ns());
  journal.write("run", Json{{"plan_name", plan.name},
                            {"plan_file", options.plan_file.string()},
                            {"plan_hash", plan::plan_hash(loaded.text)},
                            {"seed", seed},
                            {"version", faultline::kVersion},
                            {"host", hostname()},
                            {"started_at", utc_now("%Y-%m-%dT%H:%M:%SZ")},
                            {"plan", plan::to_json(plan)}});
  out << "drill " << plan.name << ": seed " << seed << ", run folder " << dir.string() << "\n";

  process::Supervisor supervisor;
  ClusterOptions cluster_options;
  cluster_options.coordinators = plan.topology.coordinators;
  cluster_options.election_timeout_min_ms = plan.topology.election_timeout_min_ms;
  cluster_options.election_timeout_max_ms = plan.topology.election_timeout_max_ms;
  cluster_options.heartbeat_ms = plan.topology.heartbeat_ms;
  cluster_options.seed = seed;
  cluster_options.stale_reads = plan.topology.stale_reads;
  cluster_options.workers = plan.topology.workers;
  cluster_options.worker_timeout_ms = plan.topology.worker_timeout_ms;
  cluster_options.dir = dir / "members";
  cluster_options.binary = options.binary;
  EmbeddedCluster cluster(cluster_options, supervisor);

  auto cannot_run = [&](const std::string& why) {
    err << "error: the run could not be carried out: " << why << "\n";
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

  journal.write("phase", Json{{"phase", "setup"}});
  std::string error;
  if (!cluster.prepare(error)) return cannot_run(error);
  if (!cluster.start_all(SteadyClock::now() + kStartTimeout, error)) return cannot_run(error);
  for (const auto& m : cluster.members()) {
    journal.write("member.start", Json{{"member", m.id},
                                       {"pid", supervisor.pid(m.id).value_or(-1)},
                                       {"url", m.url},
                                       {"restart", false}});
  }
  for (const auto& w : cluster.workers()) {
    journal.write("worker.start", Json{{"worker", w.id},
                                       {"pid", supervisor.pid(w.id).value_or(-1)},
                                       {"url", w.url},
                                       {"restart", false}});
  }
  if (process::termination_requested()) return interrupted();
  journal.write("phase", Json{{"phase", "warmup"}});
  const auto leader = cluster.wait_for_leader(SteadyClock::now() + kLeaderTimeout);
  if (!leader) return cannot_run("no leader was elected within 15 s; see the members' logs");
  if (!cluster.wait_workers_registered(SteadyClock::now() + kLeaderTimeout, error)) {
    return cannot_run(error);
  }

  Monitor monitor(cluster.members(), journal, kMonitorInterval);
  monitor.start();

  std::vector<std::string> urls;
  std::vector<std::string> ids;
  for (const auto& m : cluster.members()) {
    urls.push_back(m.url);
    ids.push_back(m.id);
  }
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
  Workload workload(workload_options, urls, ids, journal);

  journal.write("phase", Json{{"phase", "baseline"}});
  const auto workload_start = SteadyClock::now();
  workload.start();

  FaultTimeline timeline(plan.faults, cluster, journal, seed,
                         [&workload] { return workload.busiest_worker(); });
  while (!workload.finished()) {
    if (process::termination_requested()) {
      workload.stop();
      workload.join();
      monitor.stop();
      return interrupted();
    }
    if (auto failure = timeline.step(SteadyClock::now() - workload_start)) {
      workload.stop();
      workload.join();
      monitor.stop();
      return cannot_run(*failure);
    }
    sleep_unless_interrupted(SteadyClock::now() + std::chrono::milliseconds(5));
  }
  workload.join();
  if (auto failure = timeline.finish()) {
    monitor.stop();
    return cannot_run(*failure);
  }

  journal.write("phase", Json{{"phase", "recover"}});
  if (!cluster.wait_converged(SteadyClock::now() + kConvergeTimeout)) {
    journal.write("note", Json{{"text", "the cluster did not converge within 15 s after the "
                                        "workload; reading back from whoever leads"}});
  }
  read_back(cluster, workload.acknowledged_keys(), journal);
  monitor.stop();
  if (process::termination_requested()) return interrupted();

  journal.write("phase", Json{{"phase", "verify"}});
  cluster.stop_all();
  supervisor.shutdown_all();
  return verify_and_report(&journal, journal_file, dir, out, err);
}

}  // namespace faultline::runner
