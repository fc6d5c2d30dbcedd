// Every history of the peer data set (Porcupine's test data, recorded by
// Jepsen against etcd, plus its kv histories) must get its known verdict.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "drills/verify/lin/checker.hpp"
#include "drills/verify/lin/parse.hpp"

namespace faultline::lin {
namespace {

std::filesystem::path peer_dir() {
  return std::filesystem::path(FAULTLINE_SOURCE_DIR) / ".." / "shared" / "peer-data" / "porcupine";
}

TEST(LinPeerData, EveryHistoryGetsItsExpectedVerdict) {
  const auto dir = peer_dir();
  std::ifstream expected(dir / "EXPECTED.tsv");
  if (!expected) GTEST_SKIP() << "peer data not found at " << dir.string();
  std::string line;
  std::getline(expected, line);  // header
  std::size_t checked = 0;
  std::size_t violations = 0;
  while (std::getline(expected, line)) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    std::string file;
    std::string verdict;
    fields >> file >> verdict;
    ASSERT_TRUE(verdict == "linearizable" || verdict == "not-linearizable") << line;
    ParseResult parsed = load_history((dir / file).string(), Format::Auto);
    ASSERT_TRUE(parsed.history) << parsed.error;
    CheckOptions options;
    options.model = file.rfind("kv/", 0) == 0 ? Model::Kv : Model::Register;
    options.time_budget_s = 30;
    const CheckResult r = check(*parsed.history, options);
    const Verdict want = verdict == "linearizable" ? Verdict::Ok : Verdict::Violation;
    EXPECT_EQ(verdict_name(r.verdict), std::string(verdict_name(want))) << file << ": " << r.reason;
    if (r.verdict == Verdict::Violation) {
      ++violations;
      ASSERT_TRUE(r.evidence);
      EXPECT_FALSE(r.evidence->blocked.empty()) << file;
    }
    ++checked;
  }
  EXPECT_EQ(checked, 108u);
  EXPECT_EQ(violations, 82u);
}

}  // namespace
}  // namespace faultline::lin
