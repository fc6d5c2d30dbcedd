#include <gtest/gtest.h>

#include <algorithm>

#include "drills/verify/failover.hpp"
#include "drills/verify/objectives.hpp"
#include "tests/verify/journal_builder.hpp"

namespace faultline::verify {
namespace {

using testing::JournalBuilder;

const CheckResult* find_check(const Verdict& v, const std::string& objective) {
  auto it = std::find_if(v.checks.begin(), v.checks.end(),
                         [&](const CheckResult& c) { return c.objective == objective; });
  return it == v.checks.end() ? nullptr : &*it;
}

// Sessions s1 on w1 and s2 on w2, a call every 100 ms taking 10 ms. w1 is
// killed at 1000 ms and never comes back: s1's calls at 1000 and 1100 fail,
// its call at 1200 succeeds on w2 at 1237 ms.
JournalBuilder kill_and_move(const Json& objectives) {
  JournalBuilder b;
  b.run_with(objectives)
      .worker_start(0, "w1")
      .worker_start(0, "w2")
      .calls("s1", 100, 1000, 100, 10, "w1")
      .calls("s2", 100, 2000, 100, 10, "w2")
      .worker_exit(999, "w1")
      .fault_on(1000, 0, "kill", "w1")
      .call("a", "s1", 1000, 1050.0, "fail", "")
      .call("b", "s1", 1100, 1150.0, "unknown", "")
      .call("c", "s1", 1200, 1237.0, "ok", "w2")
      .calls("s1", 1300, 2000, 100, 10, "w2");
  return b;
}

TEST(Failover, KilledWorkerSessionMovesInExactTime) {
  const Json objectives{{"failover_ms", 500}, {"calls_lost", 2}, {"sessions_moved_without_cause", 0}};
  const History h = history_from(kill_and_move(objectives).events());
  EXPECT_EQ(h.workers, (std::vector<std::string>{"w1", "w2"}));
  const FailoverStats f = measure_failover(h);
  ASSERT_TRUE(f.has_calls);
  EXPECT_EQ(f.sessions, 2u);
  ASSERT_EQ(f.faults.size(), 1u);
  const WorkerFault& wf = f.faults[0];
  EXPECT_EQ(wf.worker, "w1");
  EXPECT_EQ(wf.kind, "kill");
  ASSERT_EQ(wf.sessions.size(), 1u);  // s2 was pinned to w2
  const SessionFailover& s = wf.sessions[0];
  EXPECT_EQ(s.session, "s1");
  EXPECT_EQ(s.outcome, FailoverOutcome::failed_over);
  EXPECT_EQ(s.worker, "w2");
  EXPECT_EQ(s.call, "c");
  ASSERT_TRUE(s.ms.has_value());
  EXPECT_DOUBLE_EQ(*s.ms, 237.0);
  EXPECT_EQ(wf.figures.pinned, 1u);
  EXPECT_EQ(wf.figures.failed_over, 1u);
  EXPECT_EQ(f.overall.max_failover_ms, 237.0);
  EXPECT_EQ(f.overall.median_failover_ms, 237.0);
  EXPECT_EQ(f.overall.max_recovery_ms, 237.0);

  EXPECT_EQ(f.calls_lost, 2u);
  EXPECT_EQ(f.lost_in_fault_window, 2u);
  EXPECT_EQ(f.lost_outside, 0u);
  ASSERT_EQ(f.moves.size(), 1u);  // s1 from w1 to w2, caused by the kill
  EXPECT_TRUE(f.moves[0].with_cause);
  EXPECT_EQ(f.moves_without_cause, 0u);

  const Verdict v = evaluate(h);
  ASSERT_FALSE(v.checks.empty());
  EXPECT_TRUE(v.pass) << v.checks[0].detail;
  const CheckResult* c = find_check(v, "failover_ms");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->measured, 237.0);
  EXPECT_EQ(c->detail,
            "Failover 237 ms within the objective of 500 ms (1 session(s) failed over, 0 recovered on the same "
            "worker)");
  ASSERT_NE(find_check(v, "calls_lost"), nullptr);
  EXPECT_EQ(find_check(v, "calls_lost")->measured, 2.0);
  EXPECT_EQ(v.checks[0].objective, "failover_ms");  // before the built-in election checks
}

// MCP: the router moved s1 itself (moved_from on the ok call: no error
// seen), s2's client had to open a new session first (reinitialized).
TEST(Failover, TransparentMovesAndNewSessionsAreCountedApart) {
  JournalBuilder b;
  b.run_with({{"failover_ms", 500}})
      .calls("s1", 100, 1000, 100, 10, "w1")
      .calls("s2", 100, 1000, 100, 10, "w1")
      .calls("s3", 100, 2000, 100, 10, "w2")
      .fault_on(1000, 0, "kill", "w1")
      .event(1000, "call.invoke", {{"call", "m1"}, {"client", "k1"}, {"session", "s1"}})
      .event(1003, "call.complete", {{"call", "m1"}, {"client", "k1"}, {"session", "s1"}, {"result", "ok"},
                                     {"worker", "w2"}, {"moved_from", "w1"}, {"cause", "refused"}})
      .event(1000, "call.invoke", {{"call", "m2"}, {"client", "k1"}, {"session", "s2"}})
      .event(1040, "call.complete", {{"call", "m2"}, {"client", "k1"}, {"session", "s2"}, {"result", "ok"},
                                     {"worker", "w2"}, {"moved_from", nullptr}, {"reinitialized", true}});
  const History h = history_from(b.events());
  const FailoverStats f = measure_failover(h);
  EXPECT_EQ(f.overall.failed_over, 2u);
  EXPECT_EQ(f.overall.transparent, 1u);
  EXPECT_EQ(f.overall.reinitialized, 1u);
  const Verdict v = evaluate(h);
  const CheckResult* c = find_check(v, "failover_ms");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->detail,
            "Failover 40 ms within the objective of 500 ms (2 session(s) failed over, 0 recovered on the same "
            "worker; of those failed over, 1 moved by the router with no error seen and 1 after a new initialize)");
}

