// The journal writer on a failing disk: the first failed write is seen, the
// file ends at its last whole line, and nothing more is written.
#include "drills/journal/journal.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

namespace faultline::journal {
namespace {

std::filesystem::path scratch(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("faultline-journal-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(JournalWriter, WritesOneEventALineAndReadsItBack) {
  const auto dir = scratch("ok");
  {
    JournalWriter w(dir / "journal.jsonl", monotonic_ns());
    w.write("run", Json{{"plan_name", "p"}});
    w.write_at(5, "note", Json{{"text", "hello"}});
    EXPECT_FALSE(w.failed());
    EXPECT_EQ(w.failure(), std::nullopt);
  }
  const auto read = read_journal(dir / "journal.jsonl");
  ASSERT_EQ(read.events.size(), 2u);
  EXPECT_EQ(read.events[0]["kind"], "run");
  EXPECT_EQ(read.events[1]["t_ns"], 5);
  EXPECT_TRUE(read.skipped.empty());
  std::filesystem::remove_all(dir);
}

TEST(JournalWriter, AFullDeviceFailsTheFirstWriteAndDropsTheRest) {
  // /dev/full answers every write(2) with ENOSPC.
  JournalWriter w("/dev/full", monotonic_ns());
  int observed = 0;
  w.set_observer({"phase"}, [&](const std::string&, const Json&) { ++observed; });
  w.write("phase", Json{{"phase", "setup"}});
  ASSERT_TRUE(w.failed());
  const auto failure = w.failure();
  ASSERT_TRUE(failure.has_value());
  EXPECT_NE(failure->find("the journal could not be written: No space left on device"), std::string::npos) << *failure;
  EXPECT_NE(failure->find("/dev/full, line 1"), std::string::npos) << *failure;
  w.write("phase", Json{{"phase", "warmup"}});
  EXPECT_EQ(*w.failure(), *failure) << "the first failure is the one reported";
  EXPECT_EQ(observed, 0) << "an event that was not written must not be shown";
}

TEST(JournalWriter, ObserverSeesOnlyItsKindsOnceWritten) {
  const auto dir = scratch("observer");
  JournalWriter w(dir / "journal.jsonl", monotonic_ns());
  std::vector<std::string> seen;
  w.set_observer({"phase", "fault.inject"}, [&](const std::string& kind, const Json& event) {
    seen.push_back(kind + ":" + event.value("phase", ""));
  });
  w.write("phase", Json{{"phase", "setup"}});
  w.write("op.invoke", Json{{"op", 1}});
  w.write_at(9, "fault.inject", Json{{"fault", 0}});
  EXPECT_EQ(seen, (std::vector<std::string>{"phase:setup", "fault.inject:"}));
  std::filesystem::remove_all(dir);
}

// A partial write (the disk fills in the middle of a line) leaves a torn
// line on disk unless the writer cuts it. RLIMIT_FSIZE makes the kernel do
// exactly that, in a child so the limit does not reach the test process.
TEST(JournalWriter, ATornLineIsCutSoTheJournalEndsAtAWholeEvent) {
  const auto dir = scratch("torn");
  const auto file = dir / "journal.jsonl";
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::signal(SIGXFSZ, SIG_IGN);  // EFBIG instead of death at the limit
    rlimit limit{1000, 1000};
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(10);
    JournalWriter w(file, monotonic_ns());
    for (int i = 0; i < 100 && !w.failed(); ++i) w.write("op.invoke", Json{{"op", i}, {"key", std::string(37, 'k')}});
    if (!w.failed()) ::_exit(11);
    if (w.failure()->find("File too large") == std::string::npos) ::_exit(12);
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0) << "10: setrlimit, 11: no failure seen, 12: wrong reason";
  const auto size = std::filesystem::file_size(file);
  EXPECT_LE(size, 1000u);
  std::ifstream in(file, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n') << "the journal ends inside a line";
  const auto read = read_journal(file);
  EXPECT_TRUE(read.skipped.empty()) << read.skipped.front();
  EXPECT_GT(read.events.size(), 3u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace faultline::journal
