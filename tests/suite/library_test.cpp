// The bundled library and `faultline list`: where the library is found
// (--library, FAULTLINE_LIBRARY, beside the binary, the current folder),
// one line per drill with its kind, faults and first sentence, --json, and
// what happens when there is none.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "drills/suite/library.hpp"
#include "tests/support/cli_process.hpp"

namespace faultline::suite {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using namespace std::chrono_literals;

const fs::path kSource(FAULTLINE_SOURCE_DIR);

std::size_t library_size() {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(kSource / "drills/library")) n += e.path().extension() == ".json";
  return n;
}

TEST(Library, FirstSentenceStopsAtAFullStopBeforeASpace) {
  EXPECT_EQ(first_sentence("Kill the leader of an etcd 3.4 cluster mid-load; measure RTO. More."),
            "Kill the leader of an etcd 3.4 cluster mid-load; measure RTO.");
  EXPECT_EQ(first_sentence("200 ms for 2.5 s. Then heal."), "200 ms for 2.5 s.");
  EXPECT_EQ(first_sentence("No stop at all"), "No stop at all");
  EXPECT_EQ(first_sentence("Ends here."), "Ends here.");
  EXPECT_EQ(first_sentence(""), "");
}

TEST(Library, FoundBesideTheBinaryInABuildTreeOrAnInstalledPrefix) {
  const fs::path dir = testing::scratch_dir("library-find");
  fs::create_directories(dir / "tree/drills/library");
  fs::create_directories(dir / "tree/build/cli");
  fs::create_directories(dir / "prefix/bin");
  fs::create_directories(dir / "prefix/share/faultline/drills/library");
  fs::create_directories(dir / "elsewhere/drills/library");

  LibrarySearch s;
  s.binary = dir / "tree/build/cli/faultline";
  s.current = dir / "elsewhere";
  EXPECT_EQ(find_library(s).dir, fs::weakly_canonical(dir / "tree/drills/library"));
  s.binary = dir / "prefix/bin/faultline";
  EXPECT_EQ(find_library(s).dir, fs::weakly_canonical(dir / "prefix/share/faultline/drills/library"));
  s.binary = dir / "nowhere/faultline";
  EXPECT_EQ(find_library(s).dir, dir / "elsewhere/drills/library") << "the current folder comes last";
  s.environment = (dir / "tree/drills/library").string();
  EXPECT_EQ(find_library(s).dir, dir / "tree/drills/library");
  s.given = dir / "missing";
  const LibraryFound given = find_library(s);
  EXPECT_FALSE(given.dir) << "a library asked for is not replaced by another";
  EXPECT_EQ(given.searched, std::vector<fs::path>{dir / "missing"});
  fs::remove_all(dir);
}

TEST(Library, ReadsEveryBundledPlan) {
  const auto drills = read_library(kSource / "drills/library");
  ASSERT_EQ(drills.size(), library_size());
  for (const auto& d : drills) {
    EXPECT_TRUE(d.error.empty()) << d.file << ": " << d.error;
    EXPECT_FALSE(d.summary.empty()) << d.file << " has no description";
    EXPECT_FALSE(d.faults.empty()) << d.file;
    EXPECT_EQ(fs::path(d.file).stem().string(), d.name) << "a library plan is named after its file";
  }
  const auto lk = std::find_if(drills.begin(), drills.end(), [](const LibraryDrill& d) { return d.name == "leader-kill"; });
  ASSERT_NE(lk, drills.end());
  EXPECT_EQ(lk->topology, "embedded");
  EXPECT_EQ(lk->faults, std::vector<std::string>{"kill"});
  EXPECT_EQ(lk->summary, "Kill the Raft leader mid-load; measure RTO and RPO.");
}

TEST(Library, ListPrintsALinePerDrill) {
  const auto r = testing::run_cli({"list"}, 20s);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("name ", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("what it demonstrates"), std::string::npos);
  const std::size_t lines = static_cast<std::size_t>(std::count(r.out.begin(), r.out.end(), '\n'));
  EXPECT_EQ(lines, library_size() + 2) << r.out;  // the heading, the drills, the count
  EXPECT_NE(r.out.find("leader-kill "), std::string::npos);
  EXPECT_NE(r.out.find(" embedded "), std::string::npos);
  EXPECT_NE(r.out.find("Kill the Raft leader mid-load; measure RTO and RPO.\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(std::to_string(library_size()) + " drills in "), std::string::npos) << r.out;
}

TEST(Library, ListJsonAndAMissingLibrary) {
  const auto r = testing::run_cli({"list", "--json"}, 20s);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Json j = Json::parse(r.out);
  EXPECT_EQ(j["library"], fs::weakly_canonical(kSource / "drills/library").string());
  ASSERT_EQ(j["drills"].size(), library_size());
  for (const auto& d : j["drills"]) {
    EXPECT_TRUE(d["valid"].get<bool>()) << d.dump();
    EXPECT_FALSE(d["summary"].get<std::string>().empty());
    EXPECT_TRUE(d["faults"].is_array());
  }
  const auto missing = testing::run_cli({"list", "--library", "/nonexistent/library"}, 20s);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("error: no drill library found; looked in:\n  /nonexistent/library"), std::string::npos)
      << missing.err;
}

}  // namespace
}  // namespace faultline::suite