TEST(Failover, ObjectivesFailWhenTooSlowOrTooManyLost) {
  const History h = history_from(kill_and_move({{"failover_ms", 200}, {"calls_lost", 1}}).events());
  const Verdict v = evaluate(h);
  EXPECT_FALSE(v.pass);
  EXPECT_EQ(v.failed, (std::vector<std::string>{"failover_ms", "calls_lost"}));
  EXPECT_EQ(find_check(v, "calls_lost")->detail,
            "Calls lost 2 calls exceeds the objective of 1 calls by 1 calls (2 during a fault, 0 outside; 38 "
            "calls)");
}

TEST(Failover, SessionThatNeverRecoversFailsTheObjective) {
  JournalBuilder b;
  b.run_with({{"failover_ms", 10000}})
      .calls("s1", 100, 1000, 100, 10, "w1")
      .calls("s2", 100, 3000, 100, 10, "w2")
      .fault_on(1000, 0, "kill", "w1")
      .calls("s1", 1000, 3000, 100, 50, "", "fail");
  const History h = history_from(b.events());
  const FailoverStats f = measure_failover(h);
  ASSERT_EQ(f.faults.size(), 1u);
  ASSERT_EQ(f.faults[0].sessions.size(), 1u);
  EXPECT_EQ(f.faults[0].sessions[0].outcome, FailoverOutcome::not_recovered);
  EXPECT_TRUE(f.faults[0].sessions[0].called_after);
  EXPECT_EQ(f.overall.not_recovered, 1u);
  EXPECT_FALSE(f.overall.max_recovery_ms.has_value());
  EXPECT_EQ(f.calls_lost, 20u);

  const Verdict v = evaluate(h);
  EXPECT_FALSE(v.pass);
  const CheckResult* c = find_check(v, "failover_ms");
  ASSERT_NE(c, nullptr);
  EXPECT_FALSE(c->measured.has_value());
  EXPECT_FALSE(c->pass);
  EXPECT_EQ(c->detail, "1 of 1 pinned session(s) never succeeded again: session s1 (pinned to w1, fault 0)");
}

