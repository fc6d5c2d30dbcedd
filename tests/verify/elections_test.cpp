// Election checks on hand-made journals: terms and commit indexes that go
// back (within a life and across a restart), leader changes with no fault,
// the time to a leader known by a majority, and the election count.
#include <gtest/gtest.h>

#include <algorithm>

#include "drills/verify/objectives.hpp"
#include "tests/verify/journal_builder.hpp"

namespace faultline::verify {
namespace {

using testing::JournalBuilder;

// A member sample with every field chosen by the test.
void sample(JournalBuilder& b, double t_ms, const std::string& member, const std::string& role,
            std::int64_t term, const std::optional<std::string>& leader, std::int64_t commit) {
  b.event(t_ms, "member",
          {{"member", member}, {"up", true}, {"role", role}, {"term", term},
           {"leader", leader ? Json(*leader) : Json()}, {"commit_index", commit},
           {"role_since_ns", Json()}});
}

void down(JournalBuilder& b, double t_ms, const std::string& member) {
  b.event(t_ms, "member", {{"member", member}, {"up", false}, {"role", Json()}, {"term", Json()},
                           {"leader", Json()}, {"commit_index", Json()}, {"role_since_ns", Json()}});
}

void start(JournalBuilder& b, double t_ms, const std::string& member, bool restart) {
  b.event(t_ms, "member.start", {{"member", member}, {"pid", 1}, {"url", "u"}, {"restart", restart}});
}

JournalBuilder three_members_under_c1() {
  JournalBuilder b;
  b.run(std::nullopt, std::nullopt);
  for (const char* m : {"c1", "c2", "c3"}) start(b, 0, m, false);
  sample(b, 100, "c1", "leader", 1, "c1", 5);
  sample(b, 100, "c2", "follower", 1, "c1", 5);
  sample(b, 100, "c3", "follower", 1, "c1", 5);
  return b;
}

// The check of `objective`. A missing check is a test failure, and what is
// returned then is a failing placeholder (never the end iterator).
const CheckResult& find(const Verdict& v, const std::string& objective) {
  static const CheckResult kMissing{"(missing)", std::nullopt, 0.0, false, "", "no such check in the verdict"};
  auto it = std::find_if(v.checks.begin(), v.checks.end(),
                         [&](const CheckResult& c) { return c.objective == objective; });
  if (it == v.checks.end()) {
    ADD_FAILURE() << "the verdict has no " << objective << " check";
    return kMissing;
  }
  return *it;
}

// The leader c1 is killed at 1000 ms and restarted at 2000 ms; c2 wins term 2
// (c2 itself at 1400 ms, c3 agrees at 1450 ms).
JournalBuilder leader_kill() {
  JournalBuilder b = three_members_under_c1();
  b.fault(1000, 1, "c1");
  down(b, 1010, "c1");
  sample(b, 1300, "c3", "candidate", 2, std::nullopt, 5);
  sample(b, 1400, "c2", "leader", 2, "c2", 6);
  sample(b, 1450, "c3", "follower", 2, "c2", 6);
  start(b, 2000, "c1", true);
  b.heal(2000);
  sample(b, 2010, "c1", "follower", 1, std::nullopt, 5);
  sample(b, 2100, "c1", "follower", 2, "c2", 7);
  return b;
}

TEST(ElectionChecks, BuiltInChecksAlwaysRun) {
  const Verdict v = evaluate(history_from(three_members_under_c1().events()));
  EXPECT_TRUE(v.pass);
  for (const char* name : {"election_safety", "term_monotonic", "commit_monotonic", "stable_leadership"}) {
    EXPECT_TRUE(find(v, name).pass) << name << ": " << find(v, name).detail;
  }
}

TEST(ElectionChecks, LeaderKillWithRestartPassesAndTimesTheElection) {
  const Verdict v = evaluate(history_from(leader_kill().events()));
  EXPECT_TRUE(v.pass) << v.checks.size();
  ASSERT_EQ(v.elections.losses.size(), 1u);
  const LeaderLoss& loss = v.elections.losses[0];
  EXPECT_EQ(loss.member, "c1");
  EXPECT_EQ(loss.new_leader, "c2");
  // Majority (2 of 3) names c2 in term 2 first at 1450 ms: c3's sample.
  EXPECT_EQ(loss.election_ms(), 450.0);
  EXPECT_EQ(v.elections.elections, 2u);
  EXPECT_TRUE(v.elections.unexplained_changes.empty());
}

TEST(ElectionChecks, LeaderElectionAndMaxElectionsObjectives) {
  JournalBuilder b = leader_kill();
  b.event(0, "run", {{"plan_name", "p"},
                     {"plan", {{"objectives", {{"leader_election_ms", 400}, {"max_elections", 1}}}}}});
  const Verdict v = evaluate(history_from(b.events()));
  const CheckResult& election = find(v, "leader_election_ms");
  EXPECT_FALSE(election.pass);
  EXPECT_EQ(election.measured, 450.0);
  EXPECT_EQ(election.detail, "slowest election 450 ms exceeds the objective of 400 ms by 50 ms");
  const CheckResult& count = find(v, "max_elections");
  EXPECT_FALSE(count.pass);
  EXPECT_EQ(count.measured, 2.0);
  EXPECT_FALSE(v.pass);
}

TEST(ElectionChecks, NoMajorityLeaderAfterTheKillIsNotMeasured) {
  JournalBuilder b = three_members_under_c1();
  b.event(0, "run", {{"plan_name", "p"}, {"plan", {{"objectives", {{"leader_election_ms", 400}}}}}});
  b.fault(1000, 1, "c1");
  down(b, 1010, "c1");
  sample(b, 1400, "c2", "leader", 2, "c2", 6);  // only c2 itself: 1 of 3
  const Verdict v = evaluate(history_from(b.events()));
  const CheckResult& election = find(v, "leader_election_ms");
  EXPECT_FALSE(election.pass);
  EXPECT_FALSE(election.measured.has_value());
  EXPECT_NE(election.detail.find("no new leader was known by a majority"), std::string::npos);
}

TEST(ElectionChecks, TermGoingBackWithinALifeFails) {
  JournalBuilder b = three_members_under_c1();
  sample(b, 200, "c2", "follower", 3, "c1", 5);
  sample(b, 300, "c2", "follower", 2, "c1", 5);
  const Verdict v = evaluate(history_from(b.events()));
  const CheckResult& c = find(v, "term_monotonic");
  EXPECT_FALSE(c.pass);
  EXPECT_EQ(c.measured, 1.0);
  EXPECT_EQ(c.detail,
            "1 sample(s) where a member's term went back: c2 at 300 ms: term 3 -> 2 (within one "
            "process life)");
  EXPECT_FALSE(v.pass);
}

TEST(ElectionChecks, TermGoingBackAcrossARestartFails) {
  JournalBuilder b = leader_kill();
  start(b, 3000, "c3", true);
  sample(b, 3100, "c3", "follower", 1, std::nullopt, 6);
  const Verdict v = evaluate(history_from(b.events()));
  ASSERT_EQ(v.elections.term_regressions.size(), 1u);
  EXPECT_TRUE(v.elections.term_regressions[0].across_restart);
  EXPECT_FALSE(find(v, "term_monotonic").pass);
}

TEST(ElectionChecks, CommitIndexGoingBackAcrossARestartFails) {
  JournalBuilder b = leader_kill();
  // c1 last reported commit 7 (at 2100 ms); after a second restart it says 3.
  start(b, 2500, "c1", true);
  sample(b, 2600, "c1", "follower", 2, std::nullopt, 3);
  const Verdict v = evaluate(history_from(b.events()));
  const CheckResult& c = find(v, "commit_monotonic");
  EXPECT_FALSE(c.pass);
  ASSERT_EQ(v.elections.commit_regressions.size(), 1u);
  const Regression& r = v.elections.commit_regressions[0];
  EXPECT_EQ(r.member, "c1");
  EXPECT_EQ(r.before, 7);
  EXPECT_EQ(r.after, 3);
  EXPECT_TRUE(r.across_restart);
  EXPECT_NE(c.detail.find("commit index 7 -> 3 (across a restart)"), std::string::npos) << c.detail;
}

TEST(ElectionChecks, RestartReportingItsPersistedCommitPasses) {
  // leader_kill(): c1 reported 5 before the kill and 5 right after restart.
  const Verdict v = evaluate(history_from(leader_kill().events()));
  EXPECT_TRUE(find(v, "commit_monotonic").pass);
  EXPECT_TRUE(v.elections.commit_regressions.empty());
}

TEST(ElectionChecks, LeaderChangeWithNoFaultFails) {
  JournalBuilder b = three_members_under_c1();
  sample(b, 5000, "c3", "leader", 2, "c3", 9);
  const Verdict v = evaluate(history_from(b.events()));
  const CheckResult& c = find(v, "stable_leadership");
  EXPECT_FALSE(c.pass);
  EXPECT_EQ(c.measured, 1.0);
  EXPECT_EQ(c.detail, "1 leader change(s) while nothing was injected: term 2 (c3) from 5000 ms");
  EXPECT_FALSE(v.pass);
}

TEST(ElectionChecks, LeaderChangeLongAfterTheFaultWindowFails) {
  JournalBuilder b = leader_kill();  // healed at 2000 ms; window 1000 ms
  sample(b, 9000, "c3", "leader", 3, "c3", 9);
  const Verdict v = evaluate(history_from(b.events()));
  EXPECT_EQ(v.elections.unexplained_changes, std::vector<std::int64_t>{3});
  EXPECT_FALSE(find(v, "stable_leadership").pass);
}

}  // namespace
}  // namespace faultline::verify

