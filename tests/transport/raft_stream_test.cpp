// The Raft stream's wire format: the hello and the message frames.
#include <gtest/gtest.h>

#include "cluster/coordinator/raft_stream.hpp"
#include "cluster/net/frame.hpp"
#include "cluster/raft/codec.hpp"

namespace faultline::coordinator {
namespace {

std::string payload_of(const std::string& frame) {
  net::FrameReader reader;
  reader.feed(frame.data(), frame.size());
  std::string payload;
  std::string error;
  EXPECT_EQ(reader.next(payload, error), net::FrameReader::Next::frame) << error;
  EXPECT_EQ(reader.buffered(), 0u);
  return payload;
}

TEST(RaftStream, HelloRoundTrips) {
  std::string error;
  const auto hello = decode_hello(payload_of(hello_frame(Hello{3, 7, ""})), error);
  ASSERT_TRUE(hello.has_value()) << error;
  EXPECT_EQ(*hello, (Hello{3, 7, ""}));
  // The cluster token travels in it when the member has one.
  const auto with_token = decode_hello(payload_of(hello_frame(Hello{3, 7, "0123456789abcdef"})), error);
  ASSERT_TRUE(with_token.has_value()) << error;
  EXPECT_EQ(with_token->token, "0123456789abcdef");
  EXPECT_FALSE(decode_hello(R"({"stream":"faultline-raft","version":1,"from":1,"to":2,"token":5})", error));
  EXPECT_EQ(error, "hello.token must be a string");
}

TEST(RaftStream, AHelloMustBeOursInOurVersionWithMemberIds) {
  const auto refusal = [](const std::string& payload) {
    std::string error;
    EXPECT_FALSE(decode_hello(payload, error).has_value()) << payload;
    return error;
  };
  EXPECT_EQ(refusal("GET / HTTP/1.1"), "the first frame is not a faultline-raft hello");
  EXPECT_EQ(refusal(R"({"stream":"other","version":1,"from":1,"to":2})"),
            "the first frame is not a faultline-raft hello");
  EXPECT_NE(refusal(R"({"stream":"faultline-raft","version":2,"from":1,"to":2})").find("unknown stream version"),
            std::string::npos);
  EXPECT_EQ(refusal(R"({"stream":"faultline-raft","version":1,"from":0,"to":2})"),
            "hello.from must be a member id (a positive integer)");
  EXPECT_EQ(refusal(R"({"stream":"faultline-raft","version":1,"from":1})"),
            "hello.to must be a member id (a positive integer)");
}

TEST(RaftStream, MessagesRoundTripOnTheirOwnStreamOnly) {
  raft::Message message;
  message.from = 1;
  message.to = 2;
  message.term = 5;
  raft::AppendRequest append;
  append.prev_index = 7;
  append.prev_term = 4;
  append.entries.push_back(raft::Entry{5, 8, R"({"op":"put","key":"k","value":"v"})"});
  append.leader_commit = 6;
  message.body = append;
  const std::string payload = payload_of(message_frame(message));
  EXPECT_EQ(payload, raft::encode(message));

  std::string error;
  const auto decoded = decode_message(payload, Hello{1, 2, ""}, error);
  ASSERT_TRUE(decoded.has_value()) << error;
  EXPECT_EQ(*decoded, message);

  EXPECT_FALSE(decode_message(payload, Hello{3, 2, ""}, error).has_value());
  EXPECT_EQ(error, "a message from 1 to 2 on the stream from 3 to 2");
  EXPECT_FALSE(decode_message("{not json", Hello{1, 2, ""}, error).has_value());
  EXPECT_NE(error.find("a frame that is not a Raft message"), std::string::npos);
}

}  // namespace
}  // namespace faultline::coordinator