TEST(Failover, RecoveryOnTheSameWorkerIsCountedApart) {
  JournalBuilder b;
  // w1 paused 1000..1300 ms; s1 waits for it and succeeds on w1 at 1310 ms.
  // A failure at 1800 ms, after the heal, is lost outside every fault.
  b.run_with({{"failover_ms", 500}, {"calls_lost", 5}})
      .calls("s1", 100, 1000, 100, 10, "w1")
      .fault_on(1000, 0, "pause", "w1")
      .call("x", "s1", 1000, 1200.0, "unknown", "")
      .heal_of(1300, 0, "pause", "w1")
      .call("y", "s1", 1300, 1310.0, "ok", "w1")
      .call("z", "s1", 1800, 1810.0, "fail", "w1");
  const History h = history_from(b.events());
  const FailoverStats f = measure_failover(h);
  ASSERT_EQ(f.faults.size(), 1u);
  EXPECT_EQ(f.faults[0].heal_ns, testing::ms_ns(1300));
  const SessionFailover& s = f.faults[0].sessions.at(0);
  EXPECT_EQ(s.outcome, FailoverOutcome::same_worker);
  ASSERT_TRUE(s.ms.has_value());
  EXPECT_DOUBLE_EQ(*s.ms, 310.0);
  EXPECT_EQ(f.overall.same_worker, 1u);
  EXPECT_EQ(f.overall.failed_over, 0u);
  EXPECT_FALSE(f.overall.max_failover_ms.has_value());
  EXPECT_EQ(f.overall.max_recovery_ms, 310.0);
  EXPECT_EQ(f.lost_in_fault_window, 1u);
  EXPECT_EQ(f.lost_outside, 1u);
  EXPECT_TRUE(f.moves.empty());

  const Verdict v = evaluate(h);
  EXPECT_TRUE(v.pass);
  EXPECT_EQ(find_check(v, "failover_ms")->measured, 310.0);
}

TEST(Failover, MoveWithoutCauseIsDetectedAndListed) {
  JournalBuilder b;
  // s1 hops from w1 to w2 at 530 ms with nothing wrong on w1; a fault on w3
  // does not explain it.
  b.run_with({{"sessions_moved_without_cause", 0}})
      .worker_start(0, "w1")
      .worker_start(0, "w2")
      .worker_start(0, "w3")
      .calls("s1", 100, 500, 100, 10, "w1")
      .fault_on(450, 0, "kill", "w3")
      .call("hop", "s1", 520, 530.0, "ok", "w2")
      .calls("s1", 600, 1000, 100, 10, "w2");
  const History h = history_from(b.events());
  const FailoverStats f = measure_failover(h);
  EXPECT_EQ(f.moves_without_cause, 1u);
  const auto moves = f.unexplained_moves();
  ASSERT_EQ(moves.size(), 1u);
  EXPECT_EQ(moves[0].session, "s1");
  EXPECT_EQ(moves[0].from, "w1");
  EXPECT_EQ(moves[0].to, "w2");
  EXPECT_EQ(moves[0].to_call, "hop");
  EXPECT_EQ(moves[0].from_ns, testing::ms_ns(410));
  EXPECT_EQ(moves[0].to_ns, testing::ms_ns(530));
  ASSERT_EQ(f.faults.size(), 1u);
  EXPECT_TRUE(f.faults[0].sessions.empty());  // nobody was pinned to w3

  const Verdict v = evaluate(h);
  EXPECT_FALSE(v.pass);
  const CheckResult* c = find_check(v, "sessions_moved_without_cause");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->measured, 1.0);
  EXPECT_EQ(c->detail,
            "Sessions moved without cause 1 moves exceeds the objective of 0 moves by 1 moves: session s1 w1 -> "
            "w2 (calls s1-3 at 410 ms, hop at 530 ms)");
}

