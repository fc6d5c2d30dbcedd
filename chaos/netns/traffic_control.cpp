#include "chaos/netns/traffic_control.hpp"

#include <algorithm>

namespace faultline::netns {

TcInvocation tbf_command(const std::string& device, std::uint64_t bytes_per_second) {
  TcInvocation tc;
  if (bytes_per_second < kMinBandwidth || bytes_per_second > kMaxBandwidth) {
    tc.error = "bandwidth " + std::to_string(bytes_per_second) +
               " bytes/s is outside the supported range " + std::to_string(kMinBandwidth) + ".." +
               std::to_string(kMaxBandwidth) + " bytes/s";
    return tc;
  }
  const std::uint64_t burst = std::max<std::uint64_t>(bytes_per_second / 100, 32 * 1024);
  // "bit" is unambiguous; tc's "bps" means bytes per second.
  tc.argv = {"tc",
             "qdisc",
             "replace",
             "dev",
             device,
             "root",
             "tbf",
             "rate",
             std::to_string(bytes_per_second * 8) + "bit",
             "burst",
             std::to_string(burst),
             "latency",
             "100ms"};
  return tc;
}

TcInvocation clear_qdisc_command(const std::string& device) {
  TcInvocation tc;
  tc.argv = {"tc", "-batch", "-"};
  tc.stdin_text =
      "qdisc replace dev " + device + " root pfifo\nqdisc del dev " + device + " root\n";
  return tc;
}

}  // namespace faultline::netns
