#include "drills/runner/trials.hpp"

#include <cstdio>

#include "chaos/process/termination.hpp"
#include "drills/plan/plan.hpp"
#include "drills/runner/verdict.hpp"
#include "drills/verify/trials.hpp"
#include "reports/reports.hpp"

namespace faultline::runner {

using Json = journal::Json;
using SteadyClock = std::chrono::steady_clock;

namespace {

std::string trial_folder(int index) {
  char name[32];
  std::snprintf(name, sizeof name, "trial-%02d", index);
  return name;
}

// The plan's facts as the checkers read them, from the same `run` event a
// trial journals (so a suite whose trials all failed to start still knows
// its objectives).
verify::PlanFacts plan_facts(const DrillSpec& base) {
  const Json run{{"t_ns", 0},
                 {"kind", "run"},
                 {"plan_name", base.plan->name},
                 {"plan_file", base.plan_file.string()},
                 {"plan_hash", plan::plan_hash(base.plan_text)},
                 {"seed", base.seed},
                 {"plan", plan::to_json(*base.plan)}};
  return verify::history_from({run}).plan;
}

// "trial 03/20 (seed 123): PASS  rto_ms 455.4 ms, rpo_writes 0 writes"
std::string trial_line(const verify::TrialRecord& t, int of, const DrillResult& r) {
  char head[64];
  std::snprintf(head, sizeof head, "trial %02d/%02d", t.index, of);
  std::string line = std::string(head) + " (seed " + t.seed + "): ";
  if (!t.has_verdict()) return line + (t.interrupted ? "INTERRUPTED" : "ERROR") + ": " + t.error;
  line += t.exit_code == 0 ? "PASS" : "FAIL";
  for (const auto& m : t.measures) {
    if ((m.name == "rto_ms" || m.name == "rpo_writes") && m.value) {
      line += "  " + m.name + " " + verify::format_number(*m.value) + " " + m.unit;
    }
  }
  if (r.verdict) {
    for (const auto& name : r.verdict->failed) line += "  missed " + name;
  }
  return line;
}

}  // namespace

int run_trials(const DrillSpec& base, int trials, Console& console) {
  const auto began = SteadyClock::now();
  verify::Suite suite;
  suite.plan = plan_facts(base);
  suite.base_seed = std::to_string(base.seed);
  suite.planned = trials;
  console.line("drill " + base.plan->name + ": " + std::to_string(trials) + " trials, seeds derived from " +
               suite.base_seed + ", suite folder " + base.dir.string());
  for (int k = 1; k <= trials; ++k) {
    if (process::termination_requested() != 0) {
      suite.interrupted = true;
      break;
    }
    DrillSpec spec = base;
    spec.trial = k;
    spec.trials = trials;
    spec.seed = verify::trial_seed(base.seed, k);
    spec.dir = base.dir / trial_folder(k);
    DrillResult r = DrillRun(spec, console).run();

    verify::TrialRecord t;
    t.index = k;
    t.seed = std::to_string(spec.seed);
    t.dir = spec.dir.string();
    t.exit_code = r.exit_code;
    t.error = r.error;
    t.interrupted = r.interrupted;
    t.seconds = r.seconds;
    // A trial that stopped early has no verdict to count: what it measured is partial.
    if (r.verdict && r.history && !r.history->stopped) {
      t.measures = verify::measures(*r.verdict);
      t.checks = r.verdict->checks;
    }
    console.line(trial_line(t, trials, r));
    suite.trials.push_back(std::move(t));
    if (r.interrupted || r.journal_failed) {
      suite.interrupted = r.interrupted;
      suite.stop_reason = r.error;
      break;
    }
  }
  if (suite.interrupted && suite.stop_reason.empty()) suite.stop_reason = "interrupted between trials";
  suite.verdict = verify::judge_trials(suite.plan, suite.trials, suite.interrupted || !suite.stop_reason.empty());
  suite.seconds = std::chrono::duration<double>(SteadyClock::now() - began).count();

  int exit_code = suite.verdict.exit_code;
  const auto write_error = reports::write_suite_reports(base.dir, suite);
  if (write_error) {
    console.error(*write_error);
    exit_code = 3;
  }
  const reports::ConsoleStyle style{console.options().color};
  Json files{{"dir", base.dir.string()}};
  if (!write_error) {
    files["junit"] = (base.dir / "junit.xml").string();
    files["summary"] = (base.dir / "summary.md").string();
    files["report"] = (base.dir / "report.html").string();
  }
  switch (console.options().mode) {
    case ConsoleOptions::Mode::json: {
      Json out = reports::suite_json(suite);
      out["files"] = files;
      out["exit_code"] = exit_code;
      console.print(out.dump(2) + "\n");
      break;
    }
    case ConsoleOptions::Mode::quiet:
      console.print(reports::suite_verdict_line(suite, style));
      break;
    default:
      console.print(reports::suite_console(suite, style));
      if (!write_error) {
        console.print("junit:   " + files["junit"].get<std::string>() + "\nsummary: " +
                      files["summary"].get<std::string>() + "\nreport:  " + files["report"].get<std::string>() + "\n");
      }
  }
  return exit_code;
}

}  // namespace faultline::runner
