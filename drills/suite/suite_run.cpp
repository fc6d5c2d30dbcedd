#include "drills/suite/suite_run.hpp"

#include <cstdio>
#include <ostream>
#include <random>

#include "chaos/process/termination.hpp"
#include "drills/plan/plan.hpp"
#include "drills/plan/suite.hpp"
#include "drills/runner/console.hpp"
#include "drills/runner/drill_run.hpp"
#include "drills/suite/parallel_run.hpp"
#include "reports/plan_suite.hpp"

namespace faultline::suite {
namespace {

using SteadyClock = std::chrono::steady_clock;
using Json = nlohmann::json;

std::string run_folder(std::size_t index, const std::string& name) {
  char number[32];
  std::snprintf(number, sizeof number, "%02zu-", index);
  return number + name;
}

std::string described(const plan::PlanToRun& p) {
  std::string text = p.file.string();
  for (const auto& o : p.overrides) text += " --set " + o;
  return text;
}

void print_end(const reports::PlanSuite& suite, const std::filesystem::path& dir, bool written,
               runner::Console& console) {
  const reports::ConsoleStyle style{console.options().color};
  Json files{{"dir", dir.string()}};
  if (written) {
    files["junit"] = (dir / "junit.xml").string();
    files["summary"] = (dir / "summary.md").string();
    files["report"] = (dir / "report.html").string();
  }
  switch (console.options().mode) {
    case runner::ConsoleOptions::Mode::json: {
      Json out = reports::plan_suite_json(suite);
      out["files"] = files;
      console.print(out.dump(2) + "\n");
      break;
    }
    case runner::ConsoleOptions::Mode::quiet:
      console.print(reports::plan_suite_verdict_line(suite, style));
      break;
    default:
      console.print("\n" + reports::plan_suite_console(suite, style));
      if (written) {
        console.print("junit:   " + files["junit"].get<std::string>() + "\nsummary: " +
                      files["summary"].get<std::string>() + "\nreport:  " + files["report"].get<std::string>() + "\n");
      }
  }
}

std::uint64_t seed_of(const runner::RunOptions& options, const plan::PlanToRun& p) {
  return options.seed ? *options.seed : p.plan.seed ? *p.plan.seed : std::random_device{}();
}

reports::PlanOutcome planned_outcome(std::size_t k, const plan::PlanToRun& p, const std::filesystem::path& dir) {
  reports::PlanOutcome outcome;
  outcome.index = static_cast<int>(k + 1);
  outcome.name = p.plan.name;
  outcome.file = p.file.string();
  outcome.overrides = p.overrides;
  outcome.dir = (dir / run_folder(k + 1, p.plan.name)).string();
  return outcome;
}

// The plans in order, each in this process (`--jobs 1`).
void run_one_by_one(const runner::RunOptions& options, const plan::RunList& list, const std::filesystem::path& dir,
                    network::NetworkOptions::Backend backend, runner::Console& console, reports::PlanSuite& suite,
                    std::vector<int>& codes) {
  for (std::size_t k = 0; k < list.plans.size(); ++k) {
    const plan::PlanToRun& p = list.plans[k];
    reports::PlanOutcome outcome = planned_outcome(k, p, dir);
    if (suite.stopped_early || process::termination_requested() != 0) {
      suite.stopped_early = true;
      if (suite.stop_reason.empty()) suite.stop_reason = "interrupted between plans";
      outcome.word = "NOT RUN";
      suite.plans.push_back(std::move(outcome));
      continue;
    }
    console.line("== plan " + std::to_string(k + 1) + "/" + std::to_string(list.plans.size()) + ": " + p.plan.name +
                 " (" + described(p) + ")");
    runner::DrillSpec spec;
    spec.plan = &p.plan;
    spec.plan_text = p.text;
    spec.plan_file = p.file;
    spec.seed = seed_of(options, p);
    spec.dir = outcome.dir;
    spec.binary = options.binary;
    spec.backend = backend;
    runner::DrillResult r;
    try {
      r = runner::DrillRun(spec, console).run();
    } catch (const std::exception& e) {
      r.exit_code = 3;
      r.error = e.what();
      console.error("the run could not be carried out: " + r.error);
    }
    if (console.options().mode != runner::ConsoleOptions::Mode::json) {
      (void)runner::print_run(r, spec.dir, console);
    }
    outcome.ran = true;
    outcome.exit_code = r.exit_code;
    outcome.error = r.error;
    outcome.seconds = r.seconds;
    outcome.seed = std::to_string(spec.seed);
    outcome.reports_written = r.reports_written;
    outcome.word = "ERROR";
    if (r.history && r.verdict) reports::fill_outcome(outcome, *r.history, *r.verdict);
    codes.push_back(r.exit_code);
    if (r.interrupted || r.journal_failed) {
      suite.stopped_early = true;
      suite.stop_reason = r.error;
    }
    suite.plans.push_back(std::move(outcome));
  }
}

}  // namespace

bool is_suite_run(const std::vector<std::filesystem::path>& files) {
  if (files.size() != 1) return true;
  std::string error;
  const auto text = plan::read_plan_file(files.front(), error);
  return text && plan::is_suite_document(nlohmann::json::parse(*text, nullptr, false));
}

int validate_all(const std::vector<std::filesystem::path>& files, const std::vector<std::string>& overrides,
                 std::ostream& out, std::ostream& err) {
  const plan::RunList list = plan::load_run_list(files, overrides);
  if (!list.errors.empty()) return runner::print_plan_errors(list.errors, err);
  for (const auto& p : list.plans) {
    out << p.file.string() << ": valid plan '" << p.plan.name << "': " << plan::plan_summary(p.plan);
    if (!p.suite.empty()) out << " (suite " << p.suite << ")";
    out << "\n";
  }
  return 0;
}

int run_suite(const runner::RunOptions& options, const std::vector<std::filesystem::path>& files, std::ostream& out,
              std::ostream& err) {
  const plan::RunList list = plan::load_run_list(files, options.overrides);
  if (!list.errors.empty()) return runner::print_plan_errors(list.errors, err);
  const auto backend = runner::backend_named(options.network);
  if (!backend) {
    err << "error: unknown --network " << options.network << "; use auto, kernel, proxy or loopback\n";
    return 2;
  }
  if (options.trials != 1) {
    err << "error: --trials runs one plan N times: name one plan, not " << list.plans.size()
        << " (or a suite); nothing was started\n";
    return 2;
  }
  reports::PlanSuite suite;
  suite.name = list.suite_name.empty() ? "suite" : list.suite_name;
  suite.description = list.suite_description;
  const std::filesystem::path dir =
      options.out_dir ? *options.out_dir : std::filesystem::path("runs") / (suite.name + "-" + runner::utc_stamp());
  std::error_code ec;
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_empty(dir, ec)) {
    err << "error: the suite folder " << dir.string()
        << " is not empty; a suite needs a fresh folder: remove it or pass another --out; nothing was started\n";
    return 2;
  }

