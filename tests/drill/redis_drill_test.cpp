// The bundled Redis drills end to end: `faultline run` against real
// redis-server and redis-sentinel processes. The primary-kill drill reports
// the failover time with the parts the sentinels mark, and whatever
// acknowledged writes the kill lost, each explained; the partition drill
// shows the writes the isolated old primary acknowledged lost, with times,
// and the built-in Raft checks Redis does not promise left out.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "chaos/netns/probe.hpp"
#include "drills/targets/member_process.hpp"
#include "drills/targets/redis.hpp"
#include "drills/verify/objectives.hpp"
#include "reports/reports.hpp"
#include "tests/support/cli_process.hpp"

namespace faultline::testing {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

std::string plan_path(const std::string& name) {
  return std::string(FAULTLINE_SOURCE_DIR) + "/drills/library/" + name + ".json";
}

class RedisDrill : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* program : {"redis-server", "redis-sentinel"}) {
      if (targets::find_program(program).empty()) GTEST_SKIP() << program << " is not installed (scripts/setup.sh)";
    }
  }

  // Every member the run started is gone once it returned.
  static void expect_no_member_left(const std::vector<Json>& events) {
    for (const auto& e : events) {
      if (e.value("kind", "") != "member.start") continue;
      const int pid = e.value("pid", -1);
      EXPECT_FALSE(pid > 0 && process_alive(pid, "redis")) << e.dump();
    }
  }
};

