#include <gtest/gtest.h>

#include "drills/verify/objectives.hpp"
#include "drills/verify/rpo.hpp"
#include "tests/verify/journal_builder.hpp"

namespace faultline::verify {
namespace {

using testing::JournalBuilder;

TEST(Rpo, LostAcknowledgedWriteCountsWithItsWindow) {
  JournalBuilder b;
  b.run(std::nullopt, 0.0)
      .put("a", "ka", "1", 1000, 1100.0)
      .put("b", "kb", "2", 1400, 1500.0)
      .fault(2000, 1)
      .put("c", "kc", "3", 2600, 2700.0, "fail")  // not acknowledged: not counted
      .readback(5000, "ka", true, "1")
      .readback(5000, "kb", false, "");
  const History h = history_from(b.events());
  const RpoResult r = measure_rpo(h);
  EXPECT_TRUE(r.measured);
  EXPECT_EQ(r.acknowledged, 2u);
  EXPECT_EQ(r.checked, 2u);
  ASSERT_EQ(r.lost.size(), 1u);
  EXPECT_EQ(r.lost[0].op, "b");
  EXPECT_EQ(r.lost[0].key, "kb");
  EXPECT_EQ(r.lost[0].complete_ns, testing::ms_ns(1500));
  EXPECT_EQ(r.lost[0].reason, "key not found");
  ASSERT_TRUE(r.window_ms.has_value());
  EXPECT_DOUBLE_EQ(*r.window_ms, 500.0);

  const Verdict v = evaluate(h);
  ASSERT_EQ(v.checks[0].objective, "rpo_writes");
  EXPECT_FALSE(v.checks[0].pass);
  EXPECT_EQ(v.checks[0].measured, 1.0);
  EXPECT_EQ(v.checks[0].detail.rfind("RPO 1 writes exceeds the objective of 0 writes by 1 writes", 0), 0u);
}

TEST(Rpo, WindowIsNegativeWhenTheLostWriteWasAckedAfterTheFault) {
  JournalBuilder b;
  b.run(std::nullopt, 0.0).fault(2000, 1).put("a", "ka", "1", 2100, 2300.0).readback(5000, "ka", false, "");
  const RpoResult r = measure_rpo(history_from(b.events()));
  ASSERT_TRUE(r.window_ms.has_value());
  EXPECT_DOUBLE_EQ(*r.window_ms, -300.0);
}

TEST(Rpo, OverwrittenByOlderIsLost) {
  JournalBuilder b;
  b.run(std::nullopt, 0.0)
      .put("old", "k", "a", 100, 110.0)
      .put("new", "k", "b", 200, 210.0)
      .fault(1000, 1)
      .readback(3000, "k", true, "a");
  const RpoResult r = measure_rpo(history_from(b.events()));
  ASSERT_EQ(r.lost.size(), 1u);
  EXPECT_EQ(r.lost[0].op, "new");
  EXPECT_EQ(r.lost[0].reason, "overwritten by older write op old");
}

TEST(Rpo, WriteAckedAfterAConcurrentValueWonIsNotLost) {
  JournalBuilder b;
  // "first" overlaps "second" in real time, so either may be last; the
  // readback of "first"'s value loses neither.
  b.run(std::nullopt, 0.0)
      .put("first", "k", "a", 100, 300.0)
      .put("second", "k", "b", 200, 250.0)
      .readback(3000, "k", true, "a");
  const RpoResult r = measure_rpo(history_from(b.events()));
  EXPECT_EQ(r.acknowledged, 2u);
  EXPECT_TRUE(r.lost.empty());
}

TEST(Rpo, ValueNoClientWroteIsLost) {
  JournalBuilder b;
  b.run(std::nullopt, 0.0).put("w", "k", "a", 100, 110.0).readback(3000, "k", true, "zzz");
  const RpoResult r = measure_rpo(history_from(b.events()));
  ASSERT_EQ(r.lost.size(), 1u);
  EXPECT_NE(r.lost[0].reason.find("no client wrote"), std::string::npos);
}

TEST(Rpo, KeyNeverReadBackIsLostButNotChecked) {
  JournalBuilder b;
  b.run(std::nullopt, 0.0).put("w", "k", "a", 100, 110.0).put("x", "other", "b", 100, 110.0)
      .readback(3000, "other", true, "b");
  const RpoResult r = measure_rpo(history_from(b.events()));
  EXPECT_EQ(r.checked, 1u);
  ASSERT_EQ(r.lost.size(), 1u);
  EXPECT_EQ(r.lost[0].op, "w");
  EXPECT_FALSE(r.window_ms.has_value());  // no fault: no instant to measure from
}

TEST(Rpo, NoReadbackIsNotMeasuredAndFails) {
  JournalBuilder b;
  b.run(std::nullopt, 0.0).put("w", "k", "a", 100, 110.0);
  const Verdict v = evaluate(history_from(b.events()));
  EXPECT_FALSE(v.rpo.measured);
  EXPECT_FALSE(v.rpo.lost_count().has_value());
  ASSERT_FALSE(v.checks.empty());
  EXPECT_EQ(v.checks[0].objective, "rpo_writes");
  EXPECT_FALSE(v.checks[0].pass);
  EXPECT_FALSE(v.checks[0].measured.has_value());
  EXPECT_NE(v.checks[0].detail.find("no readback"), std::string::npos);
  EXPECT_FALSE(v.pass);
}

TEST(Rpo, NothingLostPassesWithZeroWindow) {
  JournalBuilder b;
  b.run(std::nullopt, 0.0).put("w", "k", "a", 100, 110.0).fault(500, 1).readback(3000, "k", true, "a");
  const Verdict v = evaluate(history_from(b.events()));
  EXPECT_TRUE(v.pass);
  EXPECT_EQ(v.rpo.window_ms, 0.0);
}

}  // namespace
}  // namespace faultline::verify