  const auto began = SteadyClock::now();
  runner::Console console(options.console, out, err);
  console.line("suite " + suite.name + ": " + std::to_string(list.plans.size()) + " plans, suite folder " +
               dir.string());
  std::vector<int> codes;
  if (options.jobs > 1 && list.plans.size() > 1) {
    std::vector<PlannedRun> runs;
    for (std::size_t k = 0; k < list.plans.size(); ++k) {
      const plan::PlanToRun& p = list.plans[k];
      PlannedRun run;
      run.plan = &p;
      run.seed = seed_of(options, p);
      run.outcome = planned_outcome(k, p, dir);
      runs.push_back(std::move(run));
    }
    std::filesystem::create_directories(dir, ec);
    ParallelResult ran = run_in_children(options, runs, options.jobs, console);
    for (auto& run : runs) suite.plans.push_back(std::move(run.outcome));
    codes = std::move(ran.codes);
    suite.stopped_early = ran.stopped_early;
    suite.stop_reason = ran.stop_reason;
  } else {
    run_one_by_one(options, list, dir, *backend, console, suite, codes);
  }
  suite.seconds = std::chrono::duration<double>(SteadyClock::now() - began).count();
  suite.exit_code = reports::plan_suite_exit_code(codes, suite.stopped_early);
  const auto write_error = reports::write_plan_suite_reports(dir, suite);
  if (write_error) {
    console.error(*write_error);
    suite.exit_code = 3;
  }
  print_end(suite, dir, !write_error, console);
  return suite.exit_code;
}

}  // namespace faultline::suite
