// run_check_history: exit codes and messages of `faultline check-history`.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "drills/verify/lin/check_history_cli.hpp"

namespace faultline::lin {
namespace {

class LinCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("faultline-lin-cli-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string file(const std::string& name, const std::string& text) {
    const auto path = dir_ / name;
    std::ofstream(path) << text;
    return path.string();
  }

  std::filesystem::path dir_;
};

constexpr const char* kOk =
    "INFO jepsen.util - 0 :invoke :write 1\nINFO jepsen.util - 0 :ok :write 1\n"
    "INFO jepsen.util - 1 :invoke :read nil\nINFO jepsen.util - 1 :ok :read 1\n";
constexpr const char* kStale =
    "INFO jepsen.util - 0 :invoke :write 1\nINFO jepsen.util - 0 :ok :write 1\n"
    "INFO jepsen.util - 0 :invoke :write 2\nINFO jepsen.util - 0 :ok :write 2\n"
    "INFO jepsen.util - 1 :invoke :read nil\nINFO jepsen.util - 1 :ok :read 1\n";

TEST_F(LinCli, OkExitsZero) {
  std::ostringstream out;
  EXPECT_EQ(run_check_history(file("ok.log", kOk), "register", "auto", 10, 256, out), 0);
  EXPECT_NE(out.str().find("verdict: ok"), std::string::npos) << out.str();
}

TEST_F(LinCli, ViolationExitsOneWithEvidence) {
  std::ostringstream out;
  EXPECT_EQ(run_check_history(file("bad.log", kStale), "register", "jepsen-log", 10, 256, out), 1);
  EXPECT_NE(out.str().find("verdict: violation"), std::string::npos);
  EXPECT_NE(out.str().find("process 1 read -> 1"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("invoked line 5, completed line 6"), std::string::npos) << out.str();
}

TEST_F(LinCli, BudgetExhaustionExitsThree) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "INFO jepsen.util - " + std::to_string(i) + " :invoke :write " + std::to_string(i) + "\n";
  for (int i = 0; i < 40; ++i) text += "INFO jepsen.util - " + std::to_string(i) + " :ok :write " + std::to_string(i) + "\n";
  text += "INFO jepsen.util - 99 :invoke :read nil\nINFO jepsen.util - 99 :ok :read 77\n";
  std::ostringstream out;
  EXPECT_EQ(run_check_history(file("hard.log", text), "register", "auto", 30, 1, out), 3);
  EXPECT_NE(out.str().find("could not decide"), std::string::npos) << out.str();
}

TEST_F(LinCli, BadInputExitsTwoNamingFileAndLine) {
  std::ostringstream out;
  const std::string path = file("broken.edn", "{:process 0, :type :invoke, :f :put, :key 1, :value 2}\n{:process\n");
  EXPECT_EQ(run_check_history(path, "kv", "edn", 10, 256, out), 2);
  EXPECT_NE(out.str().find(path + ":2:"), std::string::npos) << out.str();
}

TEST_F(LinCli, BadUsageExitsTwo) {
  std::ostringstream out;
  const std::string path = file("ok.log", kOk);
  EXPECT_EQ(run_check_history(path, "queue", "auto", 10, 256, out), 2);
  EXPECT_EQ(run_check_history(path, "register", "yaml", 10, 256, out), 2);
  EXPECT_EQ(run_check_history(path, "register", "auto", 0, 256, out), 2);
  EXPECT_EQ(run_check_history((dir_ / "missing.log").string(), "register", "auto", 10, 256, out), 2);
}

}  // namespace
}  // namespace faultline::lin
