#include "cluster/mcp/protocol.hpp"

#include <fstream>
#include <random>

namespace faultline::mcp {

const std::vector<std::string>& supported_versions() {
  static const std::vector<std::string> versions{"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"};
  return versions;
}

std::string negotiate_version(const Json& params) {
  if (params.is_object() && params.contains("protocolVersion") && params["protocolVersion"].is_string()) {
    const std::string asked = params["protocolVersion"].get<std::string>();
    for (const auto& v : supported_versions()) {
      if (v == asked) return v;
    }
  }
  return supported_versions().front();
}

std::string new_session_id() {
  unsigned char bytes[16] = {};
  std::ifstream urandom("/dev/urandom", std::ios::binary);
  if (!urandom.read(reinterpret_cast<char*>(bytes), sizeof bytes)) {
    std::random_device device;
    for (auto& b : bytes) b = static_cast<unsigned char>(device());
  }
  static const char* hex = "0123456789abcdef";
  std::string id;
  for (unsigned char b : bytes) {
    id += hex[b >> 4];
    id += hex[b & 15];
  }
  return id;
}

Answer answer_format(const std::string& accept) {
  if (accept.empty()) return Answer::json;
  const bool json = accept.find("application/json") != std::string::npos ||
                    accept.find("*/*") != std::string::npos || accept.find("application/*") != std::string::npos;
  if (json) return Answer::json;
  if (accept.find("text/event-stream") != std::string::npos) return Answer::sse;
  return Answer::unacceptable;
}

std::string sse_event(const std::string& message) { return "event: message\ndata: " + message + "\n\n"; }

}  // namespace faultline::mcp
