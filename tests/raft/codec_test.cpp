#include "cluster/raft/codec.hpp"

#include <gtest/gtest.h>

namespace faultline::raft {
namespace {

TEST(RaftCodec, EveryMessageKindRoundTrips) {
  const std::vector<Message> messages{
      {1, 2, 3, VoteRequest{10, 2}},
      {2, 1, 3, VoteResponse{true}},
      {1, 2, 4, VoteRequest{10, 2, true}},
      {2, 1, 4, VoteResponse{false, true}},
      {2, 1, 4, VoteResponse{false, true, 130}},
      {1, 3, 4,
       AppendRequest{5, 3, {{4, 6, R"({"op":"put","key":"k","value":"v\n\"q\""})"}, {4, 7, ""}}, 5}},
      {3, 1, 4, AppendResponse{false, 0, 2}},
      {3, 1, 18446744073709551615ULL, AppendResponse{true, 7, 0}},
      {1, 2, 4, AppendRequest{5, 3, {}, 5, 9}},
      {2, 1, 4, AppendResponse{true, 5, 0, 9}},
      {1, 2, 4, TimeoutNow{}},
  };
  for (const Message& m : messages) {
    std::string error;
    auto back = decode(encode(m), &error);
    ASSERT_TRUE(back) << error << " in " << encode(m);
    EXPECT_EQ(*back, m);
  }
}

TEST(RaftCodec, FieldsAddedLaterDefaultWhenAbsent) {
  auto vote = decode(R"({"from":1,"to":2,"term":3,"type":"vote_request","last_log_index":4,)"
                     R"("last_log_term":2})");
  ASSERT_TRUE(vote);
  EXPECT_EQ(vote->body, MessageBody(VoteRequest{4, 2, false}));
  auto ack = decode(R"({"from":2,"to":1,"term":3,"type":"append_response","success":true,)"
                    R"("match_index":4,"conflict_hint":0})");
  ASSERT_TRUE(ack);
  EXPECT_EQ(std::get<AppendResponse>(ack->body).read_seq, 0u);
  std::string error;
  EXPECT_FALSE(decode(R"({"from":1,"to":2,"term":3,"type":"vote_request","last_log_index":4,)"
                      R"("last_log_term":2,"pre_vote":"yes"})",
                      &error));
  EXPECT_EQ(error, "vote_request.pre_vote: not a boolean");
}

TEST(RaftCodec, ErrorsNameTheField) {
  std::string error;
  EXPECT_FALSE(decode("not json", &error));
  EXPECT_EQ(error, "message: not valid JSON");
  EXPECT_FALSE(decode(R"({"from":1,"to":2,"term":1,"type":"gossip"})", &error));
  EXPECT_EQ(error, "message.type: unknown type 'gossip'");
  EXPECT_FALSE(decode(
      R"({"from":1,"to":2,"term":1,"type":"append_request","prev_index":0,"prev_term":0,)"
      R"("leader_commit":0,"entries":[{"term":1,"index":1}]})",
      &error));
  EXPECT_EQ(error, "append_request.entries[0].command: missing");
  EXPECT_FALSE(decode(R"({"from":-1,"to":2,"term":1,"type":"vote_response","granted":true})",
                      &error));
  EXPECT_EQ(error, "message.from: not an unsigned integer");
  EXPECT_FALSE(decode(R"({"from":5000000000,"to":2,"term":1,"type":"vote_response","granted":true})"));
}

}  // namespace
}  // namespace faultline::raft
