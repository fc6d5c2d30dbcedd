// The malformed-plan corpus: every library plan mutated every way
// (mutations.hpp: each field deleted, each value of another type, odd
// values, unknown fields, the text cut short, duplicate keys, bad probes,
// halts, rollbacks, expect and faults), and suite files broken the same
// ways. Through the validator, all of them: never a throw, a plan or a list
// of errors, each error with its file, a line inside the text, a JSON path
// and a message; a mutant that must be invalid is refused; whatever
// validation accepts, the plans' JSON Schema accepts; what the schema can
// see (types, unknown fields) it refuses. Through the real `faultline`
// binary, a sample of them: `validate` and `run` exit with 2 and print
// `error: FILE:LINE: PATH: MESSAGE` lines, and `run` starts nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "drills/plan/plan.hpp"
#include "drills/plan/schema.hpp"
#include "drills/plan/suite.hpp"
#include "tests/plan/mutations.hpp"
#include "tests/plan/schema_check.hpp"
#include "tests/support/cli_process.hpp"

namespace faultline::plan {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
using testing::Mutant;

const fs::path kSource(FAULTLINE_SOURCE_DIR);

std::string read(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<fs::path> json_files(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".json") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

const std::vector<Mutant>& library_corpus() {
  static const std::vector<Mutant> corpus = [] {
    std::vector<Mutant> all;
    for (const fs::path& f : json_files(kSource / "drills/library")) {
      auto mutants = testing::plan_mutants(f.filename().string(), read(f));
      all.insert(all.end(), mutants.begin(), mutants.end());
    }
    return all;
  }();
  return corpus;
}

int line_count(const std::string& text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1; }

TEST(PlanCorpus, EveryMutantOfEveryLibraryPlanIsJudgedWithoutACrash) {
  const testing::SchemaCheck schema(plan_schema());
  const auto& corpus = library_corpus();
  std::map<std::string, int> by_class, refused;
  for (const Mutant& m : corpus) {
    ++by_class[m.cls];
    LoadResult r;
    ASSERT_NO_THROW(r = parse_plan(m.text, "mutant.json")) << m.label;
    ASSERT_EQ(r.plan.has_value(), r.errors.empty()) << m.label;
    if (m.invalid) {
      EXPECT_FALSE(r.plan.has_value()) << m.label << " was accepted";
    }
    for (const PlanError& e : r.errors) {
      EXPECT_EQ(e.file, "mutant.json");
      EXPECT_GE(e.line, 1) << m.label << ": " << e.to_string();
      EXPECT_LE(e.line, line_count(m.text)) << m.label << ": " << e.to_string();
      EXPECT_FALSE(e.message.empty()) << m.label;
      if (m.cls != "truncate") {
        EXPECT_EQ(e.path.rfind('$', 0), 0u) << m.label << ": " << e.to_string();
      }
    }
    if (!r.errors.empty()) ++refused[m.cls];
    if (m.cls == "truncate" || m.cls == "duplicate") continue;  // no document to hold against the schema
    const auto problems = schema.errors(json::parse(m.text));
    if (r.plan) {
      EXPECT_TRUE(problems.empty()) << m.label << ": valid, but the schema says " << problems.front();
    }
    if (m.schema_refuses) {
      EXPECT_FALSE(problems.empty()) << m.label << ": the schema let it through";
    }
  }
  EXPECT_GE(corpus.size(), 1000u);
  int invalid = 0;
  for (const auto& [cls, n] : refused) invalid += n;
  EXPECT_GE(invalid, 500);
  std::string summary;
  for (const auto& [cls, n] : by_class) summary += cls + " " + std::to_string(refused[cls]) + "/" + std::to_string(n) + "  ";
  RecordProperty("mutants_refused_by_class", summary);
  std::cout << "corpus: " << corpus.size() << " mutants of " << json_files(kSource / "drills/library").size()
            << " library plans; refused by class: " << summary << "\n";
}

// A suite file per problem, in a scratch folder, naming library plans by
// absolute path; plus the CI suite broken structurally.
std::vector<Mutant> suite_corpus(const fs::path& dir) {
  const std::string lk = json((kSource / "drills/library/leader-kill.json").string()).dump();
  auto suite = [&](const std::string& plans) { return R"({"suite": "s", "plans": )" + plans + "}"; };
  std::vector<Mutant> out;
  auto add = [&](const std::string& what, std::string text) { out.push_back({"suite: " + what, "suite", std::move(text)}); };
  add("no plans", R"({"suite": "s"})");
  add("no suite name", R"({"suite": null, "plans": [)" + lk + "]}");
  add("bad name", R"({"suite": "Bad Name", "plans": [)" + lk + "]}");
  add("empty plans", suite("[]"));
  add("plans a string", suite(lk));
  add("plan a number", suite(R"([{"plan": 5}])"));
  add("plan missing", suite(R"([{"plan": "no-such-plan.json"}])"));
  add("plan empty", suite(R"([""])"));
  add("set an array", suite("[{\"plan\": " + lk + ", \"set\": []}]"));
  add("set negative", suite("[{\"plan\": " + lk + ", \"set\": {\"objectives.rto_ms\": -1}}]"));
  add("set bad path", suite("[{\"plan\": " + lk + ", \"set\": {\"bad path!\": 1}}]"));
  add("set bad fault", suite("[{\"plan\": " + lk + ", \"set\": {\"faults[0].kind\": \"explode\"}}]"));
  add("set bad probe", suite("[{\"plan\": " + lk + R"(, "set": {"steady_state.probes": [{"name": "p", "kind": "nope"}]}}])"));
  add("set bad halt", suite("[{\"plan\": " + lk + R"(, "set": {"halt": [{"probe": "ghost"}]}}])"));
  add("set bad rollback", suite("[{\"plan\": " + lk + R"(, "set": {"rollbacks": [{"action": "explode"}]}}])"));
  add("unknown entry field", suite("[{\"plan\": " + lk + ", \"extra\": 1}]"));
  add("unknown root field", R"({"suite": "s", "plan": [)" + lk + "]}");
  add("itself", suite("[" + json((dir / "suite-itself.json").string()).dump() + "]"));
  add("duplicate key", "{\"suite\": \"s\",\n \"suite\": \"t\", \"plans\": [" + lk + "]}");
  // The CI suite with absolute plan paths, then cut short and given unknown fields.
  json ci = json::parse(read(kSource / "drills/suites/ci.json"));
  for (auto& entry : ci["plans"]) {
    entry["plan"] = (kSource / "drills/suites" / entry["plan"].get<std::string>()).lexically_normal().string();
  }
  const std::string ci_text = ci.dump(2);
  for (std::size_t k = 0; k < 8; ++k) add("ci cut at " + std::to_string(k), ci_text.substr(0, ci_text.size() * k / 8));
  for (const auto& p : testing::all_pointers(ci)) {
    json d = ci;
    if (d[p].is_object()) {
      d[p]["zz_unknown_field"] = 1;
      add("ci unknown field at " + p.to_string(), d.dump(2));
    }
    d = ci;
    d[p] = testing::other_type(ci[p]);
    if (!p.empty()) add("ci other type at " + p.to_string(), d.dump(2));
  }
  for (auto& m : out) m.invalid = true;
  return out;
}

TEST(PlanCorpus, BrokenSuiteFilesAreRefusedWithWhereAndWhat) {
  const fs::path dir = faultline::testing::scratch_dir("plan-corpus-suites");
  const auto corpus = suite_corpus(dir);
  for (std::size_t i = 0; i < corpus.size(); ++i) {
    const Mutant& m = corpus[i];
    const fs::path file = m.label == "suite: itself" ? dir / "suite-itself.json" : dir / ("suite-" + std::to_string(i) + ".json");
    std::ofstream(file) << m.text;
    RunList list;
    ASSERT_NO_THROW(list = load_run_list({file}, {})) << m.label;
    EXPECT_FALSE(list.errors.empty()) << m.label << " was accepted";
    EXPECT_TRUE(list.plans.empty()) << m.label;
    for (const PlanError& e : list.errors) {
      EXPECT_FALSE(e.file.empty()) << m.label;
      EXPECT_FALSE(e.message.empty()) << m.label;
      if (e.file == file.string() && m.label.find("cut at") == std::string::npos) {
        EXPECT_GE(e.line, 1) << m.label << ": " << e.to_string();
        EXPECT_EQ(e.path.rfind('$', 0), 0u) << m.label << ": " << e.to_string();
      }
    }
  }
  EXPECT_GE(corpus.size(), 30u);
  fs::remove_all(dir);
}

// `error: FILE[:LINE]: [PATH: ]MESSAGE` lines, then the count.
void expect_plan_errors(const faultline::testing::CliResult& r, const std::string& label) {
  EXPECT_EQ(r.exit_code, 2) << label << "\n" << r.out << r.err;
  EXPECT_EQ(r.signal, 0) << label;
  std::istringstream lines(r.err);
  static const std::regex error_line(R"(^error: [^:]+(:[0-9]+)?: .+$)");
  static const std::regex count_line(R"(^[0-9]+ errors?; nothing was started\. See docs/plan\.md for the plan format\.$)");
  int errors = 0;
  bool counted = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("error: ", 0) == 0) {
      ++errors;
      EXPECT_TRUE(std::regex_match(line, error_line)) << label << ": " << line;
    } else if (std::regex_match(line, count_line)) {
      counted = true;
    }
  }
  EXPECT_GE(errors, 1) << label << "\n" << r.err;
  EXPECT_TRUE(counted) << label << "\n" << r.err;
}