TEST_F(RedisDrill, PrimaryKillReportsTheFailoverTimeWithItsPartsAndExplainsEveryLostWrite) {
  if (const auto probe = netns::probe(); !probe.available) GTEST_SKIP() << probe.reason;
  const auto out = scratch_dir("redis-kill");
  // A relative run folder (as CI passes one): the members run in their own
  // folders and their configuration names paths under it, so the target has
  // to get it absolute.
  const auto result = run_cli({"run", plan_path("redis-primary-kill"), "--out", "run"}, 150s, out);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("RTO parts: detect"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("down agreed"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("promoted"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("acknowledged writes lost"), std::string::npos) << result.out;

  const auto events = journal_events(out / "run" / "journal.jsonl");
  const verify::History h = verify::history_from(events);
  const verify::Verdict v = verify::evaluate(h);
  // The sentinels are members, but not among those whose majority names a leader.
  EXPECT_EQ(h.members, (std::vector<std::string>{"r1", "r2", "r3"}));
  // The replicas' links slowed first, then the primary killed: RTO and its
  // parts count from the kill (the outage after the degradation).
  ASSERT_EQ(h.faults.size(), 2u);
  EXPECT_EQ(h.faults[0].kind, "bandwidth");
  const verify::Fault& kill = h.faults[1];
  EXPECT_EQ(kill.kind, "kill");
  ASSERT_EQ(kill.targets.size(), 1u);
  EXPECT_EQ(kill.targets[0], "r1");
  EXPECT_EQ(v.rto.fault_ns, kill.inject_ns);
  // A sentinel sees the primary down down-after (2000 ms) after its last
  // answer to a ping (sent every second), so at most about 3 s after the
  // kill; the first acknowledged write on the new primary comes after its
  // promotion, and the failover fits the plan's 5 s.
  const auto& p = v.rto.parts;
  ASSERT_TRUE(p.detect_ms && p.agreed_ms && p.new_leader_ms && p.promoted_ms && p.first_ack_ms) << result.out;
  EXPECT_GT(*p.detect_ms, 0.0);
  EXPECT_GT(*p.detect_ms, 900.0);
  EXPECT_LT(*p.detect_ms, 3500.0);
  EXPECT_LE(*p.detect_ms, *p.agreed_ms);
  EXPECT_LE(*p.agreed_ms, *p.new_leader_ms);
  EXPECT_LE(*p.new_leader_ms, *p.first_ack_ms);
  EXPECT_NE(p.new_leader, "r1");
  ASSERT_TRUE(v.rto.rto_ms);
  EXPECT_LT(*v.rto.rto_ms, 5000.0);
  // Sentinel's events are in the journal, from every sentinel.
  std::set<std::string> reporting;
  for (const auto& e : h.target_events) {
    if (e.part == "detect" && e.member == "r1") reporting.insert(e.source);
  }
  EXPECT_EQ(reporting, (std::set<std::string>{"s1", "s2", "s3"}));
  // The replicas lag behind the primary, so the kill loses writes: every
  // lost write was acknowledged by the killed primary before it died, and
  // its times are in the report.
  ASSERT_TRUE(v.rpo.measured);
  EXPECT_GT(v.rpo.acknowledged, 10'000u);
  EXPECT_GT(v.rpo.lost.size(), 0u) << result.out;
  const std::string html = read_file(out / "run" / "report.html");
  std::map<std::string, std::string> member_of;
  for (const auto& op : h.ops) member_of[op.id] = op.member;
  for (std::size_t i = 0; i < v.rpo.lost.size(); ++i) {
    const auto& lost = v.rpo.lost[i];
    EXPECT_LE(lost.complete_ns, kill.inject_ns) << lost.op;
    EXPECT_EQ(member_of[lost.op], "r1") << lost.op;
    // The report's table shows the first ones and counts the rest.
    if (i < reports::kLostRowsShown) {
      EXPECT_NE(html.find(">" + lost.op + "<"), std::string::npos) << lost.op;
    }
  }
  if (v.rpo.lost.size() > reports::kLostRowsShown) {
    EXPECT_NE(html.find(std::to_string(v.rpo.lost.size() - reports::kLostRowsShown) + " more not shown"),
              std::string::npos);
  }
  expect_no_member_left(events);
  std::filesystem::remove_all(out);
}

TEST_F(RedisDrill, IsolatedPrimaryAcknowledgesWritesTheNewPrimaryNeverSees) {
  if (const auto probe = netns::probe(); !probe.available) GTEST_SKIP() << probe.reason;
  const auto out = scratch_dir("redis-partition");
  const auto result = run_cli({"run", plan_path("redis-primary-partition"), "--out", (out / "run").string()}, 170s);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  // Redis promises neither of Raft's quorum checks; the verdict says so.
  EXPECT_NE(result.out.find("n/a   isolated_leader_acks"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("n/a   isolated_leader_step_down"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("first ack on the new leader"), std::string::npos) << result.out;

  const auto events = journal_events(out / "run" / "journal.jsonl");
  const verify::History h = verify::history_from(events);
  const verify::Verdict v = verify::evaluate(h);
  ASSERT_EQ(h.faults.size(), 1u);
  const verify::Fault& cut = h.faults.front();
  ASSERT_TRUE(cut.heal_ns);
  // The sentinels were cut off from the primary too, and promoted another.
  EXPECT_TRUE(std::find(cut.cut.begin(), cut.cut.end(), std::make_pair(std::string("s1"), std::string("r1"))) !=
              cut.cut.end());
  ASSERT_TRUE(v.rto.parts.promoted_ms && v.rto.parts.new_leader_ack_ms) << result.out;
  EXPECT_LT(*v.rto.parts.promoted_ms, static_cast<double>(*cut.heal_ns - cut.inject_ns) / 1e6);
  // The writes the isolated r1 acknowledged after the cut are lost: many,
  // each listed with its times, each acknowledged by r1 after the cut.
  ASSERT_TRUE(v.rpo.measured);
  EXPECT_GT(v.rpo.lost.size(), 500u) << result.out;
  std::map<std::string, const verify::Op*> by_id;
  for (const auto& op : h.ops) by_id[op.id] = &op;
  for (const auto& lost : v.rpo.lost) {
    const verify::Op* op = by_id.at(lost.op);
    EXPECT_EQ(op->member, "r1") << lost.op;
    EXPECT_GE(op->invoke_ns, cut.start_ns - 1'000'000'000) << lost.op;  // in flight at the cut at the most
  }
  ASSERT_FALSE(v.quorum.acks.empty());
  EXPECT_EQ(v.quorum.acks.front().member, "r1");
  const std::string html = read_file(out / "run" / "report.html");
  EXPECT_NE(html.find(">" + v.rpo.lost.front().op + "<"), std::string::npos);
  EXPECT_NE(html.find("not promised"), std::string::npos);
  expect_no_member_left(events);
  std::filesystem::remove_all(out);
}

TEST_F(RedisDrill, BackendsWithoutNamespacesAreRefusedBeforeAnythingRuns) {
  const auto out = scratch_dir("redis-loopback");
  // The kill alone: a link fault would be refused first, by the loopback
  // backend itself, for any target kind.
  const auto result = run_cli({"run", plan_path("redis-primary-kill"), "--set",
                               R"(faults=[{"kind": "kill", "target": "leader", "at_ms": 3000}])", "--out",
                               (out / "run").string(), "--network", "loopback"},
                              60s);
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_NE(result.err.find("redis-sentinel needs the kernel network backend"), std::string::npos) << result.err;
  expect_no_member_left(journal_events(out / "run" / "journal.jsonl"));
  std::filesystem::remove_all(out);
}

TEST_F(RedisDrill, LinkFaultsOnTheProxyBackendAreRefusedBeforeAnythingRuns) {
  const auto out = scratch_dir("redis-proxy");
  const auto result =
      run_cli({"run", plan_path("redis-primary-partition"), "--out", (out / "run").string(), "--network", "proxy"}, 60s);
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_NE(result.err.find("needs the kernel network backend"), std::string::npos) << result.err;
  expect_no_member_left(journal_events(out / "run" / "journal.jsonl"));
  std::filesystem::remove_all(out);
}

}  // namespace
}  // namespace faultline::testing
