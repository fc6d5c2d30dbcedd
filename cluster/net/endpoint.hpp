// An IPv4 TCP address as the reference cluster's configs write it:
// "HOST:PORT" with HOST a dotted quad ("10.77.0.11:7000", "127.0.0.1:0").
//
// Members bind exactly the address they are given and advertise it, so HOST
// is an address, never a name to resolve. Port 0 means "any free port" and
// only makes sense for a listening address.
//
// Thread-safety: values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace faultline::net {

struct Endpoint {
  std::string host;        // dotted quad
  std::uint16_t port = 0;  // 0: any free port (when listening)

  std::string to_string() const { return host + ":" + std::to_string(port); }
  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

// nullopt with `error` set when `text` is not "A.B.C.D:PORT" (each part
// 0-255, PORT 0-65535, nothing else): the error quotes the text and shows
// the expected shape, for the caller to prefix with where it came from.
std::optional<Endpoint> parse_endpoint(std::string_view text, std::string& error);

}  // namespace faultline::net
