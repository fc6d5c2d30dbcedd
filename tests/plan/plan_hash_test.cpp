// The journal's plan_hash is FNV-1a 64 of the plan file's bytes (docs/journal.md).
// Checked for every bundled plan against a second implementation written
// differently: the multiply as the FNV prime's shifts and adds, and the offset
// basis derived from its definition rather than copied, so that a mistyped
// constant in the library cannot be copied into the test as well.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "drills/plan/plan.hpp"

namespace faultline::plan {
namespace {

const std::filesystem::path kLibrary = std::filesystem::path(FAULTLINE_SOURCE_DIR) / "drills/library";

// h * (2^40 + 2^8 + 2^7 + 2^5 + 2^4 + 2^1 + 2^0), the FNV 64-bit prime.
std::uint64_t times_prime(std::uint64_t h) {
  return (h << 40) + (h << 8) + (h << 7) + (h << 5) + (h << 4) + (h << 1) + h;
}

// The FNV-1a offset basis: the FNV-0 hash of this string (basis 0).
std::uint64_t offset_basis() {
  std::uint64_t h = 0;
  for (const char c : std::string("chongo <Landon Curt Noll> /\\../\\")) {
    h = times_prime(h) ^ static_cast<unsigned char>(c);
  }
  return h;
}

std::string independent_fnv1a64_hex(const std::vector<unsigned char>& bytes) {
  std::uint64_t h = offset_basis();
  for (const unsigned char c : bytes) h = times_prime(h ^ c);
  std::string hex;
  for (int shift = 60; shift >= 0; shift -= 4) hex += "0123456789abcdef"[(h >> shift) & 0xf];
  return hex;
}

std::vector<unsigned char> file_bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(PlanHash, TheIndependentHashMatchesThePublishedVectors) {
  EXPECT_EQ(independent_fnv1a64_hex({}), "cbf29ce484222325");
  EXPECT_EQ(independent_fnv1a64_hex({'a'}), "af63dc4c8601ec8c");
  EXPECT_EQ(independent_fnv1a64_hex({'f', 'o', 'o', 'b', 'a', 'r'}), "85944171f73967e8");
}

TEST(PlanHash, EveryBundledPlanHashesToTheFnv1a64OfItsBytes) {
  std::size_t plans = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kLibrary)) {
    if (entry.path().extension() != ".json") continue;
    ++plans;
    const LoadResult loaded = load_plan(entry.path());
    ASSERT_TRUE(loaded.plan) << entry.path() << " does not load";
    const std::vector<unsigned char> bytes = file_bytes(entry.path());
    ASSERT_FALSE(bytes.empty()) << entry.path();
    EXPECT_EQ(plan_hash(loaded.text), independent_fnv1a64_hex(bytes)) << entry.path();
  }
  // leader-kill, stale-reads, worker-failover at least: an empty or moved
  // library must not pass by checking nothing.
  EXPECT_GE(plans, 3u) << "bundled plans found in " << kLibrary;
}

TEST(PlanHash, OverridesDoNotChangeTheHash) {
  const auto file = kLibrary / "leader-kill.json";
  const LoadResult plain = load_plan(file);
  const LoadResult overridden = load_plan(file, {"objectives.rto_ms=1"});
  ASSERT_TRUE(plain.plan && overridden.plan);
  EXPECT_EQ(plan_hash(overridden.text), plan_hash(plain.text));
  EXPECT_EQ(plan_hash(plain.text), independent_fnv1a64_hex(file_bytes(file)));
}

}  // namespace
}  // namespace faultline::plan
