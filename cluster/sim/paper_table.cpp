// Figure 16 of the Raft paper, in simulation.
#include "cluster/sim/paper_table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <random>

#include "cluster/sim/simulator.hpp"

namespace faultline::sim {

namespace {

std::string paper_figure(std::int64_t lo, std::int64_t hi) {
  if (lo == 150 && hi == 150) return "> 10 s (split votes; 100 trials)";
  if (lo == 150 && hi == 155) return "median 287 ms";
  if (lo == 150 && hi == 200) return "max 513 ms";
  if (lo == 12 && hi == 24) return "mean 35 ms, max 152 ms";
  return "-";
}

std::int64_t ticks(double paper_ms, std::int64_t scale) {
  return std::llround(paper_ms * static_cast<double>(scale));
}

// One trial's cluster and schedule; the schedule crashes a leader at most once.
struct Trial {
  SimConfig config;
  Schedule schedule;
  std::int64_t crash_at = 0;
};

Trial make_trial(std::int64_t lo, std::int64_t hi, const PaperTableOptions& o, std::uint64_t seed) {
  const std::int64_t k = o.time_scale;
  Trial t;
  SimConfig& c = t.config;
  c.seed = seed;
  c.members = 5;
  c.election_timeout_min_ms = lo * k;
  c.election_timeout_max_ms = hi * k;
  c.heartbeat_ms = std::max<std::int64_t>(1, lo * k / 2);
  c.pre_vote = false;
  c.check_quorum = false;
  c.network = LinkParams{ticks(o.delay_min_ms, k), ticks(o.delay_max_ms, k), 0, 0};
  c.client_ops_per_second = 0;
  c.log_messages = false;
  // The safety checks are not what this experiment measures; a full check
  // every paper ms would dominate the run at large K.
  c.check_every_ms = k;
  c.stop_after_recoveries = 1;

  std::mt19937_64 rng(seed ^ 0xF16F16F16ULL);
  std::vector<Action> starts;
  for (raft::NodeId m = 2; m <= 5; ++m) {
    Action down;
    down.at_ms = 0;
    down.kind = ActionKind::crash;
    down.member = m;
    t.schedule.actions.push_back(down);
    Action up;
    up.at_ms = std::uniform_int_distribution<std::int64_t>(0, hi * k - 1)(rng);
    up.kind = ActionKind::restart;
    up.member = m;
    starts.push_back(up);
  }
  for (raft::NodeId m = 1; m <= 5 && o.clock_drift_ppm > 0; ++m) {
    Action drift;
    drift.at_ms = 0;
    drift.kind = ActionKind::drift;
    drift.member = m;
    drift.a = std::uniform_int_distribution<std::int64_t>(-o.clock_drift_ppm, o.clock_drift_ppm)(rng);
    t.schedule.actions.push_back(drift);
  }
  std::stable_sort(starts.begin(), starts.end(),
                   [](const Action& a, const Action& b) { return a.at_ms < b.at_ms; });
  t.schedule.actions.insert(t.schedule.actions.end(), starts.begin(), starts.end());
  Action crash;
  crash.kind = ActionKind::crash_leader;
  crash.at_ms = 12 * hi * k + std::uniform_int_distribution<std::int64_t>(0, c.heartbeat_ms - 1)(rng);
  t.schedule.actions.push_back(crash);
  t.crash_at = crash.at_ms;
  c.duration_ms = crash.at_ms + o.cap_ms * k + 1;
  return t;
}

}  // namespace

PaperRow run_paper_row(std::int64_t timeout_min_ms, std::int64_t timeout_max_ms,
                       const PaperTableOptions& o) {
  PaperRow row;
  row.timeout_min_ms = timeout_min_ms;
  row.timeout_max_ms = timeout_max_ms;
  row.time_scale = o.time_scale;
  row.paper = paper_figure(timeout_min_ms, timeout_max_ms);
  const double k = static_cast<double>(o.time_scale);
  const double cap = static_cast<double>(o.cap_ms);
  // Bounded: a line whose initial elections mostly fail gives up after 10x the seeds.
  const std::size_t max_seeds = 10 * o.trials + 10;
  for (std::size_t i = 0; i < max_seeds && row.samples_ms.size() < o.trials; ++i) {
    Trial t = make_trial(timeout_min_ms, timeout_max_ms, o, o.first_seed + i);
    // A seed with no leader at the crash instant would otherwise run on to
    // the cap for nothing: first run it only up to the crash (the run is a
    // pure function of its inputs, so the full run repeats this prefix).
    const std::int64_t full_duration = t.config.duration_ms;
    t.config.duration_ms = t.crash_at + 1;
    if (run(t.config, t.schedule).stats.crashes < 5) {  // four staggered starts, then the leader
      ++row.skipped;
      continue;
    }
    t.config.duration_ms = full_duration;
    const SimResult r = run(t.config, t.schedule);
    double ms = cap;
    if (!r.stats.leader_recovery_ms.empty()) {
      ms = static_cast<double>(r.stats.leader_recovery_ms.front()) / k;
    } else {
      ++row.censored;
    }
    if (ms > 10'000) ++row.over_10s;
    row.samples_ms.push_back(ms);
  }
  std::sort(row.samples_ms.begin(), row.samples_ms.end());
  if (!row.samples_ms.empty()) {
    const auto& v = row.samples_ms;
    row.median_ms = v[v.size() / 2];
    row.mean_ms = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
    row.p99_ms = v[std::min(v.size() - 1, v.size() * 99 / 100)];
    row.max_ms = v.back();
  }
  return row;
}

std::vector<PaperRow> run_paper_table(const PaperTableOptions& options) {
  std::vector<std::pair<std::int64_t, std::int64_t>> lines = options.timeouts;
  if (lines.empty()) {
    lines = {{150, 150}, {150, 151}, {150, 155}, {150, 175}, {150, 200},
             {150, 300}, {12, 24},   {25, 50},   {50, 100},  {100, 200}};
  }
  std::vector<PaperRow> rows;
  for (const auto& [lo, hi] : lines) rows.push_back(run_paper_row(lo, hi, options));
  return rows;
}

std::string format_paper_table(const std::vector<PaperRow>& rows) {
  std::string out =
      "election timeout  trials  median ms  mean ms   p99 ms   max ms  >10 s  paper (Fig. 16)\n";
  for (const PaperRow& r : rows) {
    // A censored trial is only known to be at least the cap: say so.
    const char* at_least = r.censored > 0 ? ">=" : "  ";
    char line[240];
    std::snprintf(line, sizeof line, "%7lld-%-7lld  %6zu  %9.1f  %s%6.1f  %7.1f  %s%6.1f  %5zu  %s\n",
                  static_cast<long long>(r.timeout_min_ms), static_cast<long long>(r.timeout_max_ms),
                  r.samples_ms.size(), r.median_ms, at_least, r.mean_ms, r.p99_ms, at_least, r.max_ms,
                  r.over_10s, r.paper.c_str());
    out += line;
    if (r.censored > 0 || r.skipped > 0) {
      std::snprintf(line, sizeof line, "                  (%zu not elected within the cap, %zu seeds without a leader to crash)\n",
                    r.censored, r.skipped);
      out += line;
    }
  }
  return out;
}

}  // namespace faultline::sim
