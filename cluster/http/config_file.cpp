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

void parse_listen(const std::string& listen, std::string& host, int& port) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw std::invalid_argument("$.listen must be HOST:PORT");
  host = listen.substr(0, colon);
  port = std::stoi(listen.substr(colon + 1));
  if (host.rfind("127.", 0) != 0) throw std::invalid_argument("$.listen must be a loopback address (127.0.0.0/8)");
}

}  // namespace faultline::http
