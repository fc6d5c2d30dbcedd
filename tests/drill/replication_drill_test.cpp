// The replication modes end to end (drills/library/async-leader-kill.json):
// under async replication a leader SIGKILLed while its followers lag loses
// acknowledged writes — every one of them acknowledged by that leader before
// it died, each listed in the report — and the same faults under sync lose
// none.
#include <gtest/gtest.h>

#include <map>

#include "drills/verify/objectives.hpp"
#include "tests/support/cli_process.hpp"

namespace faultline::testing {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

const std::string kPlan = std::string(FAULTLINE_SOURCE_DIR) + "/drills/library/async-leader-kill.json";

const verify::Fault* fault_of_kind(const verify::History& h, const std::string& kind) {
  for (const auto& f : h.faults) {
    if (f.kind == kind) return &f;
  }
  return nullptr;
}

TEST(ReplicationDrill, AsyncLeaderKillLosesAcknowledgedWritesAndListsThem) {
  const auto out = scratch_dir("async-leader-kill");
  const auto result = run_cli({"run", kPlan, "--out", (out / "run").string()}, 120s);
  // The plan's floor (min_lost_writes 100) and budget (rpo_writes 8000) both hold.
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;

  const auto events = journal_events(out / "run" / "journal.jsonl");
  const verify::History h = verify::history_from(events);
  const verify::Verdict v = verify::evaluate(h);
  const verify::Fault* kill = fault_of_kind(h, "kill");
  ASSERT_NE(kill, nullptr);
  ASSERT_EQ(kill->targets.size(), 1u);
  ASSERT_TRUE(v.rpo.measured) << v.rpo.detail;
  EXPECT_GT(v.rpo.lost.size(), 0u) << result.out;
  EXPECT_LE(v.rpo.lost.size(), 8000u) << result.out;
  std::map<std::string, const verify::Op*> ops;
  for (const auto& op : h.ops) ops[op.id] = &op;
  const std::string html = read_file(out / "run" / "report.html");
  std::size_t listed = 0;
  for (const auto& lost : v.rpo.lost) {
    // Acknowledged by the leader that was killed, before it died: what async
    // promised and could not keep.
    EXPECT_LE(lost.complete_ns, kill->inject_ns) << lost.op;
    ASSERT_TRUE(ops.count(lost.op)) << lost.op;
    EXPECT_EQ(ops[lost.op]->member, kill->targets[0]) << lost.op;
    // The report lists the first 100, oldest first.
    if (listed++ < 100) {
      EXPECT_NE(html.find(">" + lost.op + "<"), std::string::npos) << lost.op;
    }
  }
  EXPECT_NE(result.out.find("acknowledged writes lost"), std::string::npos) << result.out;
  std::filesystem::remove_all(out);
}

TEST(ReplicationDrill, SyncLosesNothingUnderTheSameFaults) {
  const auto out = scratch_dir("sync-leader-kill");
  const auto result =
      run_cli({"run", kPlan, "--set", "topology.replication=sync", "--out", (out / "run").string()}, 120s);
  // Only the plan's loss floor may fail: it expects async's loss.
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  const auto events = journal_events(out / "run" / "journal.jsonl");
  const verify::History h = verify::history_from(events);
  const verify::Verdict v = verify::evaluate(h);
  ASSERT_TRUE(v.rpo.measured) << v.rpo.detail;
  EXPECT_GT(v.rpo.acknowledged, 1000u);
  EXPECT_EQ(v.rpo.checked, v.rpo.acknowledged);
  EXPECT_TRUE(v.rpo.lost.empty()) << result.out;
  ASSERT_NE(fault_of_kind(h, "kill"), nullptr);
  EXPECT_EQ(check_event(events, "min_lost_writes").value("pass", true), false);
  EXPECT_EQ(check_event(events, "rpo_writes").value("pass", false), true);
  std::filesystem::remove_all(out);
}

}  // namespace
}  // namespace faultline::testing
