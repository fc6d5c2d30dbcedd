// Snapshots in storage: FileStorage and MemoryStorage keep the snapshot and
// the log suffix after it across restarts, torn tails and a crash between
// saving the snapshot and compacting the log; persist() handles a Ready's
// snapshot first; the key-value state machine round-trips through snapshots.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "cluster/store/file_storage.hpp"
#include "cluster/store/kv_state_machine.hpp"
#include "cluster/store/memory_storage.hpp"

namespace faultline::store {
namespace {

using raft::Entry;

std::vector<Entry> entries(raft::Index from, raft::Index to, raft::Term term = 1) {
  std::vector<Entry> out;
  for (raft::Index i = from; i <= to; ++i) {
    // Built with += : GCC 12 at -O3 warns falsely (-Wrestrict) on "e" + string.
    std::string command = "e";
    command += std::to_string(i);
    out.push_back(Entry{term, i, std::move(command)});
  }
  return out;
}

class SnapshotFileStorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("faultline-snap-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(SnapshotFileStorageTest, RoundTripGivesSnapshotAndSuffix) {
  {
    FileStorage s(dir_);
    ASSERT_TRUE(s.load().error.empty());
    ASSERT_FALSE(s.append(entries(1, 10)));
    ASSERT_FALSE(s.sync());
    ASSERT_FALSE(s.save_snapshot(6, 1, "state@6"));
    EXPECT_TRUE(s.save_snapshot(5, 1, "older"));  // not past the saved one
    EXPECT_TRUE(s.append({Entry{1, 10, "dup"}}));   // must continue at 11
    ASSERT_FALSE(s.append(entries(11, 12)));
    ASSERT_FALSE(s.sync());
  }
  FileStorage s(dir_);
  Recovered r = s.load();
  ASSERT_TRUE(r.error.empty()) << r.error;
  ASSERT_TRUE(r.snapshot);
  EXPECT_EQ(*r.snapshot, (raft::Snapshot{6, 1, "state@6"}));
  EXPECT_EQ(r.log, entries(7, 12));
  // The log file itself was compacted, not only the recovered view.
  EXPECT_LT(std::filesystem::file_size(s.log_path()), 6u * 40u);
  // A truncation right after the base and appends keep working after restart.
  ASSERT_FALSE(s.truncate_from(7));
  ASSERT_FALSE(s.append(entries(7, 8, 2)));
  ASSERT_FALSE(s.sync());
  FileStorage again(dir_);
  EXPECT_EQ(again.load().log, entries(7, 8, 2));
}

TEST_F(SnapshotFileStorageTest, TornTailAfterSnapshotIsCut) {
  {
    FileStorage s(dir_);
    ASSERT_TRUE(s.load().error.empty());
    ASSERT_FALSE(s.append(entries(1, 5)));
    ASSERT_FALSE(s.save_snapshot(4, 1, "state@4"));
    ASSERT_FALSE(s.append(entries(6, 8)));
    ASSERT_FALSE(s.sync());
  }
  const auto log = dir_ / "log";
  std::filesystem::resize_file(log, std::filesystem::file_size(log) - 3);  // tear entry 8
  FileStorage s(dir_);
  Recovered r = s.load();
  ASSERT_TRUE(r.error.empty()) << r.error;
  EXPECT_GT(r.bytes_dropped_from_torn_tail, 0u);
  ASSERT_TRUE(r.snapshot);
  EXPECT_EQ(r.snapshot->index, 4u);
  EXPECT_EQ(r.log, entries(5, 7));
  ASSERT_FALSE(s.append(entries(8, 8)));  // continues the cut log
  ASSERT_FALSE(s.sync());
  FileStorage again(dir_);
  EXPECT_EQ(again.load().log, entries(5, 8));
}

TEST_F(SnapshotFileStorageTest, CrashBeforeLogRewriteIsFinishedByLoad) {
  const auto log = dir_ / "log";
  const auto saved = dir_.string() + "-log-before";
  {
    FileStorage s(dir_);
    ASSERT_TRUE(s.load().error.empty());
    ASSERT_FALSE(s.append(entries(1, 10)));
    ASSERT_FALSE(s.sync());
    std::filesystem::copy_file(log, saved, std::filesystem::copy_options::overwrite_existing);
    ASSERT_FALSE(s.save_snapshot(7, 1, "state@7"));
  }
  // The snapshot reached the disk, the rewritten log did not.
  std::filesystem::copy_file(saved, log, std::filesystem::copy_options::overwrite_existing);
  std::filesystem::remove(saved);
  {
    FileStorage s(dir_);
    Recovered r = s.load();
    ASSERT_TRUE(r.error.empty()) << r.error;
    ASSERT_TRUE(r.snapshot);
    EXPECT_EQ(r.log, entries(8, 10));
    ASSERT_FALSE(s.append(entries(11, 11)));
    ASSERT_FALSE(s.sync());
  }
  FileStorage s(dir_);
  EXPECT_EQ(s.load().log, entries(8, 11));
}

TEST_F(SnapshotFileStorageTest, SuffixThatDisagreesWithTheSnapshotIsDropped) {
  FileStorage s(dir_);
  ASSERT_TRUE(s.load().error.empty());
  ASSERT_FALSE(s.append(entries(1, 6)));
  ASSERT_FALSE(s.save_snapshot(4, 2, "a leader's snapshot of another history"));
  ASSERT_FALSE(s.append(entries(5, 5, 2)));
  ASSERT_FALSE(s.sync());
  FileStorage again(dir_);
  Recovered r = again.load();
  ASSERT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.log, entries(5, 5, 2));
}

TEST_F(SnapshotFileStorageTest, CorruptSnapshotRefusesToStart) {
  {
    FileStorage s(dir_);
    ASSERT_TRUE(s.load().error.empty());
    ASSERT_FALSE(s.append(entries(1, 3)));
    ASSERT_FALSE(s.save_snapshot(2, 1, "state@2"));
  }
  std::fstream f(dir_ / "snapshot", std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(10);
  f.put('X');
  f.close();
  FileStorage s(dir_);
  EXPECT_NE(s.load().error.find("corrupt snapshot"), std::string::npos);
}

TEST(SnapshotMemoryStorage, SnapshotIsDurableAndPersistHandlesItFirst) {
  MemoryStorage s;
  ASSERT_FALSE(s.append(entries(1, 5)));
  ASSERT_FALSE(s.sync());
  ASSERT_FALSE(s.append(entries(6, 7)));  // not synced
  // A Ready from InstallSnapshot whose log disagrees: snapshot, then cut the rest.
  raft::Ready ready;
  ready.snapshot = raft::Snapshot{6, 3, "state@6"};
  ready.truncate_from = 7;
  ready.append = {Entry{3, 7, "new"}};
  ASSERT_FALSE(persist(s, ready));
  Recovered r = s.load();
  ASSERT_TRUE(r.snapshot);
  EXPECT_EQ(r.snapshot->index, 6u);
  EXPECT_EQ(r.log, (std::vector<Entry>{{3, 7, "new"}}));
  s.crash();
  r = s.load();
  ASSERT_TRUE(r.snapshot);  // durable on return
  EXPECT_EQ(r.log, (std::vector<Entry>{{3, 7, "new"}}));
  s.fail_writes(true);
  EXPECT_TRUE(s.save_snapshot(7, 3, "x"));
}

TEST(SnapshotKvStateMachine, RoundTripsThroughSnapshotAndRestore) {
  KvStateMachine kv;
  kv.apply({1, 1, R"({"op":"put","key":"a","value":"1"})"});
  kv.apply({1, 2, R"({"op":"put","key":"b","value":"two"})"});
  const std::string snap = kv.snapshot();
  KvStateMachine other;
  ASSERT_FALSE(other.restore(snap));
  EXPECT_EQ(other.data(), kv.data());
  EXPECT_EQ(other.last_applied(), 2u);
  // Re-delivered entries covered by the snapshot are refused, later ones apply.
  EXPECT_NE(other.apply({1, 2, R"({"op":"put","key":"a","value":"x"})"}).find("already applied"),
            std::string::npos);
  other.apply({1, 3, R"({"op":"put","key":"c","value":"3"})"});
  EXPECT_EQ(other.get("c"), "3");

  EXPECT_TRUE(other.restore("not json"));
  EXPECT_TRUE(other.restore(R"({"last_applied":1,"data":{"k":5}})"));
  EXPECT_EQ(other.last_applied(), 3u);  // unchanged by failed restores
  EXPECT_EQ(other.get("a"), "1");
}

}  // namespace
}  // namespace faultline::store