namespace faultline::verify {
namespace {

// A target whose members report only up or down (declared processes without
// a status request): the built-in election checks cannot judge anything, and
// say so instead of passing or failing the run.
TEST(ElectionChecks, NotAvailableWithoutRolesNeitherPassNorFail) {
  JournalBuilder b;
  b.run(std::nullopt, std::nullopt);
  b.event(0, "target", {{"target", "processes"}, {"roles", false}, {"commit_index", false}});
  for (const char* m : {"p1", "p2", "p3"}) b.event(100, "member", {{"member", m}, {"up", true}, {"role", ""}, {"term", 0}});
  const Verdict v = evaluate(history_from(b.events()));
  EXPECT_TRUE(v.pass);
  EXPECT_TRUE(v.failed.empty());
  for (const char* name : {"election_safety", "term_monotonic", "commit_monotonic", "stable_leadership"}) {
    const auto it = std::find_if(v.checks.begin(), v.checks.end(), [&](const CheckResult& c) { return c.objective == name; });
    ASSERT_NE(it, v.checks.end()) << name;
    EXPECT_FALSE(it->available) << name;
    EXPECT_FALSE(it->measured) << name;
    EXPECT_EQ(it->detail.rfind("not available: ", 0), 0u) << it->detail;
    EXPECT_EQ(to_json(*it).value("available", true), false);
  }
}

TEST(ElectionChecks, DeclaredElectionObjectiveFailsWithoutRoles) {
  JournalBuilder b;
  b.event(0, "run", {{"plan_name", "p"}, {"plan", {{"objectives", {{"max_elections", 3}}}}}});
  b.event(0, "target", {{"target", "processes"}, {"roles", false}, {"commit_index", false}});
  const Verdict v = evaluate(history_from(b.events()));
  EXPECT_FALSE(v.pass);
  EXPECT_EQ(v.failed, std::vector<std::string>{"max_elections"});
}

// Roles without a commit index: only commit_monotonic is not available.
TEST(ElectionChecks, WithoutACommitIndexOnlyThatCheckIsNotAvailable) {
  JournalBuilder b = three_members_under_c1();
  b.event(0, "target", {{"target", "processes"}, {"roles", true}, {"commit_index", false}});
  const Verdict v = evaluate(history_from(b.events()));
  EXPECT_TRUE(v.pass);
  for (const CheckResult& c : v.checks) EXPECT_EQ(c.available, c.objective != "commit_monotonic") << c.objective;
}

}  // namespace
}  // namespace faultline::verify