TEST(Failover, AMoveBeforeTheKillIsConfirmedCountsFromTheSignal) {
  // The runner sent SIGKILL to w1 at 500 ms but confirmed it (reaped it and
  // wrote fault.inject, worker.exit) only at 540 ms; the router had already
  // seen w1 refuse and moved s1 at 530 ms. The move has a cause, s1 was
  // pinned to w1, and its failover counts from when it next needed service
  // after the signal (the call invoked at 520 ms): 10 ms.
  JournalBuilder b;
  b.run_with({{"sessions_moved_without_cause", 0}, {"failover_ms", 100}})
      .worker_start(0, "w1")
      .worker_start(0, "w2")
      .calls("s1", 100, 500, 100, 10, "w1")
      .call("hop", "s1", 520, 530.0, "ok", "w2");
  auto events = b.events();
  JournalBuilder late;
  late.fault_on(540, 0, "kill", "w1").worker_exit(540, "w1");
  Json inject = late.events()[0];
  inject["signal_t_ns"] = testing::ms_ns(500);
  events.push_back(inject);
  events.push_back(late.events()[1]);
  const History h = history_from(events);
  ASSERT_EQ(h.faults.size(), 1u);
  EXPECT_EQ(h.faults[0].start_ns, testing::ms_ns(500));
  EXPECT_EQ(h.faults[0].inject_ns, testing::ms_ns(540));
  const FailoverStats f = measure_failover(h);
  EXPECT_EQ(f.moves_without_cause, 0u);
  ASSERT_EQ(f.faults.size(), 1u);
  ASSERT_EQ(f.faults[0].sessions.size(), 1u);
  ASSERT_TRUE(f.faults[0].sessions[0].ms.has_value());
  EXPECT_DOUBLE_EQ(*f.faults[0].sessions[0].ms, 10.0);
  EXPECT_TRUE(evaluate(h).pass);
  // Without signal_t_ns (older journals) the same move has no cause.
  events[events.size() - 2].erase("signal_t_ns");
  EXPECT_EQ(measure_failover(history_from(events)).moves_without_cause, 1u);
}

TEST(Failover, MoveAfterTheWorkerExitedHasACause) {
  JournalBuilder b;
  // No fault was injected, but w1's process exited between the two calls.
  b.run_with({{"sessions_moved_without_cause", 0}})
      .calls("s1", 100, 500, 100, 10, "w1")
      .worker_exit(450, "w1", false)
      .call("hop", "s1", 520, 530.0, "ok", "w2");
  const FailoverStats f = measure_failover(history_from(b.events()));
  ASSERT_EQ(f.moves.size(), 1u);
  EXPECT_TRUE(f.moves[0].with_cause);
  EXPECT_EQ(f.moves_without_cause, 0u);
  EXPECT_TRUE(f.faults.empty());
}

TEST(Failover, NoCallsMeansNoFailoverAndUnmeasuredObjectives) {
  JournalBuilder b;
  b.run(1000.0, std::nullopt).puts(0, 3000, 100, 10).fault(1000, 1).heal(1500);
  const History h = history_from(b.events());
  EXPECT_TRUE(h.calls.empty());
  EXPECT_TRUE(h.workers.empty());
  const Verdict v = evaluate(h);
  EXPECT_FALSE(v.failover.has_calls);
  EXPECT_TRUE(v.failover.faults.empty());
  EXPECT_EQ(v.checks.size(), 5u);  // rto_ms and the four built-in checks, as before

  const CheckResult c = check_calls_lost(v.failover, 0);
  EXPECT_FALSE(c.pass);
  EXPECT_EQ(c.detail, "no routed calls in the journal");
  EXPECT_EQ(check_failover(v.failover, 100).detail, "no routed calls in the journal");
}

TEST(Failover, FaultOnACoordinatorPinsNoSession) {
  JournalBuilder b;
  b.run_with({{"failover_ms", 100}}).calls("s1", 100, 2000, 100, 10, "w1").fault(1000, 1, "c1");
  const Verdict v = evaluate(history_from(b.events()));
  EXPECT_TRUE(v.failover.faults.empty());
  EXPECT_EQ(find_check(v, "failover_ms")->detail, "no fault was injected on a worker");
}

