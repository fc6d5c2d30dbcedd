// The bundled stale-reads drill: with the cluster's unsafe stale_reads mode
// the linearizability objective must catch the stale reads (exit 1, evidence
// on the console and in the report); with the mode off the same plan passes.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/cli_process.hpp"

namespace faultline::testing {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

const std::string kStalePlan = std::string(FAULTLINE_SOURCE_DIR) + "/drills/library/stale-reads.json";

TEST(StaleReadsDrill, IsCaughtAsNotLinearizable) {
  const auto out = scratch_dir("drill-stale");
  const auto result = run_cli({"run", kStalePlan, "--out", (out / "run").string()}, 120s);
  ASSERT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE(result.out.find("FAIL  linearizable"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("is not linearizable"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("none of these can be linearized next"), std::string::npos) << result.out;

  const auto events = journal_events(out / "run" / "journal.jsonl");
  const Json check = check_event(events, "linearizable");
  ASSERT_FALSE(check.is_null());
  EXPECT_EQ(check.at("measured"), 1);
  EXPECT_EQ(check.at("pass"), false);
  const Json rpo = check_event(events, "rpo_writes");
  ASSERT_FALSE(rpo.is_null());
  EXPECT_EQ(rpo.at("pass"), true) << rpo.dump();

  const auto html = read_file(out / "run" / "report.html");
  EXPECT_NE(html.find("<h2>Linearizability</h2>"), std::string::npos);
  EXPECT_NE(html.find("<pre>"), std::string::npos);
  EXPECT_NE(html.find("<h2>Elections</h2>"), std::string::npos);
  std::filesystem::remove_all(out);
}

TEST(StaleReadsDrill, SamePlanWithSafeReadsPasses) {
  const auto out = scratch_dir("drill-safe-reads");
  const auto result = run_cli({"run", kStalePlan, "--out", (out / "run").string(), "--set",
                               "topology.stale_reads=false"},
                              120s);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("pass  linearizable"), std::string::npos) << result.out;
  const Json check = check_event(journal_events(out / "run" / "journal.jsonl"), "linearizable");
  ASSERT_FALSE(check.is_null());
  EXPECT_EQ(check.at("measured"), 0);
  std::filesystem::remove_all(out);
}

}  // namespace
}  // namespace faultline::testing
