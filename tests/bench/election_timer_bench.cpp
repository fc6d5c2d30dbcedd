// The two election timers (raft::ElectionTimer) in the simulator: the time
// from a leader's crash until a member leads a higher term, over many seeds,
// with the leader-kill benchmark's timing (3 members, [250, 500], heartbeat
// 50 ms, pre-vote and check-quorum on, 500 proposals a second, 0-1 ms links).
// What 20 real trials cannot settle (a p50 within some tens of ms), 1,000
// simulated ones can; the real runs are scripts/bench-etcd-vs-embedded.sh.
//
//   election_timer_bench [SEEDS=1000]
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "cluster/sim/simulator.hpp"

namespace {

using namespace faultline;

std::vector<std::int64_t> recoveries(raft::ElectionTimer timer, std::uint64_t seeds, int& violations) {
  std::vector<std::int64_t> out;
  for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
    sim::SimConfig c;
    c.seed = seed;
    c.members = 3;
    c.election_timeout_min_ms = 250;
    c.election_timeout_max_ms = 500;
    c.heartbeat_ms = 50;
    c.election_timer = timer;
    c.client_ops_per_second = 500;
    c.network = sim::LinkParams{0, 1, 0, 0};
    c.log_messages = false;
    c.check_every_ms = 100;
    c.compact_every = 0;
    c.stop_after_recoveries = 1;
    c.duration_ms = 8000;
    sim::Schedule schedule;
    sim::Action crash;
    crash.kind = sim::ActionKind::crash_leader;
    crash.at_ms = 3000 + static_cast<std::int64_t>(seed * 7 % 50);  // anywhere between two heartbeats
    schedule.actions.push_back(crash);
    const sim::SimResult r = sim::run(c, schedule);
    if (!r.ok()) ++violations;
    if (!r.stats.leader_recovery_ms.empty()) out.push_back(r.stats.leader_recovery_ms.front());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t seeds = argc > 1 ? std::stoull(argv[1]) : 1000;
  std::printf("ms from the leader's crash to a leader of a higher term, %llu seeds each\n",
              static_cast<unsigned long long>(seeds));
  std::printf("  %-6s %6s %6s %6s %6s %6s %6s\n", "timer", "runs", "min", "p50", "p90", "p99", "max");
  for (auto timer : {raft::ElectionTimer::wall, raft::ElectionTimer::ticks}) {
    int violations = 0;
    const auto v = recoveries(timer, seeds, violations);
    if (v.empty()) {
      std::printf("  %-6s no recovery\n", std::string(raft::to_string(timer)).c_str());
      continue;
    }
    auto at = [&](double p) { return static_cast<long long>(v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))]); };
    std::printf("  %-6s %6zu %6lld %6lld %6lld %6lld %6lld%s\n", std::string(raft::to_string(timer)).c_str(), v.size(),
                static_cast<long long>(v.front()), at(0.5), at(0.9), at(0.99), static_cast<long long>(v.back()),
                violations ? "  SAFETY VIOLATIONS" : "");
  }
  return 0;
}
