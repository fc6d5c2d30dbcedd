// The locator: which line a JSON path starts on in raw text.
#include "drills/plan/locate.hpp"

#include <gtest/gtest.h>

namespace faultline::plan {
namespace {

JsonPath p(std::initializer_list<PathStep> steps) {
  return JsonPath(steps);
}

const std::string kText = R"({
  "a": {
    "b":
      7,
    "c": [ 1,
           {"d": "x\"}]"},
           [2, 3] ]
  },
  "e\u0041": "\n",
  "dup": 1,
  "dup": 2
})";

TEST(Locate, FindsKeysAndElements) {
  EXPECT_EQ(locate_line(kText, p({})), 1);
  EXPECT_EQ(locate_line(kText, p({std::string("a")})), 2);
  EXPECT_EQ(locate_line(kText, p({std::string("a"), std::string("b")})), 3);  // the key's line
  EXPECT_EQ(locate_line(kText, p({std::string("a"), std::string("c"), std::size_t{0}})), 5);
  EXPECT_EQ(
      locate_line(kText, p({std::string("a"), std::string("c"), std::size_t{1}, std::string("d")})),
      6);
  EXPECT_EQ(locate_line(kText, p({std::string("a"), std::string("c"), std::size_t{2}})), 7);
}

TEST(Locate, SkipsStringsWithBracketsAndDecodesEscapedKeys) {
  EXPECT_EQ(locate_line(kText, p({std::string("eA")})), 9);
}

TEST(Locate, LastDuplicateKeyWinsLikeTheParser) {
  EXPECT_EQ(locate_line(kText, p({std::string("dup")})), 11);
}

TEST(Locate, FallsBackToDeepestExistingAncestor) {
  EXPECT_EQ(locate_line(kText, p({std::string("a"), std::string("zz")})), 2);
  EXPECT_EQ(locate_line(kText, p({std::string("a"), std::string("c"), std::size_t{9}})), 5);
  EXPECT_EQ(locate_line(kText, p({std::string("a"), std::string("b"), std::string("x")})), 3);
  EXPECT_EQ(locate_line(kText, p({std::string("nope")})), 1);
}

TEST(Locate, UnknownWhenNoTextAndSafeOnGarbage) {
  EXPECT_EQ(locate_line("", p({std::string("a")})), 0);
  EXPECT_EQ(locate_line("  \n  ", p({})), 0);
  EXPECT_EQ(
      locate_line("\n{\"a\": [1, {\"b", p({std::string("a"), std::size_t{1}, std::string("b")})),
      2);
  EXPECT_EQ(locate_line("\xEF\xBB\xBF{\n\"a\": 1}", p({std::string("a")})), 2);
}

}  // namespace
}  // namespace faultline::plan
