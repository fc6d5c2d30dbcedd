// probe(): can this process build a fabric of network namespaces?
//
// It creates a throw-away namespace and runs each tool the fabric needs
// inside it (`ip`, `nft`, `tc`), so a yes means the whole kernel side works
// here: privileges, binaries and kernel support (nf_tables, tbf). A no
// carries a reason a user can act on. The runner calls it once per run and
// falls back to proxies alone when it says no.
//
// The environment switch FAULTLINE_NETNS=off makes probe() say no without
// trying, so the proxy-only fallback can be exercised on a privileged
// machine. Any other value, or none, probes for real.
//
// Thread-safety: may be called from any thread; it touches no thread's
// namespace but its own short-lived ones. It takes tens of milliseconds.
#pragma once

#include <string>

namespace faultline::netns {

struct ProbeResult {
  bool available = false;
  std::string reason;  // why not, when !available: what is missing and what to do
};

ProbeResult probe();

// The part of probe() that reads the switch: true when `value` (the content
// of FAULTLINE_NETNS, null when unset) turns network namespaces off.
bool switched_off(const char* value);

// The Debian package that provides `program` (ip and tc: iproute2, nft:
// nftables), for messages about a missing binary.
std::string debian_package_of(const std::string& program);

}  // namespace faultline::netns
