#include "cluster/http/config_file.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace faultline::http {

std::optional<nlohmann::json> read_config_object(const std::string& file, const std::string& what,
                                                 std::string& error) {
  std::ifstream in(file);
  if (!in) {
    error = file + ": cannot read the " + what + " config";
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto json = nlohmann::json::parse(text.str(), nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    error = file + ": not a JSON object";
    return std::nullopt;
  }
  return json;
}

net::Endpoint parse_address(const nlohmann::json& value, const std::string& path, AddressUse use) {
  if (value.is_null()) throw std::invalid_argument(path + " is missing (an IPv4 \"HOST:PORT\")");
  if (!value.is_string()) throw std::invalid_argument(path + " must be a string \"HOST:PORT\"");
  std::string error;
  const auto endpoint = net::parse_endpoint(value.get<std::string>(), error);
  if (!endpoint) throw std::invalid_argument(path + ": " + error);
  if (endpoint->host == "0.0.0.0") {
    throw std::invalid_argument(path + ": 0.0.0.0 would bind every interface; give the member's own "
                                "address (127.0.0.1, or its address in its network namespace)");
  }
  if (use == AddressUse::connect && endpoint->port == 0) {
    throw std::invalid_argument(path + ": port 0 cannot be connected to; give the port the member listens on");
  }
  return *endpoint;
}

}  // namespace faultline::http
