// `faultline sim`: the simulator's command, without the argument parser (the
// CLI composition root maps its flags onto SimCommandOptions).
//
//   faultline sim --seeds K [--seed S] [--members N] [--seconds T] [--bug NAME] [--out DIR]
//   faultline sim --schedule FILE
//   faultline sim --paper-table [--trials N] [--time-scale K] [--paper-delay MIN-MAX]
//
// Runs K seeds (S, S+1, ...) for T simulated seconds each, each with the
// schedule generate_schedule(seed) — or the one schedule file — and checks
// the Raft safety invariants throughout. For every violation it prints the
// violation, shrinks the schedule, writes it to DIR/sim-seed-<S>.schedule and
// prints both replay commands. Ends with a summary line (seeds run, simulated
// seconds, wall seconds, speed-up).
//
// Exit code: 0 no violation; 1 a violation; 2 bad input (nothing was run).
// Thread-safety: none needed; writes only to `out` and DIR.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace faultline::sim {

struct SimCommandOptions {
  std::size_t seeds = 100;
  std::uint64_t first_seed = 1;
  std::size_t members = 5;
  std::int64_t seconds = 10;
  std::string schedule_file;        // non-empty: replay this file instead of seeds
  std::string planted_bug = "none";  // none | vote_without_log_check | commit_previous_term_by_counting
  std::int64_t client_ops_per_second = 20;
  std::string out_dir = ".";  // where failing (shrunk) schedules are written
  bool shrink = true;
  bool paper_table = false;
  std::size_t trials = 1000;  // paper_table trials per line
  // The paper table's knobs (see PaperTableOptions): simulator ticks per ms
  // (1..1000), and the one-way link delay in ms, "MIN-MAX".
  std::int64_t time_scale = 10;
  std::string paper_delay = "6-9";
};

int run_sim_command(const SimCommandOptions& options, std::ostream& out);

}  // namespace faultline::sim
