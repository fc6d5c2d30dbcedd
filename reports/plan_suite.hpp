// A suite of plans (`faultline run PLAN...`, or a suite file): each plan ran
// in its own run folder, with its own journal and reports; these renderings
// sum the plans up in the suite's folder: console lines, summary.md,
// junit.xml (every plan's <testsuite> in one <testsuites>), report.html
// (a table linking each plan's report) and the --json object.
//
// The suite's exit code is the worst of its plans', ranked
//   0 (every objective met) < 1 (an objective missed)
//     < 4 (a system not healthy before any fault) < 3 (a run not carried out)
// so that a suite passes only when every plan passed, and a suite with a
// plan that could not be judged says so rather than "missed"; a suite that
// stopped early (an interrupt, a full disk) is 3 whatever ran before.
//
// Thread-safety: pure functions, except write_plan_suite_reports, which
// writes files in its folder.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/reports.hpp"

namespace faultline::reports {

// One plan of the suite, as it ended (or did not start).
struct PlanOutcome {
  int index = 0;                       // 1-based, in the suite's order
  std::string name;                    // the plan's name
  std::string file;                    // the plan file
  std::vector<std::string> overrides;  // PATH=VALUE, the suite's set and --set
  std::string dir;                     // its run folder
  bool ran = false;                    // false: not started (the suite stopped first)
  int exit_code = 3;
  std::string word;                    // PASS, FAIL, INTERRUPTED, ABORTED, INCOMPLETE, ERROR, NOT RUN
  std::string error;                   // why it could not be carried out
  double seconds = 0;
  std::string seed;
  std::optional<double> rto_ms;
  std::optional<std::size_t> lost_writes;   // when RPO was measured
  std::size_t acknowledged = 0;
  std::vector<std::string> missed;     // checks that did not go as the plan says
  bool reports_written = false;
  JunitSuite junit;                    // empty xml when the run has no verdict
  nlohmann::json details;              // run_json of the run, or null
};

// The measured parts of an outcome from a checked run (name, seed, word,
// RTO, RPO, missed checks, the JUnit element, the JSON object).
void fill_outcome(PlanOutcome& outcome, const History& history, const Verdict& verdict);

struct PlanSuite {
  std::string name;         // the suite file's `suite`, or "suite" for plans named on the command line
  std::string description;
  std::vector<PlanOutcome> plans;  // every plan, run or not, in order
  bool stopped_early = false;
  std::string stop_reason;
  double seconds = 0;
  int exit_code = 0;
};

// The worst code by the rank above; 3 when stopped early.
int plan_suite_exit_code(const std::vector<int>& codes, bool stopped_early);

// PASS, FAIL (an objective missed, or a system not healthy to begin with),
// ERROR (a plan not carried out) or INTERRUPTED (the suite stopped early).
std::string plan_suite_word(const PlanSuite& suite);
// "5 of 6 plans passed, 1 failed".
std::string plan_suite_counts(const PlanSuite& suite);
// What went wrong with a plan in one phrase ("missed linearizable", the
// error, "not run: ..."); empty when nothing did.
std::string plan_outcome_trouble(const PlanOutcome& outcome);

// "PASS  suite ci: 6 of 6 plans passed (exit 0, 93.2 s)".
std::string plan_suite_verdict_line(const PlanSuite& suite, ConsoleStyle style = {});
// The verdict line and one line per plan: verdict, name, RTO, lost writes,
// time, run folder, and what it missed or why it did not run.
std::string plan_suite_console(const PlanSuite& suite, ConsoleStyle style = {});
std::string render_plan_suite_markdown(const PlanSuite& suite);
std::string render_plan_suite_junit(const PlanSuite& suite);
std::string render_plan_suite_html(const PlanSuite& suite);
// suite, verdict, exit_code, stopped_early, stop_reason, seconds, and
// `plans` (index, name, file, overrides, dir, verdict, exit_code, error,
// seconds, rto_ms, lost_writes, acknowledged, missed, run: run_json or null).
nlohmann::json plan_suite_json(const PlanSuite& suite);

// Writes report.html, junit.xml and summary.md into `dir`; the error names
// the file that could not be written.
std::optional<std::string> write_plan_suite_reports(const std::filesystem::path& dir, const PlanSuite& suite);

}  // namespace faultline::reports
