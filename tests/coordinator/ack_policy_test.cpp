// The acknowledgement decision of the replication modes (ack_policy.hpp):
// sync waits for apply, semi-sync for the leader's fsync and one follower's,
// async for the leader's fsync alone; applied is enough in every mode, and
// nothing but the facts of the entry's own leadership counts.
#include <gtest/gtest.h>

#include "cluster/coordinator/ack_policy.hpp"

namespace faultline::coordinator {
namespace {

using settings::Replication;

AckFacts facts(bool applied, bool leader_durable, std::size_t followers) {
  AckFacts f;
  f.applied = applied;
  f.leader_durable = leader_durable;
  f.followers_durable = followers;
  return f;
}

TEST(AckPolicy, SyncAcknowledgesOnlyWhatIsApplied) {
  EXPECT_FALSE(acknowledged(Replication::sync, facts(false, false, 0)));
  EXPECT_FALSE(acknowledged(Replication::sync, facts(false, true, 0)));
  // Even every follower holding it is not commit until the leader applies it.
  EXPECT_FALSE(acknowledged(Replication::sync, facts(false, true, 4)));
  EXPECT_TRUE(acknowledged(Replication::sync, facts(true, true, 2)));
}

TEST(AckPolicy, SemiSyncNeedsTheLeadersFsyncAndOneFollowers) {
  EXPECT_FALSE(acknowledged(Replication::semi_sync, facts(false, false, 0)));
  EXPECT_FALSE(acknowledged(Replication::semi_sync, facts(false, true, 0)));
  EXPECT_TRUE(acknowledged(Replication::semi_sync, facts(false, true, 1)));
  EXPECT_TRUE(acknowledged(Replication::semi_sync, facts(false, true, 3)));
  // Followers that hold it while the leader has not fsynced it (or leads
  // another term now) are not the two copies semi-sync promises.
  EXPECT_FALSE(acknowledged(Replication::semi_sync, facts(false, false, 2)));
  EXPECT_TRUE(acknowledged(Replication::semi_sync, facts(true, false, 0)));
}

TEST(AckPolicy, AsyncNeedsTheLeadersFsyncAlone) {
  EXPECT_FALSE(acknowledged(Replication::async, facts(false, false, 0)));
  EXPECT_FALSE(acknowledged(Replication::async, facts(false, false, 2)));
  EXPECT_TRUE(acknowledged(Replication::async, facts(false, true, 0)));
  EXPECT_TRUE(acknowledged(Replication::async, facts(true, false, 0)));
}

TEST(AckPolicy, EveryModeAcknowledgesAtLeastWhenSyncDoes) {
  for (const Replication mode : {Replication::sync, Replication::semi_sync, Replication::async}) {
    for (const bool durable : {false, true}) {
      for (std::size_t followers = 0; followers <= 4; ++followers) {
        const AckFacts f = facts(true, durable, followers);
        EXPECT_TRUE(acknowledged(mode, f)) << settings::to_string(mode);
        // And a weaker mode never waits for more than a stronger one.
        const AckFacts early = facts(false, durable, followers);
        if (acknowledged(Replication::semi_sync, early)) {
          EXPECT_TRUE(acknowledged(Replication::async, early));
        }
        if (acknowledged(Replication::sync, early)) {
          EXPECT_TRUE(acknowledged(Replication::semi_sync, early));
        }
      }
    }
  }
}

TEST(AckPolicy, SemiSyncEqualsSyncWithThreeMembersAndDiffersWithFive) {
  EXPECT_EQ(copies_at_ack(Replication::sync, 3), 2u);
  EXPECT_EQ(copies_at_ack(Replication::semi_sync, 3), 2u);
  EXPECT_FALSE(semi_sync_precedes_commit(3));
  EXPECT_EQ(copies_at_ack(Replication::sync, 5), 3u);
  EXPECT_EQ(copies_at_ack(Replication::semi_sync, 5), 2u);
  EXPECT_TRUE(semi_sync_precedes_commit(5));
  EXPECT_TRUE(semi_sync_precedes_commit(4));
  EXPECT_EQ(copies_at_ack(Replication::async, 5), 1u);
  EXPECT_EQ(copies_at_ack(Replication::semi_sync, 1), 1u);
  EXPECT_FALSE(semi_sync_precedes_commit(1));
}

}  // namespace
}  // namespace faultline::coordinator
