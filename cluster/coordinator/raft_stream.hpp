// The wire format of a Raft stream between two coordinators, one direction:
// a TCP connection from the sender to the receiver's `raft_listen` address
// carrying length-prefixed frames (cluster/net/frame.hpp). The first frame is
// a hello, every later frame one Raft message in the codec's JSON
// (cluster/raft/codec.hpp). Nothing ever flows back: Raft messages are
// one-way, and answers travel on the other member's own stream.
//
//   hello: {"stream":"faultline-raft","version":1,"from":1,"to":2,"token":"..."}
//
// `to` lets a receiver refuse a connection meant for another member (a wrong
// address in a config). `token` is the cluster token (systemConfig.cluster.token),
// absent when the member has none; a receiver that has one closes a
// connection whose hello does not carry the same (raft_listener.hpp).
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cluster/raft/types.hpp"

namespace faultline::coordinator {

struct Hello {
  std::uint32_t from = 0;
  std::uint32_t to = 0;
  std::string token;  // empty: none sent
  friend bool operator==(const Hello&, const Hello&) = default;
};

// The framed hello, ready to write.
std::string hello_frame(const Hello& hello);
// A hello frame's payload; nullopt with `error` when it is not one.
std::optional<Hello> decode_hello(std::string_view payload, std::string& error);

// The framed message, ready to write.
std::string message_frame(const raft::Message& message);
// A message frame's payload on the stream that `hello` opened; nullopt with
// `error` when it does not decode or does not travel from hello.from to
// hello.to.
std::optional<raft::Message> decode_message(std::string_view payload, const Hello& hello,
                                            std::string& error);

}  // namespace faultline::coordinator
