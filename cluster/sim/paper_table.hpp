// The Raft paper's election-time experiment (Ongaro & Ousterhout 2014,
// section 9.3, Figure 16), rerun in the simulator.
//
// Five members, one-way delay 6-9 ms (a broadcast round trip of about
// 15 ms), pre-vote and check-quorum off (the paper's Raft had neither),
// heartbeat half the minimum election timeout (as in LogCabin).
//
// One crash protocol for every line: members 2-5 start at uniform random
// instants of the first max-timeout (real servers never boot in the same
// microsecond, and lockstep starts with equal timeouts never elect anyone);
// at 12 max-timeouts plus a uniform point of one heartbeat interval the
// leader, if there is one, is crashed; the trial measures the time until a
// member leads a higher term, up to `cap_ms`. Trials with no leader at the
// crash instant do not count; the next seed replaces them.
//
// The simulator's clock is the integer ms. `time_scale` K runs every duration
// (timeouts, heartbeat, delays, crash instants, cap) multiplied by K, so one
// simulator ms stands for 1/K paper ms, and divides the measured times by K:
// with K = 1, 150-155 has only six possible timeouts and ties are exact.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace faultline::sim {

struct PaperTableOptions {
  std::size_t trials = 1000;  // crashed leaders per line
  std::uint64_t first_seed = 1;
  // Empty: the paper's ten lines.
  std::vector<std::pair<std::int64_t, std::int64_t>> timeouts;
  std::int64_t time_scale = 10;  // simulator ticks per paper ms; 1..1000
  double delay_min_ms = 6;       // one-way link delay, uniform, paper ms
  double delay_max_ms = 9;
  // A trial not elected within this many ms of the crash stops there and
  // counts as censored (at least cap_ms).
  std::int64_t cap_ms = 20'000;
  // Each member's clock runs at 1 + u/1e6 for u uniform in [-clock_drift_ppm,
  // clock_drift_ppm] (real oscillators drift; 0 = perfect clocks).
  std::int64_t clock_drift_ppm = 0;
};

struct PaperRow {
  std::int64_t timeout_min_ms = 0;
  std::int64_t timeout_max_ms = 0;
  std::int64_t time_scale = 1;
  std::vector<double> samples_ms;  // sorted, paper ms; censored trials as cap_ms
  std::size_t censored = 0;        // no new leader within cap_ms
  std::size_t over_10s = 0;        // downtime > 10,000 ms (censored ones included)
  std::size_t skipped = 0;         // seeds without a leader at the crash instant
  double median_ms = 0;
  double mean_ms = 0;  // a lower bound when censored > 0
  double p99_ms = 0;
  double max_ms = 0;
  std::string paper;  // the paper's figure for this line, where it gives one
};

// One line: options.trials crashed leaders (options.timeouts is ignored).
PaperRow run_paper_row(std::int64_t timeout_min_ms, std::int64_t timeout_max_ms,
                       const PaperTableOptions& options);
std::vector<PaperRow> run_paper_table(const PaperTableOptions& options);
std::string format_paper_table(const std::vector<PaperRow>& rows);

}  // namespace faultline::sim
