// The `tc` command lines for a member's bandwidth: a token bucket filter
// (tbf) as the root qdisc of a link's egress. Pure; thread-safe.
//
// tbf shapes what leaves the link, so on a member's eth0 it bounds everything
// the member sends — to peers, clients and the observer alike — and nothing it
// receives. The bucket holds the larger of 10 ms of traffic and 32 KiB, so a
// burst never exceeds that; queued packets wait at most 100 ms (beyond that
// tbf drops, and TCP slows down as on a real congested link). The rate
// counts bytes on the wire, headers included: a bulk TCP transfer's payload
// gets about 96 % of it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace faultline::netns {

struct TcInvocation {
  std::vector<std::string> argv;
  std::string stdin_text;
  std::string error;  // non-empty when the request is invalid (then argv is empty)
  bool ok() const { return error.empty(); }
};

inline constexpr std::uint64_t kMinBandwidth = 1'000;              // bytes per second
inline constexpr std::uint64_t kMaxBandwidth = 10'000'000'000ull;  // 80 Gbit/s

// `tc qdisc replace dev DEV root tbf rate ...bit burst ... latency 100ms`.
TcInvocation tbf_command(const std::string& device, std::uint64_t bytes_per_second);

// Back to the link's default qdisc, idempotently: a batch that replaces the
// root with pfifo and deletes it (deleting alone fails when nothing is set).
TcInvocation clear_qdisc_command(const std::string& device);

}  // namespace faultline::netns
