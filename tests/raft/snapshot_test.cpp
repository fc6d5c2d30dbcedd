// Log compaction and InstallSnapshot: the base keeps term_at/last_index
// right, a follower cut off while the leader compacted past its log catches up
// through a snapshot and then through entries, and a restarted member
// recovers from snapshot + suffix.
#include <gtest/gtest.h>

#include "cluster/raft/codec.hpp"
#include "tests/raft/harness.hpp"

namespace faultline::raft {
namespace {

using testing::Cluster;

// Proposes `count` commands on the leader and waits until it commits them all.
Index commit_on_leader(Cluster& c, NodeId leader, const std::string& prefix, int count) {
  Index last = 0;
  for (int i = 0; i < count; ++i) {
    auto e = c.propose(leader, prefix + std::to_string(i));
    if (!e) return 0;
    last = e->index;
  }
  if (!c.advance_until([&] { return c.node(leader).commit_index() >= last; }, 5000)) return 0;
  return last;
}

TEST(RaftSnapshot, CompactionKeepsTermAtAndLastIndex) {
  Cluster c(3);
  auto leader = c.wait_for_leader(2000);
  ASSERT_TRUE(leader);
  const Index last = commit_on_leader(c, *leader, "x", 20);
  ASSERT_GT(last, 0u);
  Node& n = c.node(*leader);
  const Term term_at_10 = n.term_at(10);
  ASSERT_GT(term_at_10, 0u);

  EXPECT_FALSE(n.compact(last + 1, "too far"));  // not applied yet
  ASSERT_TRUE(c.compact(*leader, 10));
  EXPECT_FALSE(n.compact(10, "again"));  // not past the base
  EXPECT_FALSE(n.compact(5, "behind"));
  EXPECT_EQ(n.snapshot_index(), 10u);
  EXPECT_EQ(n.snapshot_term(), term_at_10);
  EXPECT_EQ(n.last_index(), last);
  EXPECT_EQ(n.term_at(10), term_at_10);
  EXPECT_EQ(n.term_at(9), 0u);  // compacted away
  EXPECT_EQ(n.term_at(last), n.term());
  ASSERT_FALSE(n.log().empty());
  EXPECT_EQ(n.log().front().index, 11u);
  EXPECT_EQ(c.member(*leader).durable_log.front().index, 11u);

  // Replication past the base carries on as before.
  auto e = c.commit_everywhere("after compaction", 3000);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->index, last + 1);
  EXPECT_TRUE(c.violations().empty()) << c.violations().front();
}

TEST(RaftSnapshot, LaggingFollowerCatchesUpViaSnapshotThenEntries) {
  Cluster c(3);
  auto leader = c.wait_for_leader(2000);
  ASSERT_TRUE(leader);
  ASSERT_TRUE(c.commit_everywhere("before", 2000));
  const NodeId lagging = *leader == 1 ? 2 : 1;
  const NodeId other = 6 - *leader - lagging;
  c.isolate(lagging);
  const Index last = commit_on_leader(c, *leader, "cut-off-", 40);
  ASSERT_GT(last, 0u);
  ASSERT_TRUE(c.advance_until([&] { return c.node(other).commit_index() >= last; }, 3000));
  ASSERT_LT(c.node(lagging).last_index(), 30u);
  ASSERT_TRUE(c.compact(*leader, 30));
  ASSERT_TRUE(c.compact(other, 30));

  c.heal();
  ASSERT_TRUE(c.advance_until([&] { return c.node(lagging).commit_index() >= last; }, 5000));
  EXPECT_GE(c.snapshots_installed(lagging), 1u);
  EXPECT_GE(c.node(lagging).snapshot_index(), 30u);
  EXPECT_EQ(c.member(lagging).durable_snapshot.index, c.node(lagging).snapshot_index());
  // The restored state machine holds the full history, as on the leader.
  ASSERT_TRUE(c.advance_until(
      [&] { return c.member(lagging).applied.size() == c.member(*leader).applied.size(); }, 2000));
  EXPECT_EQ(c.member(lagging).applied, c.member(*leader).applied);

  // From here on it is an ordinary follower: entries, not snapshots.
  const std::size_t installs = c.snapshots_installed(lagging);
  auto e = c.commit_everywhere("after catch-up", 3000);
  ASSERT_TRUE(e);
  EXPECT_EQ(c.snapshots_installed(lagging), installs);
  EXPECT_EQ(c.member(lagging).applied.back(), *e);
  EXPECT_TRUE(c.violations().empty()) << c.violations().front();
}

TEST(RaftSnapshot, RestartRecoversFromSnapshotAndSuffix) {
  Cluster c(3);
  auto leader = c.wait_for_leader(2000);
  ASSERT_TRUE(leader);
  ASSERT_TRUE(c.commit_everywhere("a", 2000));
  ASSERT_TRUE(c.commit_everywhere("b", 2000));
  const NodeId follower = *leader == 1 ? 2 : 1;
  const Index base = c.node(follower).commit_index();
  ASSERT_TRUE(c.compact(follower, base));
  auto c_entry = c.commit_everywhere("c", 2000);
  ASSERT_TRUE(c_entry);
  const auto applied = c.member(follower).applied;

  c.crash(follower);
  c.restart(follower);
  EXPECT_EQ(c.node(follower).snapshot_index(), base);
  EXPECT_EQ(c.node(follower).last_index(), c_entry->index);
  EXPECT_EQ(c.member(follower).applied, applied);  // snapshot + re-delivered suffix
  ASSERT_TRUE(c.commit_everywhere("d", 3000));
  EXPECT_TRUE(c.violations().empty()) << c.violations().front();
}

TEST(RaftSnapshot, NodeFromSnapshotRejectsALogThatDoesNotContinueIt) {
  Config config{1, {1, 2, 3}};
  EXPECT_TRUE(validate(config, Snapshot{5, 2, "s"}, {Entry{2, 7, "gap"}}));
  EXPECT_TRUE(validate(config, Snapshot{5, 2, "s"}, {Entry{1, 6, "older term"}}));
  EXPECT_FALSE(validate(config, Snapshot{5, 2, "s"}, {Entry{2, 6, "ok"}}));
  Node n(config, HardState{3, std::nullopt, 1}, Snapshot{5, 2, "s"}, {Entry{2, 6, "ok"}}, 0);
  EXPECT_EQ(n.commit_index(), 5u);  // the snapshot is committed
  EXPECT_EQ(n.last_index(), 6u);
  Ready r = n.take_ready();
  EXPECT_TRUE(r.committed.empty());  // the driver restored the snapshot itself
  EXPECT_FALSE(r.snapshot);
}

TEST(RaftSnapshot, InstallSnapshotKeepsAMatchingSuffixAndDropsAConflictingOne) {
  Config config{2, {1, 2, 3}};
  std::vector<Entry> log{{1, 1, "a"}, {1, 2, "b"}, {1, 3, "c"}, {1, 4, "d"}};
  Node keep(config, HardState{1, std::nullopt, 0}, log, 0);
  keep.take_ready();
  keep.step(Message{1, 2, 1, InstallSnapshot{2, 1, "snap", 2}}, 1);
  Ready r = keep.take_ready();
  ASSERT_TRUE(r.snapshot);
  EXPECT_EQ(*r.snapshot, (Snapshot{2, 1, "snap"}));
  EXPECT_FALSE(r.truncate_from);
  EXPECT_EQ(keep.last_index(), 4u);
  ASSERT_FALSE(keep.log().empty());
  EXPECT_EQ(keep.log().front().index, 3u);

  Node drop(config, HardState{1, std::nullopt, 0}, log, 0);
  drop.take_ready();
  drop.step(Message{1, 2, 2, InstallSnapshot{3, 2, "snap", 3}}, 1);
  r = drop.take_ready();
  ASSERT_TRUE(r.snapshot);
  EXPECT_EQ(r.truncate_from, 4u);
  EXPECT_EQ(drop.last_index(), 3u);
  EXPECT_TRUE(drop.log().empty());
  EXPECT_EQ(drop.commit_index(), 3u);
  ASSERT_EQ(r.messages.size(), 1u);
  const auto& resp = std::get<AppendResponse>(r.messages[0].body);
  EXPECT_TRUE(resp.success);
  EXPECT_EQ(resp.match_index, 3u);
}

TEST(RaftSnapshot, CodecRoundTripsInstallSnapshot) {
  Message m{1, 2, 7, InstallSnapshot{40, 6, R"({"last_applied":40,"data":{"k":"v"}})", 41}};
  std::string error;
  auto back = decode(encode(m), &error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(*back, m);
  EXPECT_FALSE(decode(R"({"from":1,"to":2,"term":3,"type":"install_snapshot"})", &error));
  EXPECT_NE(error.find("install_snapshot.last_included_index"), std::string::npos) << error;
}

}  // namespace
}  // namespace faultline::raft
