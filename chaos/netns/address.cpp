#include "chaos/netns/address.hpp"

#include <charconv>

namespace faultline::netns {

std::optional<std::uint32_t> parse_ipv4(std::string_view text) {
  std::uint32_t value = 0;
  std::size_t pos = 0;
  for (int octet = 0; octet < 4; ++octet) {
    if (octet > 0) {
      if (pos >= text.size() || text[pos] != '.') return std::nullopt;
      ++pos;
    }
    const std::size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && pos - start < 3) ++pos;
    if (pos == start) return std::nullopt;
    unsigned part = 0;
    std::from_chars(text.data() + start, text.data() + pos, part);
    if (part > 255) return std::nullopt;
    value = (value << 8) | part;
  }
  if (pos != text.size()) return std::nullopt;
  return value;
}

std::string format_ipv4(std::uint32_t address) {
  return std::to_string(address >> 24) + "." + std::to_string((address >> 16) & 0xff) + "." +
         std::to_string((address >> 8) & 0xff) + "." + std::to_string(address & 0xff);
}

bool is_ipv4(std::string_view text) {
  return parse_ipv4(text).has_value();
}

Subnet24::Parsed Subnet24::parse(std::string_view cidr) {
  Parsed result;
  const std::string shown(cidr);
  const auto slash = cidr.find('/');
  const auto address = parse_ipv4(cidr.substr(0, slash));
  if (slash == std::string_view::npos || !address || cidr.substr(slash + 1) != "24") {
    result.error = "subnet '" + shown + "' is not an IPv4 /24 such as 10.77.0.0/24";
    return result;
  }
  if ((*address & 0xff) != 0) {
    result.error = "subnet '" + shown + "' has a host part; write it as " +
                   format_ipv4(*address & 0xffffff00u) + "/24";
    return result;
  }
  const std::uint32_t a = *address;
  const bool is_private =
      (a >> 24) == 10 || (a >> 20) == ((172u << 4) | 1u) || (a >> 16) == ((192u << 8) | 168u);
  if (!is_private) {
    result.error = "subnet '" + shown +
                   "' is not private; use a /24 inside 10.0.0.0/8, 172.16.0.0/12 or "
                   "192.168.0.0/16";
    return result;
  }
  result.subnet.base = a;
  return result;
}

}  // namespace faultline::netns
