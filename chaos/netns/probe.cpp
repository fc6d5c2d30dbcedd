#include "chaos/netns/probe.hpp"

#include <cstdlib>
#include <string_view>

#include "chaos/netns/command.hpp"
#include "chaos/netns/namespace.hpp"

namespace faultline::netns {

bool switched_off(const char* value) {
  return value != nullptr && std::string_view(value) == "off";
}

std::string debian_package_of(const std::string& program) {
  if (program == "nft") return "nftables";
  if (program == "ip" || program == "tc") return "iproute2";
  return "";
}

ProbeResult probe() {
  ProbeResult result;
  if (switched_off(std::getenv("FAULTLINE_NETNS"))) {
    result.reason = "network namespaces are switched off (FAULTLINE_NETNS=off)";
    return result;
  }
  for (const char* program : {"ip", "nft", "tc"}) {
    if (find_program(program).empty()) {
      result.reason = std::string("'") + program + "' is not installed: apt-get install " +
                      debian_package_of(program);
      return result;
    }
  }
  auto created = Namespace::create("probe");
  if (!created.ok()) {
    result.reason = created.error;
    return result;
  }
  const Namespace& ns = created.ns;
  const Command checks[] = {
      {{"ip", "-batch", "-"}, "link set lo up\n", std::chrono::milliseconds(5000)},
      {{"nft", "-f", "-"},
       "table inet faultline_probe {\n  chain output { type filter hook output priority 0; "
       "ct original ip daddr 127.0.0.2 drop; }\n}\ndelete table inet faultline_probe\n",
       std::chrono::milliseconds(5000)},
      {{"tc", "qdisc", "replace", "dev", "lo", "root", "tbf", "rate", "8mbit", "burst", "16kb",
        "latency", "50ms"},
       "",
       std::chrono::milliseconds(5000)},
  };
  for (const auto& check : checks) {
    const auto ran = run_command(&ns, check);
    if (!ran.ok()) {
      result.reason = "the kernel tools do not work in a network namespace here: " + ran.error;
      return result;
    }
  }
  result.available = true;
  return result;
}

}  // namespace faultline::netns
