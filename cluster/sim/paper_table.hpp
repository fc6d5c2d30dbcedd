// The Raft paper's election-time experiment (Ongaro & Ousterhout 2014,
// section 9.3, Figure 16), rerun in the simulator.
//
// Five members, one-way delay 6-9 ms (a broadcast round trip of about
// 15 ms), pre-vote and check-quorum off (the paper's Raft had neither),
// heartbeat half the minimum election timeout (as in LogCabin). Each trial
// waits for a steady leader, crashes it at a random point of its heartbeat
// interval, and measures the time until a member leads a higher term.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace faultline::sim {

struct PaperRow {
  std::int64_t timeout_min_ms = 0;
  std::int64_t timeout_max_ms = 0;
  std::vector<std::int64_t> samples_ms;  // sorted; trials without a leader to crash are skipped
  std::int64_t median_ms = 0;
  double mean_ms = 0;
  std::int64_t p99_ms = 0;
  std::int64_t max_ms = 0;
  std::string paper;  // the paper's figure for this line, where it gives one
};

struct PaperTableOptions {
  std::size_t trials = 1000;
  std::uint64_t first_seed = 1;
  // Empty: the paper's ten lines.
  std::vector<std::pair<std::int64_t, std::int64_t>> timeouts;
};

PaperRow run_paper_row(std::int64_t timeout_min_ms, std::int64_t timeout_max_ms, std::size_t trials,
                       std::uint64_t first_seed);
std::vector<PaperRow> run_paper_table(const PaperTableOptions& options);
std::string format_paper_table(const std::vector<PaperRow>& rows);

}  // namespace faultline::sim
