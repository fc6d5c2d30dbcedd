// The console of `faultline run` as users see it: a live line redrawn in
// place on a terminal (a pseudo-terminal made by script(1)), plain phase and
// fault lines in a pipe, --quiet, --json, and NO_COLOR.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <regex>

#include "tests/support/cli_process.hpp"

namespace faultline::testing {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

const std::string kPlan = std::string(FAULTLINE_SOURCE_DIR) + "/drills/library/leader-kill.json";

// The bundled drill, shortened: the leader dies 0.8 s in and is back 0.4 s later.
std::vector<std::string> short_run(const std::filesystem::path& out) {
  return {"run", kPlan, "--out", out.string(), "--set", "workload.duration_ms=3000", "--set", "faults[0].at_ms=800",
          "--set", "faults[0].restart_after_ms=400"};
}

struct ShellResult {
  int exit_code = -1;
  std::string out;
};

// Runs `faultline ARGS` on a pseudo-terminal (script -qfec), with `env`
// prepended (e.g. "NO_COLOR=1"), bounded by timeout(1).
ShellResult run_on_terminal(const std::vector<std::string>& args, const std::string& env = "") {
  std::string command = std::string(FAULTLINE_BINARY);
  for (const auto& a : args) command += " '" + a + "'";
  if (!env.empty()) command = "env " + env + " " + command;
  const std::string shell = "timeout 120 script -qfec \"" + command + "\" /dev/null";
  ShellResult result;
  FILE* pipe = ::popen(shell.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) result.out.append(buffer, n);
  const int status = ::pclose(pipe);
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

bool has_colour(const std::string& text) { return std::regex_search(text, std::regex("\x1b\\[[0-9;]*m")); }

TEST(Console, OnATerminalOneLiveLineIsRedrawnInPlace) {
  const auto dir = scratch_dir("console-tty");
  const auto result = run_on_terminal(short_run(dir / "run"));
  ASSERT_TRUE(result.exit_code == 0 || result.exit_code == 1) << result.exit_code << "\n" << result.out;
  EXPECT_NE(result.out.find("\r\x1b[K"), std::string::npos) << "no line redrawn in place:\n" << result.out;
  EXPECT_NE(result.out.find(" ops/s "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("s left)"), std::string::npos) << result.out;
  EXPECT_TRUE(std::regex_search(result.out, std::regex("\\| leader c[123]"))) << result.out;
  EXPECT_TRUE(std::regex_search(result.out, std::regex("kill c[123]"))) << result.out;
  EXPECT_TRUE(has_colour(result.out)) << "a terminal without NO_COLOR gets colours";
  EXPECT_NE(result.out.find("report:  "), std::string::npos) << result.out;
  std::filesystem::remove_all(dir);
}

TEST(Console, NoColorRemovesTheColoursButNotTheLiveLine) {
  const auto dir = scratch_dir("console-nocolor");
  const auto result = run_on_terminal(short_run(dir / "run"), "NO_COLOR=1");
  ASSERT_TRUE(result.exit_code == 0 || result.exit_code == 1) << result.exit_code << "\n" << result.out;
  EXPECT_FALSE(has_colour(result.out)) << result.out;
  EXPECT_NE(result.out.find("\r\x1b[K"), std::string::npos) << result.out;
  std::filesystem::remove_all(dir);
}

TEST(Console, InAPipePlainLinesAtPhasesAndFaultsNeverACarriageReturn) {
  const auto dir = scratch_dir("console-pipe");
  const auto result = run_cli(short_run(dir / "run"), 120s);
  ASSERT_TRUE(result.exit_code == 0 || result.exit_code == 1) << result.out << result.err;
  EXPECT_EQ(result.out.find('\r'), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find('\x1b'), std::string::npos) << result.out;
  for (const char* line : {"] setup: starting the members\n", "] warmup: waiting for a leader\n",
                           "] baseline: the workload starts\n", "] recover: ", "] verify: "}) {
    EXPECT_NE(result.out.find(line), std::string::npos) << line << "\n" << result.out;
  }
  EXPECT_TRUE(std::regex_search(result.out, std::regex("\\] fault 0 kill c[123] \\(leader\\) injected: ")))
      << result.out;
  EXPECT_TRUE(std::regex_search(result.out, std::regex("\\] fault 0 kill c[123] healed"))) << result.out;
  std::filesystem::remove_all(dir);
}

TEST(Console, QuietPrintsOnlyTheVerdictLine) {
  const auto dir = scratch_dir("console-quiet");
  const auto result = run_cli([&] {
    auto args = short_run(dir / "run");
    args.push_back("--quiet");
    return args;
  }(), 120s);
  ASSERT_TRUE(result.exit_code == 0 || result.exit_code == 1) << result.out << result.err;
  EXPECT_TRUE(std::regex_match(result.out, std::regex("(PASS|FAIL)  leader-kill \\(seed 42\\)\n"))) << result.out;
  std::filesystem::remove_all(dir);
}

TEST(Console, JsonIsOneObjectWithEveryObjectivesMeasuredValue) {
  const auto dir = scratch_dir("console-json");
  auto args = short_run(dir / "run");
  args.push_back("--json");
  const auto result = run_cli(args, 120s);
  ASSERT_TRUE(result.exit_code == 0 || result.exit_code == 1) << result.out << result.err;
  const Json out = Json::parse(result.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(out.is_object()) << "stdout is not one JSON object:\n" << result.out;
  EXPECT_EQ(out["plan"], "leader-kill");
  EXPECT_EQ(out["exit_code"], result.exit_code);
  EXPECT_EQ(out["verdict"], result.exit_code == 0 ? "pass" : "fail");
  // Every check the journal holds is in the object, with the same measured value.
  const auto events = journal_events(dir / "run" / "journal.jsonl");
  std::size_t checks = 0;
  for (const auto& e : events) {
    if (e.value("kind", "") != "check") continue;
    ++checks;
    const std::string objective = e.value("objective", "");
    bool found = false;
    for (const auto& c : out["checks"]) {
      if (c["objective"] != objective) continue;
      found = true;
      EXPECT_EQ(c["measured"], e["measured"]) << objective;
      EXPECT_EQ(c["limit"], e["limit"]) << objective;
      EXPECT_EQ(c["pass"], e["pass"]) << objective;
    }
    EXPECT_TRUE(found) << objective << " is missing from --json";
  }
  EXPECT_EQ(out["checks"].size(), checks);
  for (const char* objective : {"rto_ms", "rpo_writes"}) {
    bool measured = false;
    for (const auto& c : out["checks"]) measured = measured || (c["objective"] == objective && c["measured"].is_number());
    EXPECT_TRUE(measured) << objective << " has no measured value:\n" << out.dump(2);
  }
  EXPECT_TRUE(out["rto"]["detect_ms"].is_number()) << out["rto"].dump();
  EXPECT_TRUE(out["rpo"]["acknowledged"].is_number());
  EXPECT_EQ(out["files"]["report"], (dir / "run" / "report.html").string());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace faultline::testing
