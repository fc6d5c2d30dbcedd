// Without network namespaces (FAULTLINE_NETNS=off stands in for a machine
// without the privileges), a run falls back to link proxies on loopback,
// says so once on the console and in the journal, still carries partitions
// and latency, and refuses, with exit 3 and the reason, a fault that needs
// the kernel backend.
#include <gtest/gtest.h>

#include <cstdlib>

#include "tests/support/cli_process.hpp"

namespace faultline::testing {
namespace {

using namespace std::chrono_literals;

std::string library(const std::string& name) {
  return std::string(FAULTLINE_SOURCE_DIR) + "/drills/library/" + name + ".json";
}

class Fallback : public ::testing::Test {
 protected:
  void SetUp() override { ::setenv("FAULTLINE_NETNS", "off", 1); }
  void TearDown() override {
    ::unsetenv("FAULTLINE_NETNS");
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_ = scratch_dir("fallback");
};

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

TEST_F(Fallback, APartitionRunsOnLinkProxiesAndSaysSoOnce) {
  const auto result = run_cli({"run", library("leader-minority-partition"), "--out", (dir_ / "run").string()}, 150s);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(count(result.out + result.err, "falling back to link proxies"), 1u) << result.out << result.err;
  bool noted = false;
  std::string backend;
  for (const auto& e : journal_events(dir_ / "run" / "journal.jsonl")) {
    if (e.value("kind", "") == "note" && e.value("text", "").find("falling back") != std::string::npos) noted = true;
    if (e.value("kind", "") == "network") backend = e.value("backend", "");
    if (e.value("kind", "") == "fault.inject") {
      EXPECT_NE(e.value("confirmed", "").find("measured reachability equals the planned one"), std::string::npos);
    }
  }
  EXPECT_TRUE(noted);
  EXPECT_EQ(backend, "proxy");
}

TEST_F(Fallback, LossNeedsTheKernelBackendAndIsRefused) {
  const auto result = run_cli({"run", library("link-loss"), "--out", (dir_ / "run").string()}, 60s);
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_NE(result.err.find("needs the kernel network backend"), std::string::npos) << result.err;
}

TEST_F(Fallback, TheKernelBackendAskedForByNameIsRefused) {
  const auto result =
      run_cli({"run", library("leader-kill"), "--out", (dir_ / "run").string(), "--network", "kernel"}, 60s);
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_NE(result.err.find("switched off"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace faultline::testing
