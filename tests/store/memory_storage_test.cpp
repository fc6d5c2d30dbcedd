#include "cluster/store/memory_storage.hpp"

#include <gtest/gtest.h>

namespace faultline::store {
namespace {

using raft::Entry;

TEST(MemoryStorage, CrashDropsWhatWasNotSynced) {
  MemoryStorage s;
  ASSERT_FALSE(s.append({{1, 1, "a"}, {1, 2, "b"}}));
  ASSERT_FALSE(s.sync());
  ASSERT_FALSE(s.append({{1, 3, "unsynced"}}));
  ASSERT_FALSE(s.save_hard_state(raft::HardState{2, 1, 2}));
  EXPECT_EQ(s.load().log.size(), 3u);  // a process restart still sees it
  s.crash();
  Recovered r = s.load();
  EXPECT_EQ(r.log, (std::vector<Entry>{{1, 1, "a"}, {1, 2, "b"}}));
  EXPECT_EQ(r.hard, (raft::HardState{2, 1, 2}));  // saved hard state is durable at once
}

TEST(MemoryStorage, UnsyncedTruncationIsUndoneByCrash) {
  MemoryStorage s;
  ASSERT_FALSE(s.append({{1, 1, "a"}, {1, 2, "b"}}));
  ASSERT_FALSE(s.sync());
  ASSERT_FALSE(s.truncate_from(2));
  ASSERT_FALSE(s.append({{2, 2, "c"}}));
  ASSERT_EQ(s.visible_log().size(), 2u);
  EXPECT_EQ(s.visible_log().back().command, "c");
  s.crash();
  const auto log = s.load().log;
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log.back().command, "b");
}

TEST(MemoryStorage, InjectedFailuresChangeNothing) {
  MemoryStorage s;
  s.fail_writes(true);
  EXPECT_TRUE(s.append({{1, 1, "a"}}).has_value());
  EXPECT_TRUE(s.sync().has_value());
  EXPECT_TRUE(s.save_hard_state(raft::HardState{1, 1, 0}).has_value());
  s.fail_writes(false);
  EXPECT_TRUE(s.load().log.empty());
  EXPECT_EQ(s.load().hard, raft::HardState{});
  EXPECT_TRUE(s.append({{1, 2, "gap"}}).has_value());
}

}  // namespace
}  // namespace faultline::store
