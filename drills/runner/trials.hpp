// `faultline run PLAN --trials N`: the plan run N times, trial k with the
// seed verify::trial_seed(base, k) in <out>/trial-NN, then the suite judged
// (drills/verify/trials.hpp) and its reports written into <out>.
//
// The suite stops early when a trial is interrupted (SIGINT, SIGTERM) or
// its journal cannot be written (the disk is full: the next trial would fail
// the same way); it goes on past a trial that could not be carried out for
// another reason, which then makes the suite's exit code 3.
//
// Must be called from the process's main thread (as DrillRun).
#pragma once

#include <cstdint>
#include <filesystem>

#include "drills/runner/drill_run.hpp"

namespace faultline::runner {

// `base` is a DrillSpec for the whole suite: its seed is the base seed and
// its dir the suite's folder; trial, trials, seed and dir are set per trial.
// Prints each trial's one-line result and the suite's summary (or verdict
// line, or JSON object) through `console`. Returns the suite's exit code.
int run_trials(const DrillSpec& base, int trials, Console& console);

}  // namespace faultline::runner
