// The JSON config file of a cluster process (coordinator, worker): reading it
// and its addresses, with one wording of errors for both.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "cluster/net/endpoint.hpp"

namespace faultline::http {

// The file as a JSON object, or nullopt with `error` set to
// "<file>: cannot read the <what> config" or "<file>: not a JSON object".
std::optional<nlohmann::json> read_config_object(const std::string& file, const std::string& what,
                                                 std::string& error);

enum class AddressUse {
  listen,   // this process binds it: port 0 (any free port) is allowed
  connect,  // another process's address: a real port is needed
};

// The IPv4 "HOST:PORT" in `value`, found at JSON path `path` ("$.listen",
// "$.members[1].raft"; null when the field is absent). Any IPv4 address is accepted (members live on
// loopback or on their own addresses in their network namespaces) except
// 0.0.0.0: a member binds and is reached at one address of its own, never
// every interface. Throws std::invalid_argument with a message that starts
// with `path` and says what is expected.
net::Endpoint parse_address(const nlohmann::json& value, const std::string& path, AddressUse use);

}  // namespace faultline::http
