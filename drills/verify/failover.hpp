// Failover of routed calls, from the journal's call.invoke / call.complete,
// worker.start / worker.exit and the faults whose targets are workers. The
// exact definitions are in docs/metrics.md ("Failover"):
//
//  - for each fault on a worker W, the sessions pinned to W (their last ok
//    call before the fault was served by W) and, per session, the time from
//    the fault to its first ok call after it: on another worker (failed
//    over), on W itself (recovered on the same worker), or never;
//  - calls lost: routed calls whose result is not ok, split by whether they
//    overlap a fault's interval;
//  - sessions moved without cause: consecutive ok calls of a session served
//    by A then B while no fault was in force on A and A's process did not
//    end in between.
//
// A journal without call events gives an empty result (has_calls false).
//
// Thread-safety: pure functions of their arguments.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "drills/verify/history.hpp"

namespace faultline::verify {

enum class FailoverOutcome { failed_over, same_worker, not_recovered };
const char* to_string(FailoverOutcome outcome);

// One session pinned to a faulted worker, and what became of it.
struct SessionFailover {
  std::string session;
  std::string client;  // of the session's last ok call before the fault
  FailoverOutcome outcome = FailoverOutcome::not_recovered;
  std::optional<std::int64_t> recovered_ns;  // completion of its first ok call at or after t_f
  std::string worker;                        // who served that call; empty when not recovered
  std::string call;                          // that call's id
  bool called_after = false;                 // some call of the session was invoked at or after t_s
  // When the session first needed service after the fault: t_s, or the
  // invocation of its first call after t_s if that came later.
  std::int64_t needed_ns = 0;
  std::optional<double> ms;                  // recovered_ns - needed_ns
  // The recovering call was moved by the router itself (same session, no
  // error seen by the client), or needed a new session first.
  bool transparent = false;
  bool reinitialized = false;
};

// Figures over a set of pinned sessions: one fault, or the whole run.
struct FailoverFigures {
  std::size_t pinned = 0;
  std::size_t failed_over = 0;
  std::size_t same_worker = 0;
  std::size_t not_recovered = 0;
  std::size_t transparent = 0;    // of failed_over: moved by the router, no error seen
  std::size_t reinitialized = 0;  // of failed_over: the client opened a new session
  // Over the sessions that failed over (moved); none when no session did.
  std::optional<double> max_failover_ms;
  std::optional<double> median_failover_ms;  // nearest rank: rank ceil(n/2)
  // Over every recovered session, moved or not; none when none recovered.
  std::optional<double> max_recovery_ms;
};

// One fault on one worker (a fault with several worker targets gives one
// entry per worker).
struct WorkerFault {
  std::int64_t fault = 0;  // the fault's index in the plan
  std::string kind;        // kill, pause
  std::string worker;
  std::int64_t inject_ns = 0;
  std::optional<std::int64_t> heal_ns;
  std::vector<SessionFailover> sessions;  // sorted by session id
  FailoverFigures figures;
};

// Consecutive ok calls of one session, served by different workers.
struct SessionMove {
  std::string session;
  std::string client;
  std::string from;  // worker of the earlier call
  std::string to;    // worker of the later call
  std::string from_call;
  std::string to_call;
  std::int64_t from_ns = 0;  // completion of the earlier call
  std::int64_t to_ns = 0;    // completion of the later call
  bool with_cause = false;   // a fault on `from`, or its process ended, in between
};

struct FailoverStats {
  bool has_calls = false;  // the journal holds at least one call.invoke
  std::size_t calls = 0;
  std::size_t calls_ok = 0;
  std::size_t calls_lost = 0;            // result fail or unknown (never completed included)
  std::size_t lost_in_fault_window = 0;  // of those, overlapping some fault's interval
  std::size_t lost_outside = 0;
  std::size_t sessions = 0;  // distinct non-empty session ids
  std::vector<WorkerFault> faults;  // by injection, then worker
  FailoverFigures overall;          // over every (fault, pinned session) pair
  std::vector<SessionMove> moves;   // every move, by the later call's completion
  std::size_t moves_without_cause = 0;
  std::vector<SessionMove> unexplained_moves() const;
};

FailoverStats measure_failover(const History& history);

}  // namespace faultline::verify