TEST(PlanCorpus, TheBinaryRefusesASampleWithExitCodeTwoAndStartsNothing) {
  const fs::path dir = faultline::testing::scratch_dir("plan-corpus-cli");
  std::vector<Mutant> sample;
  std::map<std::string, int> taken;
  const auto& corpus = library_corpus();
  // Every 97th invalid mutant, at most 8 of a class, spreads the sample over
  // plans and classes; then every suite mutant but the CI suite's many.
  for (std::size_t i = 0; i < corpus.size(); i += 97) {
    std::size_t j = i;
    while (j < corpus.size() && !corpus[j].invalid) ++j;
    if (j < corpus.size() && taken[corpus[j].cls]++ < 8) sample.push_back(corpus[j]);
  }
  for (const Mutant& m : suite_corpus(dir)) {
    if (m.label.rfind("suite: ci", 0) != 0 || m.label.find("cut at 3") != std::string::npos) sample.push_back(m);
  }
  ASSERT_GE(sample.size(), 40u);
  for (std::size_t i = 0; i < sample.size(); ++i) {
    const Mutant& m = sample[i];
    const fs::path file = m.label == "suite: itself" ? dir / "suite-itself.json" : dir / ("mutant-" + std::to_string(i) + ".json");
    std::ofstream(file) << m.text;
    expect_plan_errors(faultline::testing::run_cli({"validate", file.string()}, 20s), m.label);
    if (i % 2 == 0) {
      const fs::path out = dir / ("run-" + std::to_string(i));
      expect_plan_errors(faultline::testing::run_cli({"run", file.string(), "--out", out.string()}, 20s), m.label);
      EXPECT_FALSE(fs::exists(out)) << m.label << ": a refused plan made its run folder";
    }
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace faultline::plan
