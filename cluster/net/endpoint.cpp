#include "cluster/net/endpoint.hpp"

#include <arpa/inet.h>

#include <charconv>

namespace faultline::net {

std::optional<Endpoint> parse_endpoint(std::string_view text, std::string& error) {
  auto fail = [&] {
    error = "\"" + std::string(text) + "\" is not an IPv4 HOST:PORT such as 10.77.0.11:7000";
    return std::nullopt;
  };
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return fail();
  const std::string host(text.substr(0, colon));
  const std::string_view port_text = text.substr(colon + 1);
  in_addr address{};
  // inet_pton accepts only the four-part dotted decimal form: no names, no
  // shorthand such as "127.1", no leading zeros.
  if (::inet_pton(AF_INET, host.c_str(), &address) != 1) return fail();
  unsigned port = 0;
  const char* end = port_text.data() + port_text.size();
  const auto parsed = std::from_chars(port_text.data(), end, port);
  if (port_text.empty() || parsed.ec != std::errc() || parsed.ptr != end || port > 65535) {
    return fail();
  }
  return Endpoint{host, static_cast<std::uint16_t>(port)};
}

}  // namespace faultline::net
