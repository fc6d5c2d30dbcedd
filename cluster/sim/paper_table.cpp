// Figure 16 of the Raft paper, in simulation.
#include "cluster/sim/paper_table.hpp"

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <random>

#include "cluster/sim/simulator.hpp"

namespace faultline::sim {

namespace {

std::string paper_figure(std::int64_t lo, std::int64_t hi) {
  if (lo == 150 && hi == 150) return "some trials > 10 s";
  if (lo == 150 && hi == 155) return "median 287 ms";
  if (lo == 150 && hi == 200) return "max 513 ms";
  if (lo == 12 && hi == 24) return "mean 35 ms, max 152 ms";
  return "-";
}

}  // namespace

PaperRow run_paper_row(std::int64_t timeout_min_ms, std::int64_t timeout_max_ms, std::size_t trials,
                       std::uint64_t first_seed) {
  PaperRow row;
  row.timeout_min_ms = timeout_min_ms;
  row.timeout_max_ms = timeout_max_ms;
  row.paper = paper_figure(timeout_min_ms, timeout_max_ms);
  for (std::size_t i = 0; i < trials; ++i) {
    SimConfig c;
    c.seed = first_seed + i;
    c.members = 5;
    c.election_timeout_min_ms = timeout_min_ms;
    c.election_timeout_max_ms = timeout_max_ms;
    c.heartbeat_ms = std::max<std::int64_t>(1, timeout_min_ms / 2);
    c.pre_vote = false;
    c.check_quorum = false;
    c.network = LinkParams{6, 9, 0, 0};
    c.client_ops_per_second = 0;
    c.log_messages = false;
    c.stop_after_recoveries = 1;
    c.duration_ms = 300'000;
    // Crash attempts every 5 s until one finds a leader (an initial election
    // with equal timeouts can take long); each at a random heartbeat phase.
    std::mt19937_64 rng(c.seed ^ 0xF16F16F16ULL);
    Schedule s;
    for (std::int64_t base = 10 * timeout_max_ms + 500; base < 60'000; base += 5'000) {
      Action a;
      a.kind = ActionKind::crash_leader;
      a.at_ms = base + std::uniform_int_distribution<std::int64_t>(0, c.heartbeat_ms - 1)(rng);
      s.actions.push_back(a);
    }
    SimResult r = run(c, s);
    if (!r.stats.leader_recovery_ms.empty()) row.samples_ms.push_back(r.stats.leader_recovery_ms.front());
  }
  std::sort(row.samples_ms.begin(), row.samples_ms.end());
  if (!row.samples_ms.empty()) {
    const auto& v = row.samples_ms;
    row.median_ms = v[v.size() / 2];
    row.mean_ms = static_cast<double>(std::accumulate(v.begin(), v.end(), std::int64_t{0})) /
                  static_cast<double>(v.size());
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
  for (const auto& [lo, hi] : lines) rows.push_back(run_paper_row(lo, hi, options.trials, options.first_seed));
  return rows;
}

std::string format_paper_table(const std::vector<PaperRow>& rows) {
  std::string out = "election timeout  trials  median ms  mean ms  p99 ms  max ms  paper (Fig. 16)\n";
  for (const PaperRow& r : rows) {
    char line[200];
    std::snprintf(line, sizeof line, "%7lld-%-7lld  %6zu  %9lld  %7.1f  %6lld  %6lld  %s\n",
                  static_cast<long long>(r.timeout_min_ms), static_cast<long long>(r.timeout_max_ms),
                  r.samples_ms.size(), static_cast<long long>(r.median_ms), r.mean_ms,
                  static_cast<long long>(r.p99_ms), static_cast<long long>(r.max_ms), r.paper.c_str());
    out += line;
  }
  return out;
}

}  // namespace faultline::sim