TEST(Failover, MedianIsNearestRankOverFailedOverSessions) {
  JournalBuilder b;
  b.run_with({{"failover_ms", 1000}});
  // Four sessions on w1 fail over 100, 200, 300 and 400 ms after the kill at
  // 1000 ms; a fifth waits for w1 and succeeds there after 600 ms.
  for (int i = 1; i <= 5; ++i) {
    const std::string s = "s" + std::to_string(i);
    b.calls(s, 100, 1000, 100, 10, "w1");
    const bool same = i == 5;
    b.call(s + "-back", s, 1000, 1000.0 + (same ? 600 : 100 * i), "ok", same ? "w1" : "w2");
  }
  b.fault_on(1000, 0, "kill", "w1");
  const FailoverStats f = measure_failover(history_from(b.events()));
  EXPECT_EQ(f.overall.pinned, 5u);
  EXPECT_EQ(f.overall.failed_over, 4u);
  EXPECT_EQ(f.overall.same_worker, 1u);
  EXPECT_EQ(f.overall.max_failover_ms, 400.0);
  EXPECT_EQ(f.overall.median_failover_ms, 200.0);  // rank ceil(4/2) = 2
  EXPECT_EQ(f.overall.max_recovery_ms, 600.0);
  EXPECT_EQ(check_failover(f, 500).detail,
            "Failover 600 ms exceeds the objective of 500 ms by 100 ms (4 session(s) failed over, 1 recovered on "
            "the same worker)");
}

TEST(Failover, MovingBackToARestartedWorkerHasNoCause) {
  JournalBuilder b;
  // w1 is killed at 1000 ms (cause for s1 moving to w2) and restarted at
  // 1500 ms; s1 then moves back from w2, on which nothing happened.
  b.run_with({{"sessions_moved_without_cause", 0}})
      .worker_start(0, "w1")
      .calls("s1", 100, 1000, 100, 10, "w1")
      .worker_exit(999, "w1")
      .fault_on(1000, 0, "kill", "w1")
      .calls("s1", 1100, 1600, 100, 10, "w2")
      .worker_start(1500, "w1", true)
      .heal_of(1500, 0, "kill", "w1")
      .calls("s1", 1600, 2000, 100, 10, "w1");
  const FailoverStats f = measure_failover(history_from(b.events()));
  ASSERT_EQ(f.moves.size(), 2u);
  EXPECT_TRUE(f.moves[0].with_cause);
  EXPECT_FALSE(f.moves[1].with_cause);
  EXPECT_EQ(f.moves[1].from, "w2");
  EXPECT_EQ(f.moves[1].to, "w1");
  EXPECT_EQ(f.moves_without_cause, 1u);
  EXPECT_EQ(f.faults.at(0).sessions.at(0).outcome, FailoverOutcome::failed_over);
  // s1 made no call from the kill until 1100 ms: failover counts from its
  // first call after the fault (1100) to that call's success on w2 (1110).
  ASSERT_TRUE(f.faults.at(0).sessions.at(0).ms.has_value());
  EXPECT_DOUBLE_EQ(*f.faults.at(0).sessions.at(0).ms, 10.0);
}

TEST(History, ParsesCallsAndWorkerEvents) {
  JournalBuilder b;
  b.worker_start(0, "w1")
      .call("1", "s1", 100, 110.0, "ok", "w1", "k7")
      .call("2", "s1", 200, std::nullopt, "ok", "w1")
      .event(300, "call.complete", {{"call", "nope"}, {"result", "ok"}})
      .worker_exit(350, "w1")
      .worker_start(400, "w1", true);
  const History h = history_from(b.events());
  ASSERT_EQ(h.calls.size(), 2u);
  EXPECT_EQ(h.calls[0].client, "k7");
  EXPECT_EQ(h.calls[0].worker, "w1");
  EXPECT_EQ(h.calls[0].result, OpResult::ok);
  EXPECT_FALSE(h.calls[1].completed);
  EXPECT_EQ(h.calls[1].result, OpResult::unknown);
  EXPECT_EQ(h.calls[1].complete_ns, h.end_ns);
  ASSERT_EQ(h.worker_starts.size(), 2u);
  EXPECT_TRUE(h.worker_starts[1].restart);
  EXPECT_EQ(h.worker_starts[0].pid, 5000);
  ASSERT_EQ(h.worker_exits.size(), 1u);
  EXPECT_EQ(h.worker_exits[0].how, "signal 9");
  EXPECT_EQ(h.warnings.size(), 1u);
  EXPECT_TRUE(h.members.empty());  // workers are not Raft members
  EXPECT_TRUE(h.is_worker("w1"));
}

}  // namespace
}  // namespace faultline::verify
