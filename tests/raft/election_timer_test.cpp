// How a follower counts its election timeout (raft::ElectionTimer): on the
// wall clock from the last contact, or in heartbeat ticks as etcd's raft does.
// Each test drives one node by hand: a leader's append at a known time, then
// the node's own next_tick_ms() says when it would campaign.
#include <gtest/gtest.h>

#include <algorithm>
#include <utility>

#include "cluster/raft/node.hpp"

namespace faultline::raft {
namespace {

constexpr std::int64_t kHeartbeat = 50;

Config timer_config(ElectionTimer timer, std::uint64_t seed) {
  Config config{2, {1, 2, 3}};
  config.election_timeout_min_ms = 250;
  config.election_timeout_max_ms = 500;
  config.heartbeat_ms = kHeartbeat;
  config.election_timer = timer;
  config.pre_vote = false;  // the vote request itself marks the campaign
  config.seed = seed;
  return config;
}

// A node of term 1 that hears leader 1 at contact_ms; returns how long after
// that contact it campaigns (checked by ticking just before and at the time).
std::int64_t campaign_delay(ElectionTimer timer, std::uint64_t seed, std::int64_t contact_ms) {
  Node n(timer_config(timer, seed), HardState{1, std::nullopt, 0}, {}, 0);
  n.step(Message{1, 2, 1, AppendRequest{0, 0, {}, 0}}, contact_ms);
  n.take_ready();
  const std::int64_t at = n.next_tick_ms();
  n.tick(at - 1);
  EXPECT_EQ(n.role(), Role::follower) << "seed " << seed << ": campaigned before its own deadline";
  n.tick(at);
  EXPECT_EQ(n.role(), Role::candidate) << "seed " << seed << ": did not campaign at its deadline";
  return at - contact_ms;
}

// The shortest and the longest campaign delay over 300 seeds, the contact
// at a different offset from the node's start each time.
std::pair<std::int64_t, std::int64_t> delay_range(ElectionTimer timer) {
  std::int64_t lo = 1'000'000, hi = 0;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    const std::int64_t d = campaign_delay(timer, seed, 40 + static_cast<std::int64_t>(seed % 50));
    lo = std::min(lo, d);
    hi = std::max(hi, d);
  }
  return {lo, hi};
}

TEST(RaftElectionTimer, WallTimerCampaignsWithinTheDeclaredRange) {
  const auto [lo, hi] = delay_range(ElectionTimer::wall);
  EXPECT_GE(lo, 250);
  EXPECT_LE(hi, 500);
  EXPECT_LT(lo, 270);  // the draws cover the range
  EXPECT_GT(hi, 480);
}

// etcd: --election-timeout=250, heartbeat 50 is 5 ticks, drawn from [5, 10);
// the first tick after a contact is partial, so 200 < delay <= 450.
TEST(RaftElectionTimer, TicksTimerCampaignsAsEtcdCounts) {
  const auto [lo, hi] = delay_range(ElectionTimer::ticks);
  EXPECT_GT(lo, 200);
  EXPECT_LE(hi, 450);
  EXPECT_LT(lo, 250);  // below the minimum a wall timer keeps
  EXPECT_GT(hi, 400);
}

// The deadline sits on the node's own tick grid: a later contact moves it by
// whole ticks (the count restarts at 0), never by the contact's own offset.
TEST(RaftElectionTimer, TicksTimerDeadlinesStayOnTheNodesTickGrid) {
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    Node n(timer_config(ElectionTimer::ticks, seed), HardState{1, std::nullopt, 0}, {}, 0);
    n.step(Message{1, 2, 1, AppendRequest{0, 0, {}, 0}}, 60);
    const std::int64_t first = n.next_tick_ms();
    n.step(Message{1, 2, 1, AppendRequest{0, 0, {}, 0}}, 60 + 37);
    const std::int64_t second = n.next_tick_ms();
    EXPECT_TRUE(second == first || second == first + kHeartbeat)
        << "seed " << seed << ": " << first << " then " << second;
    n.step(Message{1, 2, 1, AppendRequest{0, 0, {}, 0}}, 60 + 37 + 3 * kHeartbeat);
    EXPECT_EQ((n.next_tick_ms() - second) % kHeartbeat, 0) << "seed " << seed;
  }
}

// The pre-vote lease is counted like the timeout: with ticks it ends after
// 5 ticks, 200 to 250 ms after the contact; on the wall clock, after 250 ms.
TEST(RaftElectionTimer, PreVoteLeaseIsCountedLikeTheTimeout) {
  auto granted_at = [](ElectionTimer timer, std::uint64_t seed, std::int64_t after_contact) {
    Config config = timer_config(timer, seed);
    Node n(config, HardState{1, std::nullopt, 0}, {}, 0);
    n.step(Message{1, 2, 1, AppendRequest{0, 0, {}, 0}}, 100);
    n.take_ready();
    n.step(Message{3, 2, 2, VoteRequest{0, 0, true}}, 100 + after_contact);
    const Ready r = n.take_ready();
    EXPECT_EQ(r.messages.size(), 1u);
    return !r.messages.empty() && std::get<VoteResponse>(r.messages[0].body).granted;
  };
  bool some_ticks_lease_ended_early = false;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    EXPECT_FALSE(granted_at(ElectionTimer::ticks, seed, 199)) << "seed " << seed;
    EXPECT_TRUE(granted_at(ElectionTimer::ticks, seed, 250)) << "seed " << seed;
    EXPECT_FALSE(granted_at(ElectionTimer::wall, seed, 249)) << "seed " << seed;
    EXPECT_TRUE(granted_at(ElectionTimer::wall, seed, 250)) << "seed " << seed;
    some_ticks_lease_ended_early = some_ticks_lease_ended_early || granted_at(ElectionTimer::ticks, seed, 225);
  }
  EXPECT_TRUE(some_ticks_lease_ended_early);  // the phase differs between nodes
}

TEST(RaftElectionTimer, TicksTimerWantsWholeHeartbeatsAndAtLeastOneTickOfRange) {
  Config config = timer_config(ElectionTimer::ticks, 1);
  EXPECT_EQ(validate(config, {}), std::nullopt);
  config.election_timeout_min_ms = 260;
  EXPECT_NE(validate(config, {}), std::nullopt);
  config.election_timeout_min_ms = 250;
  config.election_timeout_max_ms = 250;  // [5, 5) ticks: nothing to draw
  EXPECT_NE(validate(config, {}), std::nullopt);
  config.election_timer = ElectionTimer::wall;  // a wall timer takes [250, 250]
  EXPECT_EQ(validate(config, {}), std::nullopt);
}

}  // namespace
}  // namespace faultline::raft
