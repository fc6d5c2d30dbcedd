// Runs that stop early: Ctrl-C while the cluster waits for a leader ends the
// run at once and still writes its reports, marked interrupted; a run folder
// on a full disk stops the run at the first failed journal write, with the
// journal whole up to there and no member left.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "drills/journal/journal.hpp"
#include "tests/support/cli_process.hpp"

namespace faultline::testing {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const std::string kPlan = std::string(FAULTLINE_SOURCE_DIR) + "/drills/library/leader-kill.json";

bool journal_has_phase(const std::filesystem::path& file, const std::string& phase) {
  for (const auto& e : journal_events(file)) {
    if (e.value("kind", "") == "phase" && e.value("phase", "") == phase) return true;
  }
  return false;
}

std::vector<int> member_pids(const std::filesystem::path& file) {
  std::vector<int> pids;
  for (const auto& e : journal_events(file)) {
    if (e.value("kind", "") == "member.start") pids.push_back(e.value("pid", -1));
  }
  return pids;
}

void expect_no_member_left(const std::filesystem::path& journal) {
  const auto pids = member_pids(journal);
  ASSERT_GE(pids.size(), 3u) << "the journal names no members";
  for (int pid : pids) {
    EXPECT_TRUE(wait_until([&] { return !process_alive(pid, "coordinator"); }, 10s))
        << "member pid " << pid << " outlived the run";
  }
}

TEST(Interrupt, DuringTheLeaderWaitEndsTheRunAtOnceWithItsReports) {
  const auto dir = scratch_dir("interrupt-leader-wait");
  const auto run = dir / "run";
  // Election timeouts of a minute: no leader for the whole 15 s wait.
  CliProcess process({"run", kPlan, "--out", run.string(), "--set", "topology.election_timeout_ms=[60000,60000]"},
                     dir);
  ASSERT_TRUE(wait_until([&] { return journal_has_phase(run / "journal.jsonl", "warmup"); }, 60s));
  const auto signalled = Clock::now();
  process.signal(SIGINT);
  const auto result = process.wait(30s);
  const auto took = Clock::now() - signalled;
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  // Before every wait polled the request, this took the 15 s of the leader wait.
  EXPECT_LT(took, 5s) << "the run took "
                      << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                      << " ms to end after SIGINT";
  EXPECT_NE(result.err.find("the run could not be carried out: interrupted by Interrupt; every member was stopped"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.out.find("INTERRUPTED  leader-kill"), std::string::npos) << result.out;
  EXPECT_NE(read_file(run / "summary.md").find(": INTERRUPTED"), std::string::npos);
  EXPECT_NE(read_file(run / "junit.xml").find("type=\"interrupted\""), std::string::npos);
  EXPECT_NE(read_file(run / "report.html").find("<p class='banner'>The run was interrupted"), std::string::npos);
  bool aborted = false;
  for (const auto& e : journal_events(run / "journal.jsonl")) {
    aborted = aborted || (e.value("kind", "") == "aborted" && e.value("cause", "") == "interrupted");
  }
  EXPECT_TRUE(aborted) << "the journal does not say the run was interrupted";
  expect_no_member_left(run / "journal.jsonl");
  std::filesystem::remove_all(dir);
}

// A tmpfs of `size` mounted on `dir` for the test's life.
class SmallDisk {
 public:
  SmallDisk(const std::filesystem::path& dir, const std::string& size) : dir_(dir) {
    std::filesystem::create_directories(dir);
    const std::string options = "size=" + size;
    if (::mount("faultline-test", dir.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) == 0) {
      mounted_ = true;
    } else {
      error_ = std::strerror(errno);
    }
  }
  ~SmallDisk() {
    if (mounted_ && ::umount2(dir_.c_str(), 0) != 0) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }

 private:
  std::filesystem::path dir_;
  bool mounted_ = false;
  std::string error_;
};

TEST(FullDisk, TheFirstFailedJournalWriteStopsTheRun) {
  const auto dir = scratch_dir("full-disk");
  const auto journal = dir / "disk" / "run" / "journal.jsonl";
  {
    SmallDisk disk(dir / "disk", "300k");
    if (!disk.mounted()) {
      std::filesystem::remove_all(dir);
      GTEST_SKIP() << "cannot mount a 300 KiB tmpfs (needs root): " << disk.error();
    }
    // The whole drill journals far more than 300 KiB.
    const auto result = run_cli({"run", kPlan, "--out", (dir / "disk" / "run").string()}, 120s);
    EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
    EXPECT_NE(result.err.find("the run could not be carried out: the journal could not be written: No space left on "
                              "device"),
              std::string::npos)
        << result.err;
    EXPECT_NE(result.err.find("every member was stopped"), std::string::npos) << result.err;
    // Readable up to there: every line a whole event, none skipped.
    const auto read = journal::read_journal(journal);
    EXPECT_TRUE(read.skipped.empty()) << read.skipped.front();
    EXPECT_GT(read.events.size(), 100u);
    const std::string text = read_file(journal);
    ASSERT_FALSE(text.empty());
    EXPECT_EQ(text.back(), '\n');
    bool verdict = false;
    for (const auto& e : read.events) verdict = verdict || e.value("kind", "") == "verdict";
    EXPECT_FALSE(verdict) << "the run went on to its verdict on a full disk";
    expect_no_member_left(journal);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace faultline::testing
