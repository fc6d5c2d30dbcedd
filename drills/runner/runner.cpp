#include "drills/runner/runner.hpp"

#include <ctime>
#include <iomanip>
#include <iostream>
#include <random>
#include <sstream>

#include "drills/journal/journal.hpp"
#include "drills/plan/plan.hpp"
#include "drills/runner/drill_run.hpp"
#include "drills/runner/trials.hpp"
#include "drills/runner/verdict.hpp"
#include "reports/reports.hpp"

namespace faultline::runner {

using Json = journal::Json;

std::string utc_stamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::ostringstream text;
  text << std::put_time(&tm, "%Y%m%d-%H%M%S");
  return text.str();
}

std::optional<network::NetworkOptions::Backend> backend_named(const std::string& name) {
  using B = network::NetworkOptions::Backend;
  if (name == "auto") return B::automatic;
  if (name == "kernel") return B::kernel;
  if (name == "proxy") return B::proxy;
  if (name == "loopback") return B::loopback;
  return std::nullopt;
}

int print_run(const DrillResult& r, const std::filesystem::path& dir, Console& console) {
  const reports::ConsoleStyle style{console.options().color};
  const auto journal_file = dir / "journal.jsonl";
  Json files{{"dir", dir.string()}, {"journal", journal_file.string()}};
  if (r.reports_written) {
    files["junit"] = (dir / "junit.xml").string();
    files["summary"] = (dir / "summary.md").string();
    files["report"] = (dir / "report.html").string();
  }
  const bool judged = r.history && r.verdict;
  switch (console.options().mode) {
    case ConsoleOptions::Mode::json: {
      Json out = judged ? reports::run_json(*r.history, *r.verdict)
                        : Json{{"verdict", "error"}, {"pass", false}};
      out["exit_code"] = r.exit_code;
      if (!r.error.empty()) out["error"] = r.error;
      out["files"] = files;
      console.print(out.dump(2) + "\n");
      break;
    }
    case ConsoleOptions::Mode::quiet:
      if (judged) console.print(reports::verdict_line(*r.history, *r.verdict, style));
      break;
    default:
      if (judged) console.print(reports::console_summary(*r.history, *r.verdict, style));
      if (r.reports_written) {
        console.print(report_paths(journal_file, dir));
      } else if (std::filesystem::exists(journal_file)) {
        console.print("journal: " + journal_file.string() + "\n");
      }
  }
  return r.exit_code;
}

int print_plan_errors(const std::vector<plan::PlanError>& errors, std::ostream& err) {
  for (const auto& e : errors) err << "error: " << e.to_string() << "\n";
  err << errors.size() << (errors.size() == 1 ? " error" : " errors")
      << "; nothing was started. See docs/plan.md for the plan format.\n";
  return 2;
}

int validate_plan(const std::filesystem::path& plan_file, const std::vector<std::string>& overrides,
                  std::ostream& out, std::ostream& err) {
  const auto loaded = plan::load_plan(plan_file, overrides);
  if (!loaded.plan) return print_plan_errors(loaded.errors, err);
  out << plan_file.string() << ": valid plan '" << loaded.plan->name << "': " << plan::plan_summary(*loaded.plan)
      << "\n";
  return 0;
}

int report_journal(const std::filesystem::path& journal_file, std::ostream& out,
                   std::ostream& err) {
  try {
    const auto dir = journal_file.parent_path();
    Checked checked = check_and_report(nullptr, journal_file, dir);
    for (const auto& w : checked.warnings) err << "warning: " << w << "\n";
    if (!checked.error.empty()) {
      err << "error: " << checked.error << "\n";
      return 3;
    }
    out << reports::console_summary(*checked.history, *checked.verdict);
    out << report_paths(journal_file, dir);
    return checked.exit_code;
  } catch (const std::exception& e) {
    err << "error: " << e.what() << "\n";
    return 2;
  }
}

int run_drill(const RunOptions& options, std::ostream& out, std::ostream& err) {
  const auto loaded = plan::load_plan(options.plan_file, options.overrides);
  if (!loaded.plan) return print_plan_errors(loaded.errors, err);
  const plan::Plan& plan = *loaded.plan;
  const auto backend = backend_named(options.network);
  if (!backend) {
    err << "error: unknown --network " << options.network << "; use auto, kernel, proxy or loopback\n";
    return 2;
  }
  if (options.trials < 1) {
    err << "error: --trials must be at least 1, got " << options.trials << "; nothing was started\n";
    return 2;
  }
  const auto dir = options.out_dir ? *options.out_dir : std::filesystem::path("runs") / (plan.name + "-" + utc_stamp());
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

  DrillSpec spec;
  spec.plan = &plan;
  spec.plan_text = loaded.text;
  spec.plan_file = options.plan_file;
  spec.seed = options.seed ? *options.seed : plan.seed ? *plan.seed : std::random_device{}();
  spec.dir = dir;
  spec.binary = options.binary;
  spec.backend = *backend;
  Console console(options.console, out, err);
  try {
    if (options.trials > 1) return run_trials(spec, options.trials, console);
    return print_run(DrillRun(spec, console).run(), dir, console);
  } catch (const std::exception& e) {
    // Only the edges throw (a journal that cannot be created): the
    // supervisor's destructor has already stopped every member.
    console.error("the run could not be carried out: " + std::string(e.what()));
    return 3;
  }
}

}  // namespace faultline::runner
