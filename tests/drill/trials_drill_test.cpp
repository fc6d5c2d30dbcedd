// `faultline run PLAN --trials N`: each trial in its own folder with its own
// derived seed, the suite's reports above them, and a percentile objective
// judged over the trials.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "drills/verify/trials.hpp"
#include "tests/support/cli_process.hpp"

namespace faultline::testing {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

const std::string kPlan = std::string(FAULTLINE_SOURCE_DIR) + "/drills/library/leader-kill.json";

TEST(Trials, TwoTrialsAndAPercentileObjectiveMissedOverThem) {
  const auto dir = scratch_dir("trials");
  const auto out = dir / "suite";
  const auto result = run_cli({"run", kPlan, "--out", out.string(), "--trials", "2", "--set",
                               "workload.duration_ms=3000", "--set", "faults[0].at_ms=800", "--set",
                               "faults[0].restart_after_ms=400", "--set",
                               "objectives.rto_ms={\"p50\": 1, \"max\": 100000}"},
                              180s);
  ASSERT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE(result.out.find("FAIL  leader-kill: "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("FAIL  rto_ms.p50"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("pass  rto_ms.max"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("measure "), std::string::npos) << "no distribution table:\n" << result.out;

  for (int k = 1; k <= 2; ++k) {
    const auto trial = out / ("trial-0" + std::to_string(k));
    ASSERT_TRUE(std::filesystem::exists(trial / "report.html")) << trial;
    const auto events = journal_events(trial / "journal.jsonl");
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.front().value("kind", ""), "run");
    EXPECT_EQ(events.front()["seed"], verify::trial_seed(42, k)) << "trial " << k << " has the wrong seed";
    EXPECT_EQ(events.front()["trial"], (Json{{"index", k}, {"of", 2}}));
    // The trial judges its plain objectives only: the percentile is the suite's.
    EXPECT_TRUE(check_event(events, "rto_ms.p50").is_null());
  }
  const std::string junit = read_file(out / "junit.xml");
  for (const char* name : {"trial-01", "trial-02", "rto_ms.p50", "rto_ms.max"}) {
    EXPECT_NE(junit.find("name=\"" + std::string(name) + "\""), std::string::npos) << name << "\n" << junit;
  }
  EXPECT_NE(junit.find("<failure message=\"p50 of rto_ms over 2 trials"), std::string::npos) << junit;
  EXPECT_NE(read_file(out / "summary.md").find("| rto_ms | 2 of 2 |"), std::string::npos);
  EXPECT_NE(read_file(out / "report.html").find("<a href='trial-02/report.html'>"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace faultline::testing
