#include "drills/runner/runner.hpp"

#include <iostream>

#include "drills/journal/journal.hpp"
#include "drills/plan/plan.hpp"
#include "drills/runner/drill_run.hpp"
#include "drills/runner/verdict.hpp"

namespace faultline::runner {

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
  const auto& p = *loaded.plan;
  out << plan_file.string() << ": valid plan '" << p.name << "': " << p.topology.coordinators
      << (p.topology.kind == "embedded" ? " coordinators, " : " " + p.topology.kind + " members, ")
      << p.workload.clients << " clients for " << p.workload.duration_ms
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
    return DrillRun(options, out, err).run();
  } catch (const std::exception& e) {
    // Only the edges throw (a journal that cannot be created or written):
    // the supervisor's destructor has already stopped every member.
    err << "error: the run could not be carried out: " << e.what() << "\n";
    return 3;
  }
}

}  // namespace faultline::runner
