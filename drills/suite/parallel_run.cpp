#include "drills/suite/parallel_run.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <numeric>
#include <thread>

#include "chaos/process/termination.hpp"
#include "drills/runner/verdict.hpp"

namespace faultline::suite {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr auto kReapInterval = std::chrono::milliseconds(20);
// A drill stops its members and heals its faults within seconds of SIGTERM;
// a child that has not ended by then is killed.
constexpr auto kChildStopDeadline = std::chrono::seconds(60);

struct Running {
  std::size_t run = 0;  // index into the runs
  pid_t pid = -1;
  SteadyClock::time_point began;
};

std::filesystem::path console_file(const reports::PlanOutcome& outcome) { return outcome.dir + ".console.txt"; }

std::vector<std::string> child_argv(const runner::RunOptions& options, const PlannedRun& run) {
  std::vector<std::string> argv{options.binary, "run", run.plan->file.string()};
  for (const auto& o : run.plan->overrides) {
    argv.push_back("--set");
    argv.push_back(o);
  }
  argv.insert(argv.end(), {"--seed", std::to_string(run.seed), "--network", options.network, "--out",
                           run.outcome.dir, "--quiet"});
  return argv;
}

// fork + exec; only async-signal-safe calls in the child before exec.
pid_t spawn(const std::vector<std::string>& args, const std::filesystem::path& output, std::string& error) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const int fd = ::open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = "cannot create " + output.string();
    return -1;
  }
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);  // the parent died before prctl
    ::dup2(fd, STDOUT_FILENO);
    ::dup2(fd, STDERR_FILENO);
    // The suite's handlers block nothing, but a child must start with the
    // default dispositions and mask (exec keeps ignored signals and the mask).
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(fd);
  if (pid < 0) error = "cannot fork";
  return pid;
}

// The last "error: ..." line a child printed, for an outcome that has no verdict.
std::string last_error_line(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line, found;
  while (std::getline(in, line)) {
    if (line.rfind("error: ", 0) == 0) found = line.substr(7);
  }
  return found;
}

void fill_from_child(PlannedRun& run, int exit_code, double seconds) {
  reports::PlanOutcome& o = run.outcome;
  o.ran = true;
  o.exit_code = exit_code;
  o.seconds = seconds;
  o.seed = std::to_string(run.seed);
  o.word = "ERROR";
  const std::filesystem::path journal = std::filesystem::path(o.dir) / "journal.jsonl";
  std::error_code ec;
  o.reports_written = std::filesystem::exists(std::filesystem::path(o.dir) / "report.html", ec);
  if (exit_code == 3) o.error = last_error_line(console_file(o));
  if (!std::filesystem::exists(journal, ec)) {
    if (o.error.empty()) o.error = "the run wrote no journal; see " + console_file(o).string();
    return;
  }
  try {
    const runner::Checked checked = runner::check_journal(journal);
    if (checked.history && checked.verdict) reports::fill_outcome(o, *checked.history, *checked.verdict);
  } catch (const std::exception& e) {
    o.error = std::string("its journal could not be read: ") + e.what();
  }
}

// A documented exit code (0 to 4), else 3 (not carried out: killed by a
// signal, or exec failed with 127) with the reason.
int exit_code_of(int status, std::string& why) {
  if (WIFEXITED(status)) {
    const int code = WEXITSTATUS(status);
    if (code >= 0 && code <= 4) return code;
    why = "the plan's process exited with " + std::to_string(code) +
          (code == 127 ? " (the faultline executable could not be started)" : "");
    return 3;
  }
  why = std::string("the plan's process was killed by ") + ::strsignal(WTERMSIG(status));
  return 3;
}

}  // namespace

ParallelResult run_in_children(const runner::RunOptions& options, std::vector<PlannedRun>& runs, int jobs,
                               runner::Console& console) {
  ParallelResult result;
  // Longest first (by the workload's duration); ties keep the suite's order.
  std::vector<std::size_t> order(runs.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return runs[a].plan->plan.workload.duration_ms > runs[b].plan->plan.workload.duration_ms;
  });
  std::vector<int> codes(runs.size(), -1);
  std::vector<Running> running;
  std::size_t next = 0;
  const std::string total = std::to_string(runs.size());
  bool stopping = false;
  SteadyClock::time_point stop_deadline;
  while ((!stopping && next < order.size()) || !running.empty()) {
    if (!stopping && process::termination_requested() != 0) {
      stopping = true;
      result.stopped_early = true;
      result.stop_reason = std::string("interrupted by ") + ::strsignal(process::termination_requested());
      stop_deadline = SteadyClock::now() + kChildStopDeadline;
      for (const Running& r : running) ::kill(r.pid, SIGTERM);
    }
    if (stopping && SteadyClock::now() > stop_deadline) {
      for (const Running& r : running) ::kill(r.pid, SIGKILL);
    }
    while (!stopping && next < order.size() && running.size() < static_cast<std::size_t>(jobs)) {
      PlannedRun& run = runs[order[next]];
      std::string error;
      const pid_t pid = spawn(child_argv(options, run), console_file(run.outcome), error);
      if (pid < 0) {
        run.outcome.ran = true;
        run.outcome.exit_code = 3;
        run.outcome.word = "ERROR";
        run.outcome.error = error;
        codes[order[next]] = 3;
        console.error("plan " + run.outcome.name + ": " + error);
      } else {
        running.push_back(Running{order[next], pid, SteadyClock::now()});
        console.line("== plan " + std::to_string(run.outcome.index) + "/" + total + ": " + run.outcome.name +
                     " started (" + std::to_string(running.size()) + " running)");
      }
      ++next;
    }
    bool reaped = false;
    for (auto it = running.begin(); it != running.end();) {
      int status = 0;
      if (::waitpid(it->pid, &status, WNOHANG) != it->pid) {
        ++it;
        continue;
      }
      PlannedRun& run = runs[it->run];
      const double seconds = std::chrono::duration<double>(SteadyClock::now() - it->began).count();
      std::string why;
      fill_from_child(run, exit_code_of(status, why), seconds);
      if (!why.empty() && run.outcome.error.empty()) run.outcome.error = why;
      codes[it->run] = run.outcome.exit_code;
      char took[32];
      std::snprintf(took, sizeof took, "%.1f s", seconds);
      console.line("   plan " + std::to_string(run.outcome.index) + "/" + total + ": " + run.outcome.name + " " +
                   run.outcome.word + " (exit " + std::to_string(run.outcome.exit_code) + ", " + took + ")" +
                   (run.outcome.error.empty() ? "" : ": " + run.outcome.error));
      // --quiet: each plan's verdict line, as one after another prints it.
      if (console.options().mode == runner::ConsoleOptions::Mode::quiet) {
        console.print(run.outcome.word + "  " + run.outcome.name + " (seed " + run.outcome.seed + ")\n");
      }
      if (run.outcome.word == "INTERRUPTED") result.stopped_early = true;
      it = running.erase(it);
      reaped = true;
    }
    if (!reaped) std::this_thread::sleep_for(kReapInterval);
  }
  for (std::size_t k = 0; k < runs.size(); ++k) {
    if (codes[k] >= 0) {
      result.codes.push_back(codes[k]);
    } else {
      runs[k].outcome.word = "NOT RUN";
    }
  }
  if (result.stopped_early && result.stop_reason.empty()) result.stop_reason = "interrupted";
  return result;
}

}  // namespace faultline::suite
