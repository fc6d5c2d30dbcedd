// Suite files and the run list of `faultline run PLAN...`: paths relative to
// the suite file, `set` applied before --set, every error with file, line
// and JSON path (an error a `set` caused points at that `set`), nothing to
// run when anything is invalid. Also the plan-level rules suites rely on:
// duplicate keys refused, `$schema` and `"expect": null` accepted.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "drills/plan/plan.hpp"
#include "drills/plan/suite.hpp"
#include "tests/plan/plan_test_util.hpp"

namespace faultline::plan {
namespace {

namespace fs = std::filesystem;
using testing::kBase;
using testing::with;

class SuiteFile : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/faultline-suite-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
    write("plans/a.json", with(kBase, "\"name\": \"t\"", "\"name\": \"a\""));
    write("plans/b.json", with(kBase, "\"name\": \"t\"", "\"name\": \"b\""));
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& name, const std::string& text) {
    const fs::path file = dir_ / name;
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text;
    return file;
  }
  std::string all(const RunList& list) {
    std::string out;
    for (const auto& e : list.errors) out += e.to_string() + "\n";
    return out;
  }

  fs::path dir_;
};

TEST_F(SuiteFile, LoadsPlansRelativeToItselfWithTheirOverrides) {
  const fs::path suite = write("suites/ci.json", R"({
  "suite": "ci",
  "description": "two plans",
  "plans": [
    { "plan": "../plans/a.json", "set": { "objectives.rto_ms": 1500, "faults[0].target": "follower" } },
    "../plans/b.json"
  ]
})");
  const RunList list = load_run_list({suite}, {"workload.clients=2"});
  ASSERT_TRUE(list.errors.empty()) << all(list);
  ASSERT_EQ(list.plans.size(), 2u);
  EXPECT_EQ(list.suite_name, "ci");
  EXPECT_EQ(list.suite_description, "two plans");
  EXPECT_EQ(list.plans[0].file, (dir_ / "plans/a.json").lexically_normal());
  EXPECT_EQ(list.plans[0].plan.objectives.rto_ms, 1500.0);
  EXPECT_EQ(list.plans[0].plan.faults[0].target, "follower");
  EXPECT_EQ(list.plans[0].plan.workload.clients, 2);  // the command line's --set too
  EXPECT_EQ(list.plans[0].overrides,
            (std::vector<std::string>{"faults[0].target=\"follower\"", "objectives.rto_ms=1500", "workload.clients=2"}));
  EXPECT_EQ(list.plans[0].suite, "ci");
  EXPECT_EQ(list.plans[1].plan.name, "b");
  EXPECT_EQ(list.plans[1].plan.objectives.rto_ms, 3000.0);
}

TEST_F(SuiteFile, CommandLineOverridesComeAfterTheSuites) {
  const fs::path suite = write("s.json", R"({"suite": "s", "plans": [{"plan": "plans/a.json", "set": {"objectives.rto_ms": 1500}}]})");
  const RunList list = load_run_list({suite}, {"objectives.rto_ms=700"});
  ASSERT_TRUE(list.errors.empty()) << all(list);
  EXPECT_EQ(list.plans[0].plan.objectives.rto_ms, 700.0);
}

TEST_F(SuiteFile, SeveralPlansAndSuitesInOrder) {
  const fs::path suite = write("s.json", R"({"suite": "s", "plans": ["plans/b.json"]})");
  const RunList list = load_run_list({dir_ / "plans/a.json", suite, dir_ / "plans/a.json"}, {});
  ASSERT_TRUE(list.errors.empty()) << all(list);
  ASSERT_EQ(list.plans.size(), 3u);
  EXPECT_EQ(list.plans[0].plan.name, "a");
  EXPECT_EQ(list.plans[1].plan.name, "b");
  EXPECT_EQ(list.plans[1].suite, "s");
  EXPECT_EQ(list.plans[2].plan.name, "a");
  EXPECT_EQ(list.suite_name, "");  // not one suite file alone
  EXPECT_EQ(list.suite_files, 1u);
}

TEST_F(SuiteFile, ASetThatBreaksAPlanPointsAtTheSet) {
  const fs::path suite = write("s.json", R"({
  "suite": "s",
  "plans": [
    { "plan": "plans/a.json",
      "set": { "objectives.rto_ms": -1 } },
    { "plan": "plans/b.json", "set": { "objectives/rto_ms": 1 } }
  ]
})");
  const RunList list = load_run_list({suite}, {});
  EXPECT_TRUE(list.plans.empty());
  ASSERT_EQ(list.errors.size(), 2u) << all(list);
  EXPECT_EQ(list.errors[0].to_string(),
            suite.string() + ":5: $.plans[0].set[\"objectives.rto_ms\"]: must not be negative, got -1 (in " +
                (dir_ / "plans/a.json").string() + " at $.objectives.rto_ms)");
  EXPECT_EQ(list.errors[1].file, suite.string());
  EXPECT_EQ(list.errors[1].line, 6);
  EXPECT_EQ(list.errors[1].path, "$.plans[1].set[\"objectives/rto_ms\"]");
  EXPECT_NE(list.errors[1].message.find("cannot set \"objectives/rto_ms\""), std::string::npos) << all(list);
}

