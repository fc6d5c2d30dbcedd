#include "chaos/process/cleanup_stack.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace faultline::process {
namespace {

TEST(CleanupStack, RunsNewestFirstAndEachOnce) {
  std::vector<std::string> order;
  CleanupStack stack;
  stack.push("a", [&] { order.push_back("a"); return std::string(); });
  stack.push("b", [&] { order.push_back("b"); return std::string(); });
  stack.push("c", [&] { order.push_back("c"); return std::string(); });
  EXPECT_EQ(stack.pending(), 3u);
  EXPECT_TRUE(stack.run_all().empty());
  EXPECT_EQ(order, (std::vector<std::string>{"c", "b", "a"}));
  EXPECT_EQ(stack.pending(), 0u);
  EXPECT_TRUE(stack.run_all().empty());
  EXPECT_EQ(order.size(), 3u);
}

TEST(CleanupStack, RunOneAndDiscardRemoveFromPending) {
  std::vector<std::string> order;
  CleanupStack stack;
  const auto a = stack.push("a", [&] { order.push_back("a"); return std::string(); });
  const auto b = stack.push("b", [&] { order.push_back("b"); return std::string(); });
  stack.push("c", [&] { order.push_back("c"); return std::string(); });
  EXPECT_EQ(stack.run_one(a), "");
  EXPECT_NE(stack.run_one(a), "");  // already run
  EXPECT_TRUE(stack.discard(b));
  EXPECT_FALSE(stack.discard(b));
  EXPECT_NE(stack.run_one(99), "");
  EXPECT_TRUE(stack.run_all().empty());
  EXPECT_EQ(order, (std::vector<std::string>{"a", "c"}));
}

TEST(CleanupStack, FailuresAreReportedAndDoNotStopTheOthers) {
  int ran = 0;
  CleanupStack stack;
  stack.push("first", [&] { ++ran; return std::string(); });
  stack.push("throws", [&]() -> std::string { ++ran; throw std::runtime_error("boom"); });
  stack.push("fails", [&] { ++ran; return std::string("rule not found"); });
  const auto errors = stack.run_all();
  EXPECT_EQ(ran, 3);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0], "fails: rule not found");
  EXPECT_EQ(errors[1], "throws: threw: boom");
}

TEST(CleanupStack, DestructorRunsWhatIsPending) {
  int ran = 0;
  {
    CleanupStack stack;
    stack.push("x", [&] { ++ran; return std::string(); });
    stack.push("y", [&] { ++ran; return std::string(); });
  }
  EXPECT_EQ(ran, 2);
}

}  // namespace
}  // namespace faultline::process
