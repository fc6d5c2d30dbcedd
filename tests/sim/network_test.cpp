// SimNetwork's queue: delivery order by (due ms, send order), cut links.
#include <gtest/gtest.h>

#include <algorithm>

#include "cluster/sim/network.hpp"

namespace faultline::sim {
namespace {

raft::Message message(raft::NodeId from, raft::NodeId to, raft::Term tag) {
  raft::Message m;
  m.from = from;
  m.to = to;
  m.term = tag;  // the term field tags each message so the order is visible
  m.body = raft::VoteResponse{};
  return m;
}

std::vector<raft::Term> tags(const std::vector<raft::Message>& ms) {
  std::vector<raft::Term> out;
  for (const raft::Message& m : ms) out.push_back(m.term);
  return out;
}

TEST(SimNetwork, SameDelayDeliversInSendOrderAcrossManySends) {
  LinkParams fixed;
  fixed.delay_min_ms = 3;
  fixed.delay_max_ms = 3;
  SimNetwork net(fixed);
  std::mt19937_64 rng(1);
  // Many messages due at the same ms (heap ties) plus later ones in between.
  for (raft::Term t = 1; t <= 50; ++t) ASSERT_EQ(net.send(message(1, 2, t), 0, rng), SendOutcome::queued);
  for (raft::Term t = 51; t <= 60; ++t) net.send(message(2, 1, t), 1, rng);
  std::uint64_t lost = 0;
  std::vector<raft::Message> out;
  net.deliver_due(2, lost, out);
  EXPECT_TRUE(out.empty());
  net.deliver_due(3, lost, out);
  std::vector<raft::Term> want;
  for (raft::Term t = 1; t <= 50; ++t) want.push_back(t);
  EXPECT_EQ(tags(out), want);
  net.deliver_due(4, lost, out);
  ASSERT_EQ(out.size(), 10u);
  EXPECT_EQ(out.front().term, 51u);
  EXPECT_EQ(net.in_flight(), 0u);
  EXPECT_EQ(lost, 0u);
}

TEST(SimNetwork, LinksAreFifoUnlessReorderingIsOn) {
  SimNetwork net(LinkParams{});  // 1-10 ms, FIFO
  std::mt19937_64 rng(11);
  for (raft::Term t = 1; t <= 300; ++t) {
    net.send(message(1, 2, t), static_cast<std::int64_t>(t / 3), rng);
    net.send(message(3, 2, 1000 + t), static_cast<std::int64_t>(t / 3), rng);
  }
  std::uint64_t lost = 0;
  std::vector<raft::Message> out;
  std::vector<raft::Term> from_1;
  std::vector<raft::Term> from_3;
  for (std::int64_t now = 0; now <= 200; ++now) {
    net.deliver_due(now, lost, out);
    for (const raft::Message& m : out) (m.from == 1 ? from_1 : from_3).push_back(m.term);
  }
  ASSERT_EQ(from_1.size(), 300u);
  EXPECT_TRUE(std::is_sorted(from_1.begin(), from_1.end()));
  EXPECT_TRUE(std::is_sorted(from_3.begin(), from_3.end()));

  LinkParams free;
  free.reorder_per_mille = 1000;
  SimNetwork loose(free);
  for (raft::Term t = 1; t <= 300; ++t) loose.send(message(1, 2, t), static_cast<std::int64_t>(t / 3), rng);
  std::vector<raft::Term> got;
  for (std::int64_t now = 0; now <= 200; ++now) {
    loose.deliver_due(now, lost, out);
    for (const raft::Message& m : out) got.push_back(m.term);
  }
  ASSERT_EQ(got.size(), 300u);
  EXPECT_FALSE(std::is_sorted(got.begin(), got.end()));  // 300 independent 1-10 ms delays overtake
}

TEST(SimNetwork, RandomDelaysDeliverByDueTimeThenSendOrder) {
  LinkParams free;  // 1-10 ms
  free.reorder_per_mille = 1000;  // every message keeps its own delay
  SimNetwork net(free);
  std::mt19937_64 rng(7);
  for (raft::Term t = 1; t <= 200; ++t) net.send(message(1, 2, t), static_cast<std::int64_t>(t % 5), rng);
  std::uint64_t lost = 0;
  std::vector<raft::Message> all;
  std::vector<raft::Message> out;
  for (std::int64_t now = 0; now <= 20; ++now) {
    net.deliver_due(now, lost, out);
    all.insert(all.end(), out.begin(), out.end());
  }
  ASSERT_EQ(all.size(), 200u);
  // Replaying the draws gives each message's due time; the order must match it.
  std::mt19937_64 replay(7);
  std::vector<std::pair<std::int64_t, raft::Term>> due;
  for (raft::Term t = 1; t <= 200; ++t) {
    const std::int64_t delay = SimNetwork::uniform(1, 10, replay);
    due.emplace_back(static_cast<std::int64_t>(t % 5) + delay, t);
  }
  std::stable_sort(due.begin(), due.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 0; i < due.size(); ++i) EXPECT_EQ(all[i].term, due[i].second) << i;
}

TEST(SimNetwork, CutLinkLosesWhatIsInFlightAndWhatIsSent) {
  LinkParams fixed;
  fixed.delay_min_ms = 2;
  fixed.delay_max_ms = 2;
  SimNetwork net(fixed);
  std::mt19937_64 rng(1);
  net.send(message(1, 2, 1), 0, rng);
  net.send(message(2, 1, 2), 0, rng);
  net.set_cut({{1, 2}});
  EXPECT_EQ(net.send(message(1, 2, 3), 0, rng), SendOutcome::cut);
  std::uint64_t lost = 0;
  std::vector<raft::Message> out;
  net.deliver_due(2, lost, out);
  EXPECT_EQ(tags(out), std::vector<raft::Term>{2});
  EXPECT_EQ(lost, 1u);
  // Freed slots are reused without disturbing the order.
  net.set_cut({});
  net.send(message(1, 2, 4), 2, rng);
  net.send(message(1, 2, 5), 2, rng);
  net.deliver_due(4, lost, out);
  EXPECT_EQ(tags(out), (std::vector<raft::Term>{4, 5}));
}

TEST(SimNetwork, NextDueReadsInPlaceInTheSameOrderAsDeliverDue) {
  // Two networks fed the same sends (and cuts) hand out the same messages
  // in the same order, whether drained in batches or one at a time; a
  // message read in place stays intact while the caller reads it, even when
  // sends in between reuse freed slots.
  SimNetwork batch(LinkParams{});
  SimNetwork single(LinkParams{});
  std::mt19937_64 rng_a(3);
  std::mt19937_64 rng_b(3);
  std::vector<raft::Term> from_batch;
  std::vector<raft::Term> from_single;
  std::uint64_t lost_a = 0;
  std::uint64_t lost_b = 0;
  std::vector<raft::Message> out;
  raft::Term tag = 0;
  std::size_t cut_at_send = 0;
  for (std::int64_t now = 0; now < 40; ++now) {
    if (now == 10) {
      batch.set_cut({{2, 1}});
      single.set_cut({{2, 1}});
    }
    if (now == 20) {
      batch.set_cut({});
      single.set_cut({});
    }
    batch.deliver_due(now, lost_a, out);
    for (const raft::Message& m : out) from_batch.push_back(m.term);
    std::vector<raft::Message> read;
    while (const raft::Message* m = single.next_due(now, lost_b)) read.push_back(*m);
    for (const raft::Message& m : read) from_single.push_back(m.term);
    if (now < 30) {
      for (int k = 0; k < 3; ++k) {
        ++tag;
        const raft::NodeId from = 1 + static_cast<raft::NodeId>(k % 2);
        if (batch.send(message(from, 3 - from, tag), now, rng_a) == SendOutcome::cut) ++cut_at_send;
        single.send(message(from, 3 - from, tag), now, rng_b);
      }
    }
  }
  EXPECT_EQ(from_single, from_batch);
  EXPECT_EQ(lost_b, lost_a);
  EXPECT_GT(lost_a, 0u);  // the cut swallowed some in flight
  EXPECT_EQ(from_batch.size() + lost_a + cut_at_send, static_cast<std::size_t>(tag));
  EXPECT_EQ(single.in_flight(), 0u);
}

}  // namespace
}  // namespace faultline::sim
