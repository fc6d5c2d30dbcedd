// FileStorage: round trip, restart recovery, torn tails and corruption.
#include "cluster/store/file_storage.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "cluster/store/crc32c.hpp"
#include "cluster/store/record.hpp"

namespace faultline::store {
namespace {

using raft::Entry;
using raft::HardState;

class FileStorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("faultline-store-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Writes three entries and a hard state, then closes the storage.
  void write_three() {
    FileStorage s(dir_);
    ASSERT_TRUE(s.load().error.empty());
    ASSERT_FALSE(s.save_hard_state(HardState{3, 2, 2}));
    ASSERT_FALSE(s.append({{1, 1, "a"}, {2, 2, "bb"}, {3, 3, "ccc"}}));
    ASSERT_FALSE(s.sync());
  }

  std::filesystem::path dir_;
};

TEST(Crc32c, MatchesTheStandardCheckValue) {
  EXPECT_EQ(crc32c("123456789"), 0xE3069283U);
  EXPECT_EQ(crc32c(""), 0U);
  EXPECT_EQ(crc32c("6789", crc32c("12345")), 0xE3069283U);
}

TEST_F(FileStorageTest, RoundTripAcrossRestart) {
  write_three();
  FileStorage again(dir_);
  Recovered r = again.load();
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.hard, (HardState{3, 2, 2}));
  EXPECT_EQ(r.log, (std::vector<Entry>{{1, 1, "a"}, {2, 2, "bb"}, {3, 3, "ccc"}}));
  EXPECT_EQ(r.bytes_dropped_from_torn_tail, 0u);
  // Appending continues the recovered log.
  EXPECT_FALSE(again.append({{3, 4, "d"}}));
  EXPECT_TRUE(again.append({{3, 9, "gap"}}).has_value());
}

TEST_F(FileStorageTest, EmptyDirectoryRecoversEmptyState) {
  FileStorage s(dir_);
  Recovered r = s.load();
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.hard, HardState{});
  EXPECT_TRUE(r.log.empty());
  EXPECT_TRUE(std::filesystem::is_directory(dir_));
}

TEST_F(FileStorageTest, WritesBeforeLoadAreRefused) {
  FileStorage s(dir_);
  auto err = s.append({{1, 1, "a"}});
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("call load() first"), std::string::npos);
}

TEST_F(FileStorageTest, TornTailIsCutAndReported) {
  write_three();
  const auto size = std::filesystem::file_size(dir_ / "log");
  std::filesystem::resize_file(dir_ / "log", size - 2);  // the last record lost 2 bytes
  const std::uint64_t last_record = kRecordHeaderBytes + encode_entry({3, 3, "ccc"}).size();
  {
    FileStorage s(dir_);
    Recovered r = s.load();
    EXPECT_TRUE(r.error.empty()) << r.error;
    EXPECT_EQ(r.log.size(), 2u);
    EXPECT_EQ(r.bytes_dropped_from_torn_tail, last_record - 2);
    EXPECT_EQ(std::filesystem::file_size(dir_ / "log"), size - last_record);
    ASSERT_FALSE(s.append({{3, 3, "new"}}));
    ASSERT_FALSE(s.sync());
  }
  FileStorage again(dir_);
  Recovered r = again.load();
  EXPECT_EQ(r.bytes_dropped_from_torn_tail, 0u);
  ASSERT_EQ(r.log.size(), 3u);
  EXPECT_EQ(r.log[2].command, "new");
}

TEST_F(FileStorageTest, CorruptedByteDropsTheRestAndIsReported) {
  write_three();
  const auto size = std::filesystem::file_size(dir_ / "log");
  const std::uint64_t first = kRecordHeaderBytes + encode_entry({1, 1, "a"}).size();
  {
    std::fstream f(dir_ / "log", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(first + kRecordHeaderBytes + 3));  // inside record 2
    f.put('\x7f');
  }
  FileStorage s(dir_);
  Recovered r = s.load();
  EXPECT_TRUE(r.error.empty()) << r.error;
  ASSERT_EQ(r.log.size(), 1u);
  EXPECT_EQ(r.log[0].command, "a");
  EXPECT_EQ(r.bytes_dropped_from_torn_tail, size - first);
}

