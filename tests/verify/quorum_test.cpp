// The quorum checks on hand-made journals: a member cut off from the majority
// must acknowledge no write invoked after the cut, and a leader cut off must
// step down before the heal; both checks fail when the journal says otherwise.
#include <gtest/gtest.h>

#include "drills/verify/objectives.hpp"
#include "tests/verify/journal_builder.hpp"

namespace faultline::verify {
namespace {

using testing::Json;
using testing::JournalBuilder;
using testing::ms_ns;

Json blocked_pairs(const std::vector<std::pair<std::string, std::string>>& sides) {
  Json out = Json::array();
  for (const auto& [a, b] : sides) {
    out.push_back(Json::array({a, b}));
    out.push_back(Json::array({b, a}));
  }
  return out;
}

// c1 leads term 1 and is isolated from c2 and c3 at 1000 ms, healed at 3000.
JournalBuilder isolated_leader() {
  JournalBuilder b;
  b.run(std::nullopt, std::nullopt);
  for (const std::string m : {"c1", "c2", "c3"}) b.sample(100, m, m == "c1" ? "leader" : "follower", 1, 50.0);
  b.event(1000, "fault.inject",
          {{"fault", 0}, {"fault_kind", "partition"}, {"effect", "isolated"}, {"selector", "leader"},
           {"targets", {"c1"}}, {"term", 1},
           {"detail", {{"shape", "isolate"}, {"blocked", blocked_pairs({{"c1", "c2"}, {"c1", "c3"}})}}}});
  b.event(3000, "fault.heal", {{"fault", 0}, {"fault_kind", "partition"}, {"targets", {"c1"}}});
  return b;
}

JournalBuilder& ack(JournalBuilder& b, const std::string& op, const std::string& member, double invoke, double complete) {
  b.event(invoke, "op.invoke", {{"op", op}, {"client", 0}, {"f", "put"}, {"key", op}, {"value", "v"}});
  return b.event(complete, "op.complete",
                 {{"op", op}, {"client", 0}, {"f", "put"}, {"key", op}, {"value", "v"}, {"result", "ok"}, {"member", member}});
}

const CheckResult& check(const Verdict& v, const std::string& objective) {
  for (const auto& c : v.checks) {
    if (c.objective == objective) return c;
  }
  ADD_FAILURE() << "no check " << objective;
  static const CheckResult none;
  return none;
}

TEST(Quorum, ASteppedDownLeaderWithoutAcksPasses) {
  auto b = isolated_leader();
  ack(b, "a", "c1", 900, 950);    // before the cut: fine
  ack(b, "b", "c2", 1500, 1600);  // the majority side: fine
  ack(b, "c", "c1", 2900, 3100);  // invoked during the cut, committed after the heal: fine
  b.sample(1600, "c1", "follower", 1, 1580.0);
  const Verdict v = evaluate(history_from(b.events()));
  ASSERT_TRUE(v.quorum.applicable);
  EXPECT_EQ(v.quorum.without_quorum, std::vector<std::string>{"c1"});
  EXPECT_TRUE(check(v, "isolated_leader_acks").pass);
  const CheckResult& down = check(v, "isolated_leader_step_down");
  EXPECT_TRUE(down.pass) << down.detail;
  ASSERT_EQ(v.quorum.leaders.size(), 1u);
  EXPECT_DOUBLE_EQ(*v.quorum.leaders[0].step_down_ms(), 580.0);  // placed at its role instant
}

TEST(Quorum, AnAckFromTheCutOffLeaderFails) {
  auto b = isolated_leader();
  ack(b, "bad", "c1", 1200, 1300);
  b.sample(1600, "c1", "follower", 1, 1580.0);
  const Verdict v = evaluate(history_from(b.events()));
  const CheckResult& acks = check(v, "isolated_leader_acks");
  EXPECT_FALSE(acks.pass);
  EXPECT_EQ(acks.measured, 1.0);
  EXPECT_NE(acks.detail.find("op bad"), std::string::npos) << acks.detail;
  EXPECT_FALSE(v.pass);
}

TEST(Quorum, ALeaderThatLeadsUntilTheHealFails) {
  auto b = isolated_leader();
  b.sample(2500, "c1", "leader", 1, 50.0);
  b.sample(3500, "c1", "follower", 2, 3400.0);  // after the heal: too late
  const Verdict v = evaluate(history_from(b.events()));
  const CheckResult& down = check(v, "isolated_leader_step_down");
  EXPECT_FALSE(down.pass);
  EXPECT_NE(down.detail.find("still led"), std::string::npos) << down.detail;
}

TEST(Quorum, HalvesOfFourLeaveNobodyAQuorum) {
  JournalBuilder b;
  b.run(std::nullopt, std::nullopt);
  for (const std::string m : {"c1", "c2", "c3", "c4"}) b.sample(100, m, m == "c1" ? "leader" : "follower", 1, 50.0);
  b.event(1000, "fault.inject",
          {{"fault", 0}, {"fault_kind", "partition"}, {"effect", "isolated"}, {"targets", {"c1", "c2", "c3", "c4"}},
           {"detail", {{"blocked", blocked_pairs({{"c1", "c3"}, {"c1", "c4"}, {"c2", "c3"}, {"c2", "c4"}})}}}});
  ack(b, "x", "c3", 1500, 1600);
  const Verdict v = evaluate(history_from(b.events()));
  EXPECT_EQ(v.quorum.without_quorum.size(), 4u);
  EXPECT_FALSE(check(v, "isolated_leader_acks").pass);
}

TEST(Quorum, ProcessFaultsAndDegradedLinksDoNotApply) {
  JournalBuilder b;
  b.run(std::nullopt, std::nullopt).sample(100, "c1", "leader", 1, 50.0).fault(1000, 1);
  b.event(1200, "fault.inject", {{"fault", 1}, {"fault_kind", "latency"}, {"effect", "degraded"}, {"targets", {"c1"}},
                                 {"detail", {{"links", Json::array({Json::array({"c1", "c2"})})}}}});
  const Verdict v = evaluate(history_from(b.events()));
  EXPECT_FALSE(v.quorum.applicable);
  for (const auto& c : v.checks) EXPECT_NE(c.objective, "isolated_leader_acks");
}

}  // namespace
}  // namespace faultline::verify
