// What a helper process group uses, read from /proc: how a resource fault
// (cpu, memory) journals the load it achieved rather than the load it asked.
//
// Thread-safety: pure reads of /proc.
#pragma once

#include <cstdint>
#include <vector>

namespace faultline::faults {

struct GroupUsage {
  std::vector<int> pids;         // live members of the process group (not zombies)
  double cpu_seconds = 0;        // user + system time, summed
  std::uint64_t rss_bytes = 0;   // resident memory, summed
};

// Every process whose process group is `pgid` (a zombie counts its CPU time).
GroupUsage group_usage(int pgid);

// The host's 1-minute load average, and the memory it has available (kB).
double load_average();
std::uint64_t mem_available_kb();

}  // namespace faultline::faults
