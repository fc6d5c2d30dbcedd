// Length-prefixed frames: round trips, frames cut anywhere by the stream,
// torn and oversized frames.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cluster/net/frame.hpp"

namespace faultline::net {
namespace {

std::vector<std::string> read_all(FrameReader& reader, std::string* error = nullptr) {
  std::vector<std::string> frames;
  std::string payload;
  std::string why;
  while (true) {
    const auto next = reader.next(payload, why);
    if (next == FrameReader::Next::frame) {
      frames.push_back(payload);
      continue;
    }
    if (next == FrameReader::Next::error && error != nullptr) *error = why;
    return frames;
  }
}

TEST(Frame, HeaderIsTheBigEndianPayloadLength) {
  std::string out;
  append_frame(out, std::string(258, 'x'));
  ASSERT_EQ(out.size(), 4u + 258u);
  EXPECT_EQ(out.substr(0, 4), std::string("\x00\x00\x01\x02", 4));
}

TEST(Frame, FramesSurviveBeingCutAtEveryByte) {
  const std::vector<std::string> sent = {"first", "", std::string(1000, 'b'), "{\"from\":1}"};
  std::string stream;
  for (const auto& payload : sent) append_frame(stream, payload);
  FrameReader reader;
  std::vector<std::string> got;
  for (char byte : stream) {
    reader.feed(&byte, 1);
    for (auto& frame : read_all(reader)) got.push_back(std::move(frame));
  }
  EXPECT_EQ(got, sent);
  EXPECT_EQ(reader.buffered(), 0u);
}

TEST(Frame, ManyFramesInOneReadComeOutInOrder) {
  std::string stream;
  std::vector<std::string> sent;
  for (int i = 0; i < 500; ++i) {
    sent.push_back("message-" + std::to_string(i));
    append_frame(stream, sent.back());
  }
  FrameReader reader;
  reader.feed(stream.data(), stream.size());
  EXPECT_EQ(read_all(reader), sent);
}

TEST(Frame, ATornFrameWaitsAndLeavesItsBytesBuffered) {
  std::string stream;
  append_frame(stream, "complete");
  append_frame(stream, "torn in the middle");
  stream.resize(stream.size() - 5);
  FrameReader reader;
  reader.feed(stream.data(), stream.size());
  EXPECT_EQ(read_all(reader), std::vector<std::string>{"complete"});
  // At the end of the stream this is what tells a torn frame from a clean end.
  EXPECT_EQ(reader.buffered(), 4u + std::string("torn in the middle").size() - 5);

  FrameReader header_only;
  header_only.feed("\x00\x00", 2);
  EXPECT_TRUE(read_all(header_only).empty());
  EXPECT_EQ(header_only.buffered(), 2u);
}

TEST(Frame, AnOversizedLengthIsAnErrorBeforeItsPayloadArrives) {
  FrameReader reader(1024);
  std::string stream;
  append_frame(stream, std::string(1025, 'x'));
  reader.feed(stream.data(), 4);  // the header alone
  std::string error;
  EXPECT_TRUE(read_all(reader, &error).empty());
  EXPECT_EQ(error, "frame of 1025 bytes exceeds the limit of 1024 bytes");

  FrameReader defaults;
  defaults.feed("\xff\xff\xff\xff", 4);
  error.clear();
  EXPECT_TRUE(read_all(defaults, &error).empty());
  EXPECT_NE(error.find("exceeds the limit"), std::string::npos);
}

TEST(Frame, AFrameAtTheLimitIsAccepted) {
  FrameReader reader(1024);
  std::string stream;
  append_frame(stream, std::string(1024, 'x'));
  reader.feed(stream.data(), stream.size());
  const auto frames = read_all(reader);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].size(), 1024u);
}

}  // namespace
}  // namespace faultline::net
