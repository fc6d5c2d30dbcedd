// Pipelined replication: a follower far behind catches up with several
// batches in flight per round trip, not one.
#include <gtest/gtest.h>

#include "tests/raft/harness.hpp"

namespace faultline::raft {
namespace {

using testing::Cluster;
using testing::ClusterOptions;

// Network hops (one hop delivers everything in flight at its start) until a
// follower that missed 200 entries has applied them all.
int hops_to_catch_up(std::size_t max_inflight_appends) {
  Cluster c(3, ClusterOptions{21, 8, PlantedBug::none, true, max_inflight_appends});
  auto leader = c.wait_for_leader(2000);
  EXPECT_TRUE(leader);
  if (!leader) return -1;
  const NodeId lagging = *leader == 3 ? 2 : 3;
  c.crash(lagging);
  std::optional<Entry> last;
  for (int i = 0; i < 200; ++i) last = c.propose(*leader, "cmd" + std::to_string(i));
  EXPECT_TRUE(c.advance_until([&] { return c.node(*leader).commit_index() >= last->index; }, 1000));
  c.restart(lagging);
  auto kick = c.propose(*leader, "kick");  // the first message to reach it; no time passes
  EXPECT_TRUE(kick);
  if (!kick) return -1;
  int hops = 0;
  while (hops < 500 && c.member(lagging).applied.size() < kick->index - 1 && c.in_flight() > 0) {
    c.deliver(c.in_flight());
    ++hops;
  }
  EXPECT_TRUE(c.violations().empty()) << c.violations().front();
  const auto& applied = c.member(lagging).applied;
  EXPECT_GE(applied.size(), kick->index - 1);
  for (std::size_t i = 0; i < applied.size(); ++i) EXPECT_EQ(applied[i], c.node(*leader).log()[i]);
  return hops;
}

TEST(RaftPipeline, FarBehindFollowerCatchesUpInFewRoundTrips) {
  // 200 entries in batches of 8 need 25 batches; stop-and-wait spends a round
  // trip (two hops) on each, four in flight need a quarter of that.
  const int pipelined = hops_to_catch_up(4);
  const int stop_and_wait = hops_to_catch_up(1);
  RecordProperty("hops_pipelined", pipelined);
  RecordProperty("hops_stop_and_wait", stop_and_wait);
  EXPECT_GT(pipelined, 0);
  EXPECT_LE(pipelined, 20);
  EXPECT_GE(stop_and_wait, 50);
}

}  // namespace
}  // namespace faultline::raft
