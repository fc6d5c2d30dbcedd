// Simulator throughput: simulated seconds per wall-clock second, 5 members,
// 1,000 client proposals per simulated second, no faults, one core.
//
//   sim_bench [SIMULATED_SECONDS=10] [CHECK_EVERY_MS=1000] [RUNS=20]
// CHECK_EVERY_MS is the cadence of the full raft::SafetyMonitor observation
// (its cost grows with the log); the per-apply agreement check always runs.
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

#include "cluster/sim/simulator.hpp"

int main(int argc, char** argv) {
  using namespace faultline::sim;
  const std::int64_t seconds = argc > 1 ? std::stoll(argv[1]) : 10;
  const std::int64_t check_every = argc > 2 ? std::stoll(argv[2]) : 1000;
  // 20 runs: 200 simulated s, long enough (about 0.2 wall s) that the
  // clock's resolution and the start-up do not show in the ratio.
  const int runs = argc > 3 ? std::stoi(argv[3]) : 20;
  double simulated = 0;
  std::uint64_t committed = 0;
  std::uint64_t messages = 0;
  const auto start = std::chrono::steady_clock::now();
  // CPU time too: on a shared machine the wall clock also counts the time
  // other processes held this core, the CPU time does not.
  const std::clock_t cpu_start = std::clock();
  for (int i = 0; i < runs; ++i) {
    SimConfig c;
    c.seed = static_cast<std::uint64_t>(i + 1);
    c.members = 5;
    c.duration_ms = seconds * 1000;
    c.client_ops_per_second = 1000;
    c.check_every_ms = check_every;
    c.log_messages = false;
    const SimResult r = run(c, Schedule{});
    if (!r.ok()) {
      std::printf("violation: %s\n", r.violations.front().c_str());
      return 1;
    }
    simulated += static_cast<double>(r.stats.simulated_ms) / 1000.0;
    committed += r.stats.committed;
    messages += r.stats.messages_sent;
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  std::printf("sim_bench: 5 members, 1000 ops/s, check every %lld ms: %.0f simulated s in %.2f wall s = %.0fx "
              "(CPU %.2f s = %.0fx; %llu entries committed, %.1f messages per simulated ms)\n",
              static_cast<long long>(check_every), simulated, wall, simulated / wall, cpu, simulated / cpu,
              static_cast<unsigned long long>(committed), static_cast<double>(messages) / (simulated * 1000.0));
  return 0;
}
