// The `linearizable` objective: the journal's history through the
// linearizability checker, and the check made from its result.
#include <gtest/gtest.h>

#include <sstream>

#include "drills/verify/objectives.hpp"
#include "tests/verify/journal_builder.hpp"

namespace faultline::verify {
namespace {

using testing::JournalBuilder;

void get(JournalBuilder& b, const std::string& op, const std::string& key, double invoke_ms,
         double complete_ms, const Json& value) {
  b.event(invoke_ms, "op.invoke", {{"op", op}, {"client", "r1"}, {"f", "get"}, {"key", key}});
  b.event(complete_ms, "op.complete",
          {{"op", op}, {"client", "r1"}, {"f", "get"}, {"key", key}, {"value", value},
           {"result", "ok"}, {"member", "c2"}});
}

std::string text_of(const JournalBuilder& b) {
  std::string text;
  for (const Json& e : b.events()) text += e.dump() + "\n";
  return text;
}

JournalBuilder with_objective() {
  JournalBuilder b;
  b.event(0, "run", {{"plan_name", "stale"}, {"plan", {{"objectives", {{"linearizable", true}}}}}});
  return b;
}

TEST(Linearizable, AStaleReadIsAViolationWithEvidence) {
  JournalBuilder b = with_objective();
  b.put("1", "k1", "v1", 0, 10).put("2", "k1", "v2", 20, 30);
  get(b, "3", "k1", 40, 50, "v1");  // v2 was acknowledged before this read began
  std::istringstream in(text_of(b));
  const LinearizabilityResult r = check_linearizability(in, "journal.jsonl");
  EXPECT_EQ(r.verdict, "violation");
  EXPECT_NE(r.evidence.find("not linearizable"), std::string::npos) << r.evidence;
  EXPECT_NE(r.evidence.find("k1"), std::string::npos) << r.evidence;

  const Verdict v = evaluate(history_from(b.events()), r);
  ASSERT_FALSE(v.checks.empty());
  const CheckResult& c = v.checks.front();
  EXPECT_EQ(c.objective, "linearizable");
  EXPECT_FALSE(c.pass);
  EXPECT_EQ(c.measured, 1.0);
  EXPECT_EQ(c.detail.rfind("not linearizable; evidence below\n", 0), 0u) << c.detail;
  EXPECT_NE(c.detail.find(r.evidence), std::string::npos);
  EXPECT_FALSE(v.pass);
  EXPECT_EQ(v.exit_code, 1);
}

TEST(Linearizable, OverlappingReadOfEitherValueIsOk) {
  JournalBuilder b = with_objective();
  b.put("1", "k1", "v1", 0, 10).put("2", "k1", "v2", 20, 60);
  get(b, "3", "k1", 40, 50, "v1");  // overlaps the second put: may precede it
  get(b, "4", "k2", 40, 50, Json());  // never written: absent
  std::istringstream in(text_of(b));
  const LinearizabilityResult r = check_linearizability(in, "journal.jsonl");
  EXPECT_EQ(r.verdict, "ok") << r.evidence;
  EXPECT_EQ(r.keys, 2u);

  const Verdict v = evaluate(history_from(b.events()), r);
  ASSERT_FALSE(v.checks.empty());
  EXPECT_EQ(v.checks.front().objective, "linearizable");
  EXPECT_TRUE(v.checks.front().pass);
  EXPECT_EQ(v.checks.front().measured, 0.0);
  EXPECT_TRUE(v.pass);
}

TEST(Linearizable, UnknownAndUncheckedFailWithTheReason) {
  LinearizabilityResult unknown;
  unknown.verdict = "unknown";
  unknown.reason = "time budget of 30 s exhausted on key k3";
  CheckResult c = check_linearizable(unknown);
  EXPECT_FALSE(c.pass);
  EXPECT_FALSE(c.measured.has_value());
  EXPECT_EQ(c.detail, "unknown: budget exhausted (time budget of 30 s exhausted on key k3)");

  c = check_linearizable(std::nullopt);
  EXPECT_FALSE(c.pass);
  EXPECT_EQ(c.detail.rfind("not checked", 0), 0u);

  // A plan that asks for the check but gets no result fails it.
  const Verdict v = evaluate(history_from(with_objective().events()));
  EXPECT_FALSE(v.pass);
}

TEST(Linearizable, UnreadableJournalIsAnError) {
  const LinearizabilityResult r = check_linearizability(std::filesystem::path("/nonexistent/journal.jsonl"));
  EXPECT_EQ(r.verdict, "error");
  EXPECT_NE(r.reason.find("cannot read"), std::string::npos);
}

}  // namespace
}  // namespace faultline::verify