TEST_F(SuiteFile, AnInvalidPlanIsReportedInItsOwnFileAndNothingRuns) {
  write("plans/bad.json", with(kBase, "\"duration_ms\": 8000", "\"duration_ms\": -8000"));
  const fs::path suite = write("s.json", R"({"suite": "s", "plans": ["plans/a.json", "plans/bad.json"]})");
  const RunList list = load_run_list({suite}, {});
  EXPECT_TRUE(list.plans.empty());
  ASSERT_EQ(list.errors.size(), 1u) << all(list);
  EXPECT_EQ(list.errors[0].to_string(),
            (dir_ / "plans/bad.json").string() + ":4: $.workload.duration_ms: must be between 1 and 3600000, got -8000");
}

TEST_F(SuiteFile, EveryProblemOfTheSuiteFileHasItsLineAndPath) {
  const fs::path suite = write("s.json", R"({
  "suite": "Bad Suite",
  "plans": [
    "nope.json",
    { "plan": 5 },
    { "plan": "plans/a.json", "set": [] },
    { "plan": "" },
    { "plan": "plans/a.json", "sett": {} },
    "s.json"
  ],
  "extra": true
})");
  const RunList list = load_run_list({suite}, {});
  EXPECT_TRUE(list.plans.empty());
  const std::string text = all(list);
  const std::string f = suite.string();
  EXPECT_NE(text.find(f + ":2: $.suite: invalid suite name \"Bad Suite\""), std::string::npos) << text;
  EXPECT_NE(text.find(f + ":4: $.plans[0]: cannot read plan"), std::string::npos) << text;
  EXPECT_NE(text.find("No such file or directory (paths are relative to the suite file's folder)"), std::string::npos);
  EXPECT_NE(text.find(f + ":5: $.plans[1].plan: expected a string, found integer 5"), std::string::npos) << text;
  EXPECT_NE(text.find(f + ":6: $.plans[2].set: expected an object"), std::string::npos) << text;
  EXPECT_NE(text.find(f + ":7: $.plans[3].plan: a plan path is not empty"), std::string::npos) << text;
  EXPECT_NE(text.find(f + ":8: $.plans[4].sett: unknown field \"sett\"; did you mean \"set\"?"), std::string::npos) << text;
  EXPECT_NE(text.find(f + ":9: $.plans[5]: " + f + " is a suite file: a suite lists plans, not suites"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(f + ":11: $.extra: unknown field \"extra\""), std::string::npos) << text;
}

TEST_F(SuiteFile, EmptyOrMissingPlansAndTheSuiteKey) {
  EXPECT_NE(all(load_run_list({write("s1.json", R"({"suite": "s", "plans": []})")}, {}))
                .find("$.plans: expected a non-empty array of plans"),
            std::string::npos);
  EXPECT_NE(all(load_run_list({write("s2.json", R"({"suite": "s"})")}, {})).find("$.plans: missing required field"),
            std::string::npos);
  EXPECT_NE(all(load_run_list({write("s3.json", R"({"suite": 3, "plans": ["plans/a.json"]})")}, {}))
                .find("$.suite: expected a string"),
            std::string::npos);
}

TEST_F(SuiteFile, DuplicateKeysInASuiteOrAPlanAreRefused) {
  const RunList suite = load_run_list({write("s.json", "{\"suite\": \"s\",\n\"suite\": \"t\", \"plans\": [\"plans/a.json\"]}")}, {});
  ASSERT_EQ(suite.errors.size(), 1u) << all(suite);
  EXPECT_EQ(suite.errors[0].line, 2);
  EXPECT_NE(suite.errors[0].message.find("duplicate key \"suite\" (first on line 1)"), std::string::npos);

  const std::string text = with(kBase, "\"objectives\": { \"rto_ms\": 3000 }",
                                "\"objectives\": { \"rto_ms\": 3000,\n    \"rto_ms\": 1 }");
  const LoadResult r = parse_plan(text, "p.json");
  ASSERT_FALSE(r.plan);
  ASSERT_EQ(r.errors.size(), 1u) << testing::joined(r);
  EXPECT_EQ(r.errors[0].to_string(), "p.json:9: $.objectives.rto_ms: duplicate key \"rto_ms\" (first on line 8): JSON "
                                     "keeps only the last one; write it once");
}

TEST_F(SuiteFile, ExpectNullIsNoExpectation) {
  const LoadResult r = parse_plan(kBase, "p.json", {"expect={\"fail\": [\"rto_ms\"]}", "expect=null"});
  ASSERT_TRUE(r.plan) << testing::joined(r);
  EXPECT_TRUE(r.plan->expect_fail.empty());
}

TEST_F(SuiteFile, UnreadableFilesAreFileLevelErrors) {
  const RunList list = load_run_list({dir_ / "missing.json", dir_}, {});
  ASSERT_EQ(list.errors.size(), 2u) << all(list);
  EXPECT_EQ(list.errors[0].to_string(), (dir_ / "missing.json").string() + ": cannot read plan: No such file or directory");
  EXPECT_EQ(list.errors[1].to_string(), dir_.string() + ": cannot read plan: is a directory");
}

}  // namespace
}  // namespace faultline::plan
