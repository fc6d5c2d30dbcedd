// FNV-1a 64 against the published test vectors, and the properties the
// callers rely on: the byte value is hashed unsigned, a hash can be
// continued, and the hex form is always 16 digits.
#include "cluster/util/fnv1a64.hpp"

#include <gtest/gtest.h>

namespace faultline::util {
namespace {

TEST(Fnv1a64, MatchesThePublishedVectors) {
  // From the FNV reference test suite (fnv1a64 of "", "a", "b", "c", "foobar").
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(fnv1a64("b"), 0xaf63df4c8601f1a5ULL);
  EXPECT_EQ(fnv1a64("c"), 0xaf63de4c8601eff2ULL);
  EXPECT_EQ(fnv1a64("foobar"), 0x85944171f73967e8ULL);
}

TEST(Fnv1a64, OffsetBasisIsTheFnv0HashOfItsDefiningString) {
  // The FNV-1a offset basis is defined as the FNV-0 hash (basis 0, multiply
  // then xor) of this 32-byte string: derived here, not copied.
  std::uint64_t fnv0 = 0;
  for (const char c : std::string_view("chongo <Landon Curt Noll> /\\../\\")) {
    fnv0 *= kFnv1a64Prime;
    fnv0 ^= static_cast<unsigned char>(c);
  }
  EXPECT_EQ(fnv0, kFnv1a64OffsetBasis);
  EXPECT_EQ(kFnv1a64OffsetBasis, 14695981039346656037ULL);
}

TEST(Fnv1a64, BytesAboveSevenBitsAreHashedUnsigned) {
  // A signed char would xor in 0xffffffffffffffff, not 0xff.
  EXPECT_EQ(fnv1a64("\xff"), 0xaf64724c8602eb6eULL);
  EXPECT_EQ(fnv1a64("\xff"), (kFnv1a64OffsetBasis ^ 0xffULL) * kFnv1a64Prime);
}

TEST(Fnv1a64, ExtendingAHashEqualsHashingTheConcatenation) {
  EXPECT_EQ(fnv1a64_extend(fnv1a64("foo"), "bar"), fnv1a64("foobar"));
  EXPECT_EQ(fnv1a64_extend(fnv1a64("foobar"), ""), fnv1a64("foobar"));
  EXPECT_EQ(fnv1a64_extend(kFnv1a64OffsetBasis, "a"), fnv1a64("a"));
}

TEST(Fnv1a64, HexIsSixteenLowercaseDigitsZeroPadded) {
  EXPECT_EQ(fnv1a64_hex(""), "cbf29ce484222325");
  EXPECT_EQ(fnv1a64_hex("foobar"), "85944171f73967e8");
  EXPECT_EQ(fnv1a64_hex("baa"), "0039231913392937");  // two leading zero digits
}

}  // namespace
}  // namespace faultline::util
