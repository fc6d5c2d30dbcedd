#include "cluster/coordinator/raft_stream.hpp"

#include <nlohmann/json.hpp>

#include "cluster/net/frame.hpp"
#include "cluster/raft/codec.hpp"

namespace faultline::coordinator {

namespace {
constexpr const char* kStreamName = "faultline-raft";
constexpr int kVersion = 1;
}  // namespace

std::string hello_frame(const Hello& hello) {
  nlohmann::json json{{"stream", kStreamName}, {"version", kVersion}, {"from", hello.from}, {"to", hello.to}};
  if (!hello.token.empty()) json["token"] = hello.token;
  std::string frame;
  net::append_frame(frame, json.dump());
  return frame;
}

std::optional<Hello> decode_hello(std::string_view payload, std::string& error) {
  const auto json = nlohmann::json::parse(payload, nullptr, false);
  if (!json.is_object() || json.value("stream", "") != kStreamName) {
    error = "the first frame is not a faultline-raft hello";
    return std::nullopt;
  }
  if (!json.contains("version") || !json["version"].is_number_integer() ||
      json["version"].get<int>() != kVersion) {
    error = "hello of an unknown stream version (this member speaks version " +
            std::to_string(kVersion) + ")";
    return std::nullopt;
  }
  for (const char* field : {"from", "to"}) {
    if (!json.contains(field) || !json[field].is_number_unsigned() || json[field].get<std::uint64_t>() == 0 ||
        json[field].get<std::uint64_t>() > UINT32_MAX) {
      error = std::string("hello.") + field + " must be a member id (a positive integer)";
      return std::nullopt;
    }
  }
  Hello hello{json["from"].get<std::uint32_t>(), json["to"].get<std::uint32_t>(), ""};
  if (json.contains("token")) {
    if (!json["token"].is_string()) {
      error = "hello.token must be a string";
      return std::nullopt;
    }
    hello.token = json["token"].get<std::string>();
  }
  return hello;
}

std::string message_frame(const raft::Message& message) {
  std::string frame;
  net::append_frame(frame, raft::encode(message));
  return frame;
}

std::optional<raft::Message> decode_message(std::string_view payload, const Hello& hello,
                                            std::string& error) {
  std::string why;
  auto message = raft::decode(payload, &why);
  if (!message) {
    error = "a frame that is not a Raft message (" + why + ")";
    return std::nullopt;
  }
  if (message->from != hello.from || message->to != hello.to) {
    error = "a message from " + std::to_string(message->from) + " to " + std::to_string(message->to) +
            " on the stream from " + std::to_string(hello.from) + " to " + std::to_string(hello.to);
    return std::nullopt;
  }
  return message;
}

}  // namespace faultline::coordinator
