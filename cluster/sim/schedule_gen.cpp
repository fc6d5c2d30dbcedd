// Random schedules from one seed (the CLI's `--seeds` runs use these).
#include <algorithm>
#include <random>

#include "cluster/sim/schedule.hpp"

namespace faultline::sim {

std::vector<Link> split_links(const std::vector<raft::NodeId>& side, std::size_t members) {
  std::vector<Link> cut;
  for (raft::NodeId a = 1; a <= members; ++a) {
    for (raft::NodeId b = 1; b <= members; ++b) {
      const bool in_a = std::find(side.begin(), side.end(), a) != side.end();
      const bool in_b = std::find(side.begin(), side.end(), b) != side.end();
      if (a != b && in_a != in_b) cut.emplace_back(a, b);
    }
  }
  return cut;
}

Schedule generate_schedule(std::uint64_t seed, std::size_t members, std::int64_t duration_ms) {
  // A stream of its own, so the schedule does not depend on how the run uses the seed.
  std::mt19937_64 rng(seed ^ 0x5CED01E5CED01E5ULL);
  auto pick = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  auto member = [&] { return static_cast<raft::NodeId>(pick(1, static_cast<std::int64_t>(members))); };
  Schedule s;
  std::int64_t t = pick(200, 1000);
  // Leave the last second fault-free so a run ends with a healed cluster.
  const std::int64_t last = duration_ms - 1000;
  while (t < last && s.actions.size() < 64) {
    Action a;
    a.at_ms = t;
    switch (pick(0, 13)) {
      case 0:
      case 1:
        a.kind = ActionKind::crash_leader;
        break;
      case 2:
        a.kind = ActionKind::crash;
        a.member = member();
        break;
      case 3:
      case 4:
        a.kind = ActionKind::restart_all;
        break;
      case 5:
      case 6:
      case 7: {
        // Partitions weigh most: a member cut off while others commit, then
        // moved to the majority side, is what exposes election bugs.
        a.kind = ActionKind::partition;
        std::vector<raft::NodeId> side;
        for (raft::NodeId m = 1; m <= members; ++m) {
          if (pick(0, 1) == 1) side.push_back(m);
        }
        a.cut = split_links(side, members);
        if (pick(0, 3) == 0) {  // one-way: keep only the links leaving `side`
          std::erase_if(a.cut, [&](const Link& l) {
            return std::find(side.begin(), side.end(), l.first) == side.end();
          });
        }
        break;
      }
      case 8:
        a.kind = ActionKind::isolate_leader;
        break;
      case 9:
        a.kind = ActionKind::heal;
        break;
      case 10:
        a.kind = ActionKind::drop;
        a.a = pick(0, 300);
        break;
      case 11:
        // Duplication and reordering: both break the FIFO links a real
        // transport gives, which the replication path must tolerate.
        if (pick(0, 1) == 0) {
          a.kind = ActionKind::duplicate;
          a.a = pick(0, 100);
        } else {
          a.kind = ActionKind::reorder;
          a.a = pick(0, 1000);
        }
        break;
      case 12:
        a.kind = ActionKind::slow;
        a.member = member();
        a.a = pick(1, 20);
        a.b = a.a + pick(0, 80);
        break;
      default:
        a.kind = ActionKind::drift;
        a.member = member();
        a.a = pick(-200'000, 200'000);
        break;
    }
    s.actions.push_back(std::move(a));
    t += pick(20, 800);
  }
  Action heal;
  heal.at_ms = std::max<std::int64_t>(0, last);
  s.actions.push_back(heal);
  Action restart;
  restart.at_ms = heal.at_ms;
  restart.kind = ActionKind::restart_all;
  s.actions.push_back(restart);
  return s;
}

}  // namespace faultline::sim
