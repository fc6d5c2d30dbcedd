// What a system says of itself (`target.event`, `target`) in the checkers:
// RTO parts from a Redis sentinel's +sdown, +odown and +switch-master, the
// first ack on the new leader when the old one went on acknowledging,
// non-voting members outside the majority, and built-in checks a target
// does not promise left out of the verdict.
#include <gtest/gtest.h>

#include "drills/verify/objectives.hpp"
#include "tests/verify/journal_builder.hpp"

namespace faultline::verify {
namespace {

using testing::JournalBuilder;
using testing::ms_ns;

void put_by(JournalBuilder& b, const std::string& member, double from_ms, double to_ms, const std::string& result) {
  static int next = 0;
  for (double t = from_ms; t < to_ms; t += 100) {
    const std::string id = "q" + std::to_string(next++);
    b.event(t, "op.invoke", {{"op", id}, {"client", "0"}, {"f", "put"}, {"key", "k" + id}, {"value", "v" + id}});
    b.event(t + 10, "op.complete",
            {{"op", id}, {"client", "0"}, {"f", "put"}, {"key", "k" + id}, {"value", "v" + id}, {"result", result},
             {"member", member}});
  }
}

JournalBuilder& sentinel(JournalBuilder& b, double t_ms, const std::string& event, const std::string& member,
                         const std::string& part) {
  Json fields{{"source", "s1"}, {"event", event}, {"text", "..."}, {"member", member}};
  if (!part.empty()) fields["part"] = part;
  return b.event(t_ms, "target.event", fields);
}

TEST(SystemEvents, SentinelEventsMarkDetectAgreeAndPromote) {
  JournalBuilder b;
  b.run(8000.0, std::nullopt).sample(100, "r1", "leader", 0).sample(100, "r2", "follower", 0);
  put_by(b, "r1", 0, 2000, "ok");
  b.fault(2000, 0, "r1");
  put_by(b, "r1", 2000, 4100, "fail");
  sentinel(b, 2500, "+sdown", "r2", "detect");  // a replica: not the fault's target
  sentinel(b, 3000, "+sdown", "r1", "detect");
  sentinel(b, 3100, "+odown", "r1", "agree");
  b.sample(3500, "r2", "leader", 1);
  sentinel(b, 4000, "+switch-master", "r2", "promote");
  put_by(b, "r2", 4100, 7000, "ok");
  b.event(7000, "phase", {{"phase", "done"}});
  const RtoResult r = measure_rto(history_from(b.events()));
  ASSERT_TRUE(r.parts.detect_ms && r.parts.agreed_ms && r.parts.new_leader_ms && r.parts.promoted_ms);
  EXPECT_DOUBLE_EQ(*r.parts.detect_ms, 1000.0);
  EXPECT_DOUBLE_EQ(*r.parts.agreed_ms, 1100.0);
  EXPECT_DOUBLE_EQ(*r.parts.new_leader_ms, 1500.0);
  EXPECT_EQ(r.parts.new_leader, "r2");
  EXPECT_DOUBLE_EQ(*r.parts.promoted_ms, 2000.0);
  ASSERT_TRUE(r.parts.first_ack_ms && r.parts.new_leader_ack_ms);
  EXPECT_DOUBLE_EQ(*r.parts.first_ack_ms, 2110.0);
  EXPECT_DOUBLE_EQ(*r.parts.new_leader_ack_ms, 2110.0);
}

TEST(SystemEvents, WithoutEventsThePartsTheSystemDidNotReportStayEmpty) {
  JournalBuilder b;
  b.run(8000.0, std::nullopt).sample(100, "c1", "leader", 1);
  b.puts(0, 2000, 100, 10).fault(2000, 1).sample(2300, "c2", "leader", 2).puts(2400, 5000, 100, 10);
  const RtoResult r = measure_rto(history_from(b.events()));
  EXPECT_FALSE(r.parts.agreed_ms);
  EXPECT_FALSE(r.parts.promoted_ms);
  EXPECT_TRUE(r.parts.detect_ms);
}

TEST(SystemEvents, AnOldLeaderThatGoesOnAcknowledgingLeavesTheFailoverToTheNewLeadersFirstAck) {
  // r1 is cut off at 2000 and its clients go on writing to it; r2 is
  // promoted at 3500; the clients reach r2 only at 9000.
  JournalBuilder b;
  b.run(8000.0, std::nullopt).sample(100, "r1", "leader", 0).sample(100, "r2", "follower", 0);
  put_by(b, "r1", 0, 9000, "ok");
  b.fault(2000, 0, "r1");
  b.sample(3500, "r2", "leader", 1);
  put_by(b, "r2", 9000, 11000, "ok");
  const RtoResult r = measure_rto(history_from(b.events()));
  ASSERT_TRUE(r.parts.first_ack_ms && r.parts.new_leader_ack_ms);
  EXPECT_DOUBLE_EQ(*r.parts.first_ack_ms, 10.0);
  EXPECT_DOUBLE_EQ(*r.parts.new_leader_ack_ms, 7010.0);
}

TEST(SystemEvents, MembersThatDoNotVoteAreNotCountedAmongTheMembers) {
  JournalBuilder b;
  b.run(std::nullopt, std::nullopt);
  for (const char* id : {"r1", "r2", "r3"}) b.event(10, "member.start", {{"member", id}, {"voter", true}});
  for (const char* id : {"s1", "s2", "s3"}) b.event(20, "member.start", {{"member", id}, {"voter", false}});
  b.event(30, "member.exit", {{"member", "s4"}, {"voter", false}, {"signal", 9}, {"expected", true}});
  b.event(40, "member.start", {{"member", "c9"}});  // journals before the field: a voter
  const History h = history_from(b.events());
  EXPECT_EQ(h.members, (std::vector<std::string>{"c9", "r1", "r2", "r3"}));
  EXPECT_EQ(h.starts.size(), 7u);
}

TEST(SystemEvents, ABuiltInCheckTheTargetDoesNotPromiseIsLeftOutAndSaidSo) {
  JournalBuilder b;
  b.run(std::nullopt, 0.0)
      .event(1, "target", {{"target", "redis-sentinel"},
                           {"not_promised", {{{"check", "stable_leadership"}, {"why", "no such promise"}},
                                             {{"check", "rpo_writes"}, {"why", "declared objectives always count"}}}}})
      .sample(100, "r1", "leader", 0)
      .sample(500, "r2", "leader", 1);  // a leader change while nothing was injected
  b.puts(0, 1000, 100, 10);
  const std::vector<Json> written = b.events();
  for (const Json& e : written) {
    if (e.value("kind", "") == "op.complete") b.readback(2000, e.at("key"), true, e.at("value"));
  }
  const History h = history_from(b.events());
  EXPECT_EQ(h.target.kind, "redis-sentinel");
  ASSERT_EQ(h.not_promised.size(), 2u);
  const Verdict v = evaluate(h);
  for (const auto& c : v.checks) EXPECT_NE(c.objective, "stable_leadership");
  ASSERT_EQ(v.not_promised.size(), 1u);
  EXPECT_EQ(v.not_promised[0].objective, "stable_leadership");
  EXPECT_EQ(v.not_promised[0].why, "no such promise");
  EXPECT_EQ(v.not_promised[0].measured, 1.0);
  // The plan's own objective is checked whatever the target says.
  EXPECT_TRUE(std::any_of(v.checks.begin(), v.checks.end(), [](const CheckResult& c) { return c.objective == "rpo_writes"; }));
  EXPECT_TRUE(v.pass) << (v.failed.empty() ? "" : v.failed.front());
}

}  // namespace
}  // namespace faultline::verify
