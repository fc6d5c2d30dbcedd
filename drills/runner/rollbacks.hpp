// The plan's rollbacks (docs/plan.md#rollbacks): actions that run in order
// at the end of every run, whatever happened — a verdict, a halt, a run
// stopped by Ctrl-C or SIGTERM, an error — before the members are stopped:
//
//   heal_all  heals every fault still in force (the registry's heal_all)
//   restart   starts again the selected members whose process is not
//             running (a killed member the plan never restarted), and waits
//             for each to answer, at most 15 s
//   command   runs argv from the runner's side through the run's supervisor
//             (so it cannot outlive the run), its output in
//             `<run folder>/rollbacks/<index>.log`, killed after timeout_ms
//
// Each is journaled as a `rollback` event (action, ok, detail,
// duration_ms); one that fails is reported and the next still runs. They
// change nothing the verdict judges: the checks read the run, not the
// clean-up.
//
// A run that was interrupted stops every wait at once (chaos/process/
// wait.hpp), so a restart after Ctrl-C is started but not waited for; a
// command is waited for up to its timeout_ms all the same (a second Ctrl-C
// ends the runner, and the command with it).
//
// Thread-safety: the runner's main thread (members and commands are spawned
// from it).
#pragma once

#include <filesystem>
#include <vector>

#include "chaos/faults/fault.hpp"
#include "chaos/faults/registry.hpp"
#include "chaos/process/process_control.hpp"
#include "drills/journal/journal.hpp"
#include "drills/plan/model.hpp"

namespace faultline::runner {

struct RollbackContext {
  journal::JournalWriter& journal;
  std::filesystem::path dir;                      // the run folder
  process::ProcessControl& processes;             // the run's supervisor
  faults::FaultRegistry* registry = nullptr;      // null: no fault could be in force yet
  faults::FaultEnvironment* environment = nullptr;  // null: the members never came up
};

// Runs every rollback in order; returns how many failed.
int run_rollbacks(const std::vector<plan::RollbackSpec>& rollbacks, RollbackContext& context);

}  // namespace faultline::runner
