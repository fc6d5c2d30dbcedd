#include "chaos/faults/proc_usage.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace faultline::faults {

GroupUsage group_usage(int pgid) {
  GroupUsage usage;
  const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(::sysconf(_SC_PAGESIZE));
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "stat");
    std::string line;
    if (!std::getline(in, line)) continue;
    // The command may hold spaces and parentheses: fields follow the last ')'.
    const auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream fields(line.substr(close + 2));
    std::vector<std::string> f;
    for (std::string v; fields >> v;) f.push_back(v);
    // f[0] is field 3 (state): pgrp is field 5, utime 14, stime 15, rss 24.
    if (f.size() < 22) continue;
    try {
      if (std::stoi(f[2]) != pgid) continue;
      if (f[0] != "Z") usage.pids.push_back(std::stoi(name));
      usage.cpu_seconds += (std::stod(f[11]) + std::stod(f[12])) / ticks;
      usage.rss_bytes += static_cast<std::uint64_t>(std::stod(f[21]) * page);
    } catch (const std::exception&) {
    }
  }
  return usage;
}

double load_average() {
  std::ifstream in("/proc/loadavg");
  double one = 0;
  in >> one;
  return one;
}

std::uint64_t mem_available_kb() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  std::uint64_t value = 0;
  std::string unit;
  while (in >> key >> value >> unit) {
    if (key == "MemAvailable:") return value;
  }
  return 0;
}

}  // namespace faultline::faults
