#include "cluster/store/kv_state_machine.hpp"

#include <gtest/gtest.h>

namespace faultline::store {
namespace {

TEST(KvStateMachine, PutThenGetThroughTheLog) {
  KvStateMachine kv;
  EXPECT_EQ(kv.apply({1, 1, ""}), R"({"ok":true})");
  EXPECT_EQ(kv.apply({1, 2, R"({"op":"get","key":"k"})"}), R"({"found":false,"ok":true})");
  EXPECT_EQ(kv.apply({1, 3, R"({"op":"put","key":"k","value":"v1"})"}), R"({"ok":true})");
  EXPECT_EQ(kv.apply({1, 4, R"({"op":"put","key":"k","value":"v2"})"}), R"({"ok":true})");
  EXPECT_EQ(kv.apply({1, 5, R"({"op":"get","key":"k"})"}),
            R"({"found":true,"ok":true,"value":"v2"})");
  EXPECT_EQ(kv.get("k"), "v2");
  EXPECT_EQ(kv.get("missing"), std::nullopt);
  EXPECT_EQ(kv.last_applied(), 5u);
}

TEST(KvStateMachine, MalformedCommandsFailButConsumeTheirIndex) {
  KvStateMachine kv;
  EXPECT_EQ(kv.apply({1, 1, "not json"}),
            R"({"error":"command is not a JSON object","ok":false})");
  EXPECT_NE(kv.apply({1, 2, R"({"op":"put","key":"k"})"}).find("command.value"),
            std::string::npos);
  EXPECT_NE(kv.apply({1, 3, R"({"op":"cas","key":"k"})"}).find("unknown op 'cas'"),
            std::string::npos);
  EXPECT_EQ(kv.last_applied(), 3u);
  EXPECT_TRUE(kv.data().empty());
}

TEST(KvStateMachine, ReappliedEntryIsRefusedWithoutEffect) {
  KvStateMachine kv;
  kv.apply({1, 1, R"({"op":"put","key":"k","value":"new"})"});
  EXPECT_NE(kv.apply({1, 1, R"({"op":"put","key":"k","value":"old"})"}).find("already applied"),
            std::string::npos);
  EXPECT_EQ(kv.get("k"), "new");
}

}  // namespace
}  // namespace faultline::store
