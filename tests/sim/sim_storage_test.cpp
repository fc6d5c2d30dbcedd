// SimStorage: MemoryStorage's crash contract with its single-copy log.
#include <gtest/gtest.h>

#include "cluster/sim/sim_storage.hpp"

namespace faultline::sim {
namespace {

std::vector<raft::Entry> entries(raft::Index from, raft::Index to, raft::Term term) {
  std::vector<raft::Entry> out;
  for (raft::Index i = from; i <= to; ++i) {
    std::string command = std::to_string(term);  // built piecewise: GCC 12 -Wrestrict misfires on "t" + ...
    command += ':';
    command += std::to_string(i);
    out.push_back({term, i, command});
  }
  return out;
}

std::vector<raft::Entry> loaded(SimStorage& s) { return s.load().log; }

TEST(SimStorage, CrashDropsUnsyncedAppends) {
  SimStorage s;
  ASSERT_FALSE(s.append(entries(1, 3, 1)));
  ASSERT_FALSE(s.sync());
  ASSERT_FALSE(s.append(entries(4, 5, 1)));
  EXPECT_EQ(loaded(s).size(), 5u);
  s.crash();
  EXPECT_EQ(loaded(s), entries(1, 3, 1));
}

TEST(SimStorage, CrashUndoesUnsyncedTruncates) {
  SimStorage s;
  ASSERT_FALSE(s.append(entries(1, 6, 1)));
  ASSERT_FALSE(s.sync());
  // Two truncates and an append, none synced: the crash restores all six.
  ASSERT_FALSE(s.truncate_from(5));
  ASSERT_FALSE(s.truncate_from(3));
  ASSERT_FALSE(s.append(entries(3, 4, 2)));
  const auto visible = loaded(s);
  ASSERT_EQ(visible.size(), 4u);
  EXPECT_EQ(visible.back().term, 2u);
  s.crash();
  EXPECT_EQ(loaded(s), entries(1, 6, 1));
}

TEST(SimStorage, SyncMakesTruncateAndAppendDurable) {
  SimStorage s;
  ASSERT_FALSE(s.append(entries(1, 4, 1)));
  ASSERT_FALSE(s.sync());
  ASSERT_FALSE(s.truncate_from(2));
  ASSERT_FALSE(s.append(entries(2, 3, 2)));
  ASSERT_FALSE(s.sync());
  ASSERT_FALSE(s.truncate_from(3));
  s.crash();
  std::vector<raft::Entry> want = entries(1, 1, 1);
  for (const raft::Entry& e : entries(2, 3, 2)) want.push_back(e);
  EXPECT_EQ(loaded(s), want);
}

TEST(SimStorage, RejectsGapsAndIndexZero) {
  SimStorage s;
  EXPECT_TRUE(s.append(entries(2, 2, 1)));
  EXPECT_TRUE(s.truncate_from(0));
  EXPECT_FALSE(s.truncate_from(9));  // past the end: nothing to drop
}

TEST(SimStorage, HardStateIsDurableAtOnce) {
  SimStorage s;
  raft::HardState h;
  h.term = 7;
  ASSERT_FALSE(s.save_hard_state(h));
  s.crash();
  EXPECT_EQ(s.load().hard.term, 7u);
}

TEST(SimStorage, SnapshotDropsCoveredEntriesAndSurvivesACrash) {
  SimStorage s;
  ASSERT_FALSE(s.append(entries(1, 6, 1)));
  ASSERT_FALSE(s.sync());
  ASSERT_FALSE(s.append(entries(7, 8, 1)));  // not synced
  ASSERT_FALSE(s.save_snapshot(4, 1, "state@4"));
  store::Recovered r = s.load();
  ASSERT_TRUE(r.snapshot);
  EXPECT_EQ(r.snapshot->index, 4u);
  EXPECT_EQ(r.log, entries(5, 8, 1));
  s.crash();
  r = s.load();
  EXPECT_EQ(r.snapshot->data, "state@4");  // durable on return
  EXPECT_EQ(r.log, entries(5, 6, 1));      // the unsynced tail is gone
  // The log continues the snapshot: index 5 is the next after a truncate to it.
  ASSERT_FALSE(s.truncate_from(5));
  EXPECT_TRUE(s.append(entries(6, 6, 2)));
  ASSERT_FALSE(s.append(entries(5, 5, 2)));
  EXPECT_EQ(s.load().log, entries(5, 5, 2));
  EXPECT_TRUE(s.save_snapshot(3, 1, "older"));  // not past the saved one
}

TEST(SimStorage, SnapshotThatDisagreesWithTheLogDropsItAll) {
  SimStorage s;
  ASSERT_FALSE(s.append(entries(1, 5, 1)));
  ASSERT_FALSE(s.sync());
  ASSERT_FALSE(s.truncate_from(3));  // unsynced: a crash would bring 3..5 back
  ASSERT_FALSE(s.save_snapshot(4, 2, "leader's"));  // term 2 at index 4: another history
  EXPECT_TRUE(s.load().log.empty());
  s.crash();
  EXPECT_TRUE(s.load().log.empty());
  EXPECT_EQ(s.load().snapshot->index, 4u);
}

TEST(SimStorage, SnapshotKeepsAnUnsyncedTruncateUndoable) {
  SimStorage s;
  ASSERT_FALSE(s.append(entries(1, 6, 1)));
  ASSERT_FALSE(s.sync());
  ASSERT_FALSE(s.truncate_from(5));
  ASSERT_FALSE(s.append(entries(5, 5, 2)));
  ASSERT_FALSE(s.save_snapshot(2, 1, "s"));
  EXPECT_EQ(s.load().log.size(), 3u);  // 3, 4, and the new 5
  s.crash();
  EXPECT_EQ(s.load().log, entries(3, 6, 1));  // the durable 5 and 6 come back
}

}  // namespace
}  // namespace faultline::sim
