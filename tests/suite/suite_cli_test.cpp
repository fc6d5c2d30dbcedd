// The command line of suites: `validate` and `run` take several plans and
// suite files (a --set takes one value, so plans may follow it), --trials
// takes one plan, and `faultline plan schema` prints the checked-in schema.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/support/cli_process.hpp"

namespace faultline::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const fs::path kLibrary = fs::path(FAULTLINE_SOURCE_DIR) / "drills/library";

TEST(SuiteCli, ValidateTakesPlansAndSuitesWithSetsBetweenThem) {
  const auto r = run_cli({"validate", (kLibrary / "leader-kill.json").string(), "--set", "workload.clients=2",
                          (kLibrary / "stale-reads.json").string(),
                          (fs::path(FAULTLINE_SOURCE_DIR) / "drills/suites/ci.json").string()},
                         20s);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("leader-kill.json: valid plan 'leader-kill': 3 coordinators, 2 clients for 8000 ms, 1 fault\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("stale-reads.json: valid plan 'stale-reads': 3 coordinators, 2 clients"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("etcd-leader-kill.json: valid plan 'etcd-leader-kill': etcd with 3 voters, 2 clients for 8000 "
                       "ms, 1 fault (suite ci)"),
            std::string::npos)
      << r.out;
}

TEST(SuiteCli, TrialsTakeOnePlan) {
  const auto dir = scratch_dir("suite-cli-trials");
  const auto r = run_cli({"run", (kLibrary / "leader-kill.json").string(), (kLibrary / "stale-reads.json").string(),
                          "--trials", "3", "--out", (dir / "out").string()},
                         20s);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("error: --trials runs one plan N times: name one plan, not 2 (or a suite); nothing was started"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(dir / "out"));
  fs::remove_all(dir);
}

TEST(SuiteCli, PlanSchemaPrintsTheCheckedInSchema) {
  const auto r = run_cli({"plan", "schema"}, 20s);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, read_file(fs::path(FAULTLINE_SOURCE_DIR) / "docs/plan.schema.json"));
}

}  // namespace
}  // namespace faultline::testing
