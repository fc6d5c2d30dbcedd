// IPv4 addresses of the fabric: parsing, formatting and the one private /24
// every run takes its addresses from.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace faultline::netns {

// "10.77.0.11" -> host-order value; nullopt unless four dotted decimal
// octets 0-255 (no leading '+', no spaces, no shorthand like "10.1").
std::optional<std::uint32_t> parse_ipv4(std::string_view text);
std::string format_ipv4(std::uint32_t address);
bool is_ipv4(std::string_view text);

// A /24 inside the private ranges (10/8, 172.16/12, 192.168/16), so that no
// address of a run can name a machine anywhere else.
struct Subnet24 {
  std::uint32_t base = 0;  // host part zero

  // Accepts "A.B.C.0/24". The error says what is wrong and what is allowed.
  struct Parsed;
  static Parsed parse(std::string_view cidr);

  // The address with host part `host` (1..254).
  std::string host(int host_part) const {
    return format_ipv4(base | static_cast<std::uint32_t>(host_part));
  }
  std::string cidr() const { return format_ipv4(base) + "/24"; }
};

struct Subnet24::Parsed {
  Subnet24 subnet;
  std::string error;  // non-empty when `cidr` was refused
  bool ok() const { return error.empty(); }
};

}  // namespace faultline::netns
