// `faultline sim`: seeds or a schedule file in, violations and a summary out.
#include "cluster/sim/sim_cli.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include "cluster/sim/paper_table.hpp"
#include "cluster/sim/schedule.hpp"
#include "cluster/sim/shrink.hpp"
#include "cluster/sim/simulator.hpp"

namespace faultline::sim {

namespace {

std::string replay_seed_command(const SimConfig& c) {
  std::string s = "faultline sim --seed " + std::to_string(c.seed) + " --seeds 1 --members " +
                  std::to_string(c.members) + " --seconds " + std::to_string(c.duration_ms / 1000);
  if (c.planted_bug != raft::PlantedBug::none) s += " --bug " + std::string(to_string(c.planted_bug));
  return s;
}

// Prints one failing run, shrinks it and writes the shrunk schedule file.
void report_failure(const SimCommandOptions& o, const SimConfig& config, const Schedule& schedule,
                    const SimResult& result, bool from_seed, std::ostream& out) {
  out << "seed " << config.seed << ": " << result.violations.size() << " violation(s), first: "
      << result.violations.front() << "\n";
  if (!o.shrink) return;
  ShrinkResult small = shrink(config, schedule);
  const std::filesystem::path file =
      std::filesystem::path(o.out_dir) / ("sim-seed-" + std::to_string(config.seed) + ".schedule");
  std::ofstream f(file);
  f << to_file_text(small.config, small.schedule);
  f.close();
  out << "  shrunk to " << small.schedule.actions.size() << " action(s) in " << small.runs
      << " runs; first violation: " << small.result.violations.front() << "\n";
  out << to_text(small.schedule);
  if (f) {
    out << "  replay: faultline sim --schedule " << file.string() << "\n";
  } else {
    out << "  could not write " << file.string() << "\n";
  }
  if (from_seed) out << "  or:     " << replay_seed_command(config) << "\n";
}

// "6-9" or "2.5-4": the paper table's one-way delay range in ms.
bool parse_delay(const std::string& text, double& lo, double& hi) {
  char tail = 0;
  return std::sscanf(text.c_str(), "%lf-%lf%c", &lo, &hi, &tail) == 2 && lo >= 0;
}

}  // namespace

int run_sim_command(const SimCommandOptions& o, std::ostream& out) {
  const auto bug = parse_planted_bug(o.planted_bug);
  if (!bug) {
    out << "error: unknown planted bug '" << o.planted_bug
        << "'; use none, vote_without_log_check or commit_previous_term_by_counting\n";
    return 2;
  }
  if (o.members < 1 || o.members > 99 || o.seconds < 1 || o.seconds > 86'400 || o.seeds < 1 ||
      o.client_ops_per_second < 0) {
    out << "error: need 1..99 members, 1..86400 seconds, at least one seed, a non-negative client rate\n";
    return 2;
  }
  const auto wall_start = std::chrono::steady_clock::now();
  const auto wall_seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  };

  if (o.paper_table) {
    PaperTableOptions p;
    p.trials = o.trials;
    p.first_seed = o.first_seed;
    p.time_scale = o.time_scale;
    const bool delay_ok = parse_delay(o.paper_delay, p.delay_min_ms, p.delay_max_ms) &&
                          o.time_scale >= 1 && o.time_scale <= 1000 &&
                          p.delay_min_ms * static_cast<double>(o.time_scale) >= 1 &&
                          p.delay_max_ms >= p.delay_min_ms && p.delay_max_ms <= 1000;
    if (o.trials < 1 || !delay_ok) {
      out << "error: the paper table needs at least one trial, a time scale of 1..1000 and a delay "
             "MIN-MAX in ms with MIN <= MAX <= 1000 and MIN at least one tick (1/time scale)\n";
      return 2;
    }
    out << format_paper_table(run_paper_table(p));
    char line[160];
    std::snprintf(line, sizeof line,
                  "paper table: %zu trials per line, time scale %lld, one-way delay %g-%g ms, in %.1f wall "
                  "seconds\n",
                  o.trials, static_cast<long long>(o.time_scale), p.delay_min_ms, p.delay_max_ms, wall_seconds());
    out << line;
    return 0;
  }

  SimConfig base;
  base.members = o.members;
  base.duration_ms = o.seconds * 1000;
  base.planted_bug = *bug;
  base.client_ops_per_second = o.client_ops_per_second;
  base.log_messages = false;  // the event log is not printed here; keep runs fast

  std::size_t runs = 0, failed = 0;
  std::int64_t simulated_ms = 0;
  // What the runs reached, so a reader can tell a clean run from one that
  // never exercised a path.
  std::uint64_t crashes = 0, elections = 0, installs = 0, runs_with_install = 0;
  auto count = [&](const SimResult& r) {
    crashes += r.stats.crashes;
    elections += r.stats.elections_won;
    installs += r.stats.snapshots_installed;
    if (r.stats.snapshots_installed > 0) ++runs_with_install;
  };
  if (!o.schedule_file.empty()) {
    std::ifstream in(o.schedule_file);
    if (!in) {
      out << "error: cannot read schedule file " << o.schedule_file << "\n";
      return 2;
    }
    std::stringstream text;
    text << in.rdbuf();
    ParsedSchedule parsed = parse_schedule(text.str(), base);
    if (!parsed.error.empty()) {
      out << "error: " << o.schedule_file << ": " << parsed.error << "\n";
      return 2;
    }
    SimResult r = run(parsed.config, parsed.schedule);
    runs = 1;
    simulated_ms = r.stats.simulated_ms;
    count(r);
    if (!r.ok()) {
      failed = 1;
      out << "schedule " << o.schedule_file << ": " << r.violations.size() << " violation(s)\n";
      for (const std::string& v : r.violations) out << "  " << v << "\n";
    }
  } else {
    for (std::size_t i = 0; i < o.seeds; ++i) {
      SimConfig c = base;
      c.seed = o.first_seed + i;
      const Schedule s = generate_schedule(c.seed, c.members, c.duration_ms);
      SimResult r = run(c, s);
      ++runs;
      simulated_ms += r.stats.simulated_ms;
      count(r);
      if (!r.ok()) {
        ++failed;
        report_failure(o, c, s, r, true, out);
      }
    }
  }
  const double wall = wall_seconds();
  const double simulated = static_cast<double>(simulated_ms) / 1000.0;
  char line[200];
  std::snprintf(line, sizeof line,
                "summary: %zu run(s), %zu with violations, %.1f simulated s, %.2f wall s, speed-up %.0fx\n",
                runs, failed, simulated, wall, wall > 0 ? simulated / wall : 0.0);
  out << line;
  std::snprintf(line, sizeof line,
                "coverage: %llu crashes, %llu elections won, %llu snapshots installed (in %zu run(s))\n",
                static_cast<unsigned long long>(crashes), static_cast<unsigned long long>(elections),
                static_cast<unsigned long long>(installs), static_cast<std::size_t>(runs_with_install));
  out << line;
  return failed == 0 ? 0 : 1;
}

}  // namespace faultline::sim
