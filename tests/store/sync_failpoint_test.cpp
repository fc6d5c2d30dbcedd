// The disk failpoints under a real FileStorage: a slow sync takes at least
// its delay, a failing one is an error naming the log, and a lying one
// loses, at a power loss, exactly what was written since the lie began.
#include "cluster/store/sync_failpoint.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>

#include "cluster/store/file_storage.hpp"
#include "cluster/store/power_loss.hpp"

namespace faultline::store {
namespace {

using raft::Entry;
using raft::HardState;

class SyncFailpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() /
            ("faultline-syncfp-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
    dir_ = root_ / "data";
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::filesystem::path root_;
  std::filesystem::path dir_;
};

TEST_F(SyncFailpointTest, SlowSyncTakesAtLeastItsDelay) {
  SyncFailpoint failpoint;
  FileStorage s(dir_, failpoint);
  ASSERT_TRUE(s.load().error.empty());
  failpoint.set_slow(30);
  ASSERT_FALSE(s.append({{1, 1, "a"}}));
  const auto start = std::chrono::steady_clock::now();
  ASSERT_FALSE(s.sync());
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, std::chrono::milliseconds(30));
  const SyncStats stats = failpoint.stats();
  EXPECT_EQ(stats.mode, DiskMode::slow_fsync);
  EXPECT_EQ(stats.syncs_in_mode, 1u);
  EXPECT_GE(stats.mean_ms, 30.0);
}

TEST_F(SyncFailpointTest, FailingSyncIsAnErrorNamingTheLog) {
  SyncFailpoint failpoint;
  FileStorage s(dir_, failpoint);
  ASSERT_TRUE(s.load().error.empty());
  failpoint.set_fail();
  ASSERT_FALSE(s.append({{1, 1, "a"}}));
  const Error err = s.sync();
  ASSERT_TRUE(err.has_value());
  EXPECT_NE(err->find("cannot fsync"), std::string::npos) << *err;
  EXPECT_NE(err->find("log"), std::string::npos) << *err;
  EXPECT_NE(err->find("Input/output error"), std::string::npos) << *err;
  EXPECT_EQ(failpoint.stats().failed, 1u);
  // A hard state change cannot be made durable either.
  EXPECT_TRUE(s.save_hard_state(HardState{2, 1, 0}).has_value());
}

TEST_F(SyncFailpointTest, PowerLossAfterLyingDropsEverythingSinceTheLieBegan) {
  SyncFailpoint failpoint;
  {
    FileStorage s(dir_, failpoint);
    ASSERT_TRUE(s.load().error.empty());
    ASSERT_FALSE(s.save_hard_state(HardState{1, 1, 1}));
    ASSERT_FALSE(s.append({{1, 1, "synced"}}));
    ASSERT_FALSE(s.sync());
    ASSERT_FALSE(failpoint.start_lying(dir_));
    EXPECT_TRUE(has_synced_copy(dir_));
    ASSERT_FALSE(s.save_hard_state(HardState{2, 2, 2}));
    ASSERT_FALSE(s.append({{2, 2, "lied"}, {2, 3, "lied too"}}));
    ASSERT_FALSE(s.sync());
    EXPECT_GE(failpoint.stats().lied, 2u);
  }
  // A process crash keeps the page cache: without the power loss the lied
  // writes are all there.
  {
    FileStorage peek(dir_);
    EXPECT_EQ(peek.load().log.size(), 3u);
  }
  const PowerLossResult lost = drop_unsynced(dir_);
  ASSERT_TRUE(lost.error.empty()) << lost.error;
  EXPECT_TRUE(lost.restored);
  EXPECT_GT(lost.bytes_dropped, 0u);
  EXPECT_FALSE(has_synced_copy(dir_));
  FileStorage after(dir_);
  const Recovered r = after.load();
  ASSERT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.log, (std::vector<Entry>{{1, 1, "synced"}}));
  EXPECT_EQ(r.hard.term, 1u);
}

TEST_F(SyncFailpointTest, ClearingALieMakesItsWritesDurableAndForgetsTheCopy) {
  SyncFailpoint failpoint;
  FileStorage s(dir_, failpoint);
  ASSERT_TRUE(s.load().error.empty());
  ASSERT_FALSE(failpoint.start_lying(dir_));
  ASSERT_FALSE(s.append({{1, 1, "a"}}));
  ASSERT_FALSE(s.sync());
  ASSERT_FALSE(failpoint.clear(dir_));
  EXPECT_FALSE(has_synced_copy(dir_));
  EXPECT_EQ(failpoint.mode(), DiskMode::off);
  // Nothing is left for a power loss to drop.
  EXPECT_FALSE(drop_unsynced(dir_).restored);
  FileStorage again(dir_);
  EXPECT_EQ(again.load().log.size(), 1u);
}

}  // namespace
}  // namespace faultline::store
