// The JSON config file of a cluster process (coordinator, worker): reading it
// and its `listen` address, with one wording of errors for both.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace faultline::http {

// The file as a JSON object, or nullopt with `error` set to
// "<file>: cannot read the <what> config" or "<file>: not a JSON object".
std::optional<nlohmann::json> read_config_object(const std::string& file, const std::string& what,
                                                 std::string& error);

// Splits a `listen` setting, "HOST:PORT" on loopback (127.0.0.0/8): the
// reference cluster never listens anywhere else. Throws std::invalid_argument
// ("$.listen must be ...") otherwise.
void parse_listen(const std::string& listen, std::string& host, int& port);

}  // namespace faultline::http
