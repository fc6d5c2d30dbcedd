// The ordering rule: due = max(previous chunk's due, arrival + sample); the
// queue releases chunks in order, once due.
#include "chaos/proxy/chunk_queue.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace faultline::proxy {
namespace {

TEST(ChunkQueue, DueIsOwnDelayUnlessTheChunkBeforeIsLater) {
  EXPECT_EQ(ChunkQueue::due_of(0, 100, 50), 150);
  EXPECT_EQ(ChunkQueue::due_of(200, 100, 50), 200);  // never overtakes
  EXPECT_EQ(ChunkQueue::due_of(150, 100, 50), 150);
}

TEST(ChunkQueue, AShortDelayWaitsBehindALongOne) {
  ChunkQueue q(8);
  EXPECT_EQ(q.push(10, 0, 1000), 1000);
  EXPECT_EQ(q.push(20, 100, 10), 1000);   // would be due at 110
  EXPECT_EQ(q.push(30, 1500, 10), 1510);  // the queue ahead has gone: own delay
  EXPECT_EQ(q.size(), 3u);
  EXPECT_EQ(q.next_due(), 1000);
  EXPECT_EQ(q.release_due(999, 0), 0u);
  EXPECT_EQ(q.release_due(1000, 0), 20u);  // both chunks due at 1000 go together
  EXPECT_EQ(q.size(), 1u);
  EXPECT_EQ(q.release_due(1509, 20), 20u);
  EXPECT_EQ(q.release_due(2000, 20), 30u);
  EXPECT_TRUE(q.empty());
  // The last due outlives the queue's content.
  EXPECT_EQ(q.last_due(), 1510);
  EXPECT_EQ(q.push(40, 1400, 0), 1510);
}

TEST(ChunkQueue, FullAtCapacityAndReusableAfterRelease) {
  ChunkQueue q(3);
  EXPECT_EQ(q.capacity(), 3u);
  for (std::uint64_t i = 1; i <= 3; ++i) q.push(i * 10, static_cast<std::int64_t>(i), 5);
  EXPECT_TRUE(q.full());
  EXPECT_EQ(q.release_due(6, 0), 10u);
  EXPECT_FALSE(q.full());
  q.push(40, 7, 100);  // wraps around the storage
  EXPECT_EQ(q.release_due(1000, 10), 40u);
  EXPECT_TRUE(q.empty());
}

TEST(ChunkQueue, RandomDelaysNeverReorderAndNeverReleaseEarly) {
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<std::int64_t> gap(0, 2000);
  std::uniform_int_distribution<std::int64_t> delay(0, 50'000);
  ChunkQueue q(64);
  std::int64_t arrival = 0;
  std::uint64_t end = 0;
  std::uint64_t released = 0;
  std::vector<std::pair<std::int64_t, std::int64_t>> own;  // arrival + sample, per chunk
  std::int64_t previous_due = INT64_MIN;
  for (int i = 0; i < 20'000; ++i) {
    arrival += gap(rng);
    const std::uint64_t before = released;
    released = q.release_due(arrival, released);
    ASSERT_GE(released, before);  // offsets only grow: order kept
    if (q.full()) continue;
    end += 1;
    const std::int64_t sample = delay(rng);
    const std::int64_t due = q.push(end, arrival, sample);
    ASSERT_GE(due, arrival + sample);
    ASSERT_GE(due, previous_due);
    ASSERT_EQ(due, std::max(previous_due, arrival + sample));
    previous_due = due;
    if (!q.empty()) {
      ASSERT_GT(q.next_due(), arrival - 1);  // nothing due is left behind
    }
  }
}

}  // namespace
}  // namespace faultline::proxy