TEST_F(FileStorageTest, CorruptHardStateIsAnError) {
  write_three();
  {
    std::fstream f(dir_ / "hardstate", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(10);
    f.put('\x01');
  }
  FileStorage s(dir_);
  Recovered r = s.load();
  EXPECT_NE(r.error.find("corrupt hard state"), std::string::npos) << r.error;
}

// Reads the hardstate file alone, as a load would without the commit hint.
HardState hard_state_file(const std::filesystem::path& dir) {
  std::ifstream in(dir / "hardstate", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Scan s = scan(bytes);
  if (s.frames.size() != 1) return HardState{};
  return decode_hard_state(s.frames[0].payload).value_or(HardState{});
}

TEST_F(FileStorageTest, CommitOnlyChangesSkipTheHardStateFileButSurviveRestart) {
  write_three();
  {
    FileStorage s(dir_);
    ASSERT_TRUE(s.load().error.empty());
    ASSERT_FALSE(s.save_hard_state(HardState{3, 2, 3}));  // same term and vote
  }
  EXPECT_EQ(hard_state_file(dir_), (HardState{3, 2, 2}));  // not rewritten
  FileStorage again(dir_);
  EXPECT_EQ(again.load().hard, (HardState{3, 2, 3}));      // the hint counts
  // A new term rewrites the durable file, commit included.
  ASSERT_FALSE(again.save_hard_state(HardState{4, std::nullopt, 3}));
  EXPECT_EQ(hard_state_file(dir_), (HardState{4, std::nullopt, 3}));
}

TEST_F(FileStorageTest, TornOrForeignCommitHintFallsBackToTheHardState) {
  write_three();
  {
    FileStorage s(dir_);
    ASSERT_TRUE(s.load().error.empty());
    ASSERT_FALSE(s.save_hard_state(HardState{3, 2, 3}));
  }
  std::filesystem::resize_file(dir_ / "commit", 5);  // torn by a power loss
  {
    FileStorage s(dir_);
    Recovered r = s.load();
    EXPECT_TRUE(r.error.empty()) << r.error;
    EXPECT_EQ(r.hard, (HardState{3, 2, 2}));
  }
  // A hint left from an older term (the hard state was replaced, the hint
  // not yet) is ignored.
  {
    std::ofstream out(dir_ / "commit", std::ios::binary | std::ios::trunc);
    out << frame(encode_hard_state(HardState{2, 1, 9}));
  }
  FileStorage s(dir_);
  EXPECT_EQ(s.load().hard, (HardState{3, 2, 2}));
}

TEST_F(FileStorageTest, TruncateThenAppendSurvivesRestart) {
  write_three();
  {
    FileStorage s(dir_);
    ASSERT_TRUE(s.load().error.empty());
    ASSERT_FALSE(s.truncate_from(2));
    ASSERT_FALSE(s.append({{4, 2, "x"}}));
    ASSERT_FALSE(s.truncate_from(10));  // past the end: nothing to do
    ASSERT_FALSE(s.sync());
    EXPECT_TRUE(s.truncate_from(0).has_value());
  }
  FileStorage again(dir_);
  Recovered r = again.load();
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.log, (std::vector<Entry>{{1, 1, "a"}, {4, 2, "x"}}));
}

TEST_F(FileStorageTest, PersistCarriesOutAReady) {
  FileStorage s(dir_);
  ASSERT_TRUE(s.load().error.empty());
  raft::Ready ready;
  ready.hard_state = HardState{1, 1, 0};
  ready.append = {{1, 1, ""}};
  ASSERT_FALSE(persist(s, ready));
  FileStorage again(dir_);
  Recovered r = again.load();
  EXPECT_EQ(r.hard, (HardState{1, 1, 0}));
  EXPECT_EQ(r.log.size(), 1u);
}

}  // namespace
}  // namespace faultline::store
