// The driver-facing fast paths of Node: next_tick_ms() (a driver may skip
// ticks before it), take_ready(Ready&) (a reused Ready), and one
// acknowledgement for several appends stepped before a Ready is taken.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cluster/raft/raft.hpp"

namespace faultline::raft {
namespace {

// A minimal lock-step driver: fixed 3 ms delay, every Ready carried out at
// once, one proposal every other ms to whoever leads. `skip_ticks` ticks a
// member only from its next_tick_ms(); `reuse_ready` drains into one Ready.
// Returns a trace of every Ready, so two drivings can be compared exactly.
std::vector<std::string> drive(bool skip_ticks, bool reuse_ready, std::int64_t duration_ms) {
  const std::vector<NodeId> ids{1, 2, 3};
  std::map<NodeId, std::unique_ptr<Node>> nodes;
  for (NodeId id : ids) {
    Config c;
    c.id = id;
    c.members = ids;
    c.seed = 7;
    nodes[id] = std::make_unique<Node>(c, HardState{}, std::vector<Entry>{}, 0);
  }
  std::multimap<std::int64_t, Message> in_flight;
  std::vector<std::string> trace;
  Ready reused;
  auto carry_out = [&](Node& n, std::int64_t now) {
    while (n.has_ready()) {
      Ready by_value;
      Ready& r = reuse_ready ? reused : by_value;
      if (reuse_ready) {
        n.take_ready(reused);
      } else {
        by_value = n.take_ready();
      }
      std::string line = std::to_string(now) + " n" + std::to_string(n.id()) + " a" +
                         std::to_string(r.append.size()) + " c" + std::to_string(r.committed.size()) +
                         " m" + std::to_string(r.messages.size());
      if (r.hard_state) line += " t" + std::to_string(r.hard_state->term);
      if (!r.committed.empty()) line += " last " + r.committed.back().command;
      trace.push_back(line);
      for (const Message& m : r.messages) in_flight.emplace(now + 3, m);
    }
  };
  std::uint64_t op = 0;
  for (std::int64_t now = 0; now < duration_ms; ++now) {
    auto due = in_flight.begin();
    while (due != in_flight.end() && due->first <= now) {
      Node& to = *nodes.at(due->second.to);
      to.step(due->second, now);
      carry_out(to, now);
      due = in_flight.erase(due);
    }
    if (now % 2 == 0) {
      for (NodeId id : ids) {
        if (nodes[id]->role() == Role::leader) {
          nodes[id]->propose("op" + std::to_string(op++), now);
          carry_out(*nodes[id], now);
        }
      }
    }
    for (NodeId id : ids) {
      Node& n = *nodes[id];
      if (skip_ticks && now < n.next_tick_ms()) continue;
      n.tick(now);
      carry_out(n, now);
    }
  }
  return trace;
}

TEST(RaftDriverApi, SkippingTicksBeforeNextTickChangesNothing) {
  const std::vector<std::string> every_ms = drive(false, false, 3000);
  const std::vector<std::string> skipping = drive(true, false, 3000);
  ASSERT_GT(every_ms.size(), 1000u);  // an election and steady replication happened
  EXPECT_EQ(skipping, every_ms);
}

TEST(RaftDriverApi, ReusedReadyCarriesTheSameWorkAsByValue) {
  EXPECT_EQ(drive(false, true, 3000), drive(false, false, 3000));
}

TEST(RaftDriverApi, NextTickIsTheElectionDeadlineOfAFollower) {
  Config c;
  c.id = 1;
  c.members = {1, 2, 3};
  Node n(c, HardState{}, {}, 100);
  const std::int64_t next = n.next_tick_ms();
  EXPECT_GE(next, 100 + c.election_timeout_min_ms);
  EXPECT_LE(next, 100 + c.election_timeout_max_ms);
  n.tick(next - 1);
  EXPECT_FALSE(n.has_ready());  // nothing due before it
  n.tick(next);
  EXPECT_TRUE(n.has_ready());   // the (pre-)vote round starts at it
}

Message append_from_leader(Index prev_index, Term prev_term, std::vector<Entry> entries, Index commit) {
  AppendRequest req;
  req.prev_index = prev_index;
  req.prev_term = prev_term;
  req.entries = std::move(entries);
  req.leader_commit = commit;
  return Message{2, 1, 1, req};
}

TEST(RaftDriverApi, AppendsSteppedBeforeOneReadyGetOneAcknowledgement) {
  Config c;
  c.id = 1;
  c.members = {1, 2, 3};
  Node n(c, HardState{1, std::nullopt, 0}, {}, 0);
  (void)n.take_ready();
  n.step(append_from_leader(0, 0, {Entry{1, 1, "a"}}, 0), 1);
  n.step(append_from_leader(1, 1, {Entry{1, 2, "b"}, Entry{1, 3, "c"}}, 1), 1);
  n.step(append_from_leader(0, 0, {}, 1), 1);  // a stale heartbeat proving less
  const Ready r = n.take_ready();
  ASSERT_EQ(r.messages.size(), 1u);
  const auto* ack = std::get_if<AppendResponse>(&r.messages[0].body);
  ASSERT_NE(ack, nullptr);
  EXPECT_TRUE(ack->success);
  EXPECT_EQ(ack->match_index, 3u);
  EXPECT_EQ(r.append.size(), 3u);
}

TEST(RaftDriverApi, ARecycledEntriesBufferCarriesTheNextAppend) {
  Config c;
  c.id = 1;
  c.members = {1, 2};
  c.pre_vote = false;
  Node leader(c, HardState{}, {}, 0);
  leader.start_election(0);
  (void)leader.take_ready();
  leader.step(Message{2, 1, 1, VoteResponse{true, false}}, 1);
  ASSERT_EQ(leader.role(), Role::leader);
  Ready r = leader.take_ready();  // the no-op, probing member 2
  ASSERT_EQ(r.messages.size(), 1u);
  auto* first = std::get_if<AppendRequest>(&r.messages[0].body);
  ASSERT_NE(first, nullptr);
  ASSERT_EQ(first->entries.size(), 1u);
  // Member 2 matches: replication pipelines from index 2 on.
  leader.step(Message{2, 1, 1, AppendResponse{true, 1, 0, 0}}, 2);
  const Entry* buffer = first->entries.data();
  leader.recycle(std::move(first->entries));
  ASSERT_TRUE(leader.propose("x", 3));
  r = leader.take_ready();
  const AppendRequest* next = nullptr;
  for (const Message& m : r.messages) {
    if (const auto* a = std::get_if<AppendRequest>(&m.body); a != nullptr && !a->entries.empty()) next = a;
  }
  ASSERT_NE(next, nullptr);
  ASSERT_EQ(next->entries.size(), 1u);
  EXPECT_EQ(next->entries[0].command, "x");
  EXPECT_EQ(next->entries.data(), buffer);  // the lent capacity, not a new allocation
}

TEST(RaftDriverApi, ARejectIsNeverMergedIntoAnAcknowledgement) {
  Config c;
  c.id = 1;
  c.members = {1, 2, 3};
  Node n(c, HardState{1, std::nullopt, 0}, {}, 0);
  (void)n.take_ready();
  n.step(append_from_leader(5, 1, {Entry{1, 6, "x"}}, 0), 1);  // a gap: rejected
  n.step(append_from_leader(0, 0, {Entry{1, 1, "a"}}, 0), 1);
  const Ready r = n.take_ready();
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_FALSE(std::get<AppendResponse>(r.messages[0].body).success);
  EXPECT_TRUE(std::get<AppendResponse>(r.messages[1].body).success);
  EXPECT_EQ(std::get<AppendResponse>(r.messages[1].body).match_index, 1u);
}

}  // namespace
}  // namespace faultline::raft
