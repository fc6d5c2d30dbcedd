// Recovery time (RTO) and its parts, measured over a History. The exact
// definitions are in docs/metrics.md; this header states the contract only.
//
// Thread-safety: pure functions of their arguments.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "drills/verify/history.hpp"

namespace faultline::verify {

// Measured from t_f, in ms. first_ack <= stable whenever both are set: t_r
// is itself the completion of an acknowledged write at or after t_f.
struct RtoParts {
  // t_f -> first sign of a new term or a candidate, or the system's own word
  // that it saw a target down (a `target.event` part "detect": +sdown)
  std::optional<double> detect_ms;
  // t_f -> the system agrees a target is down (part "agree": +odown); only
  // systems that report it
  std::optional<double> agreed_ms;
  std::optional<double> new_leader_ms;  // t_f -> a leader in a term above the fault's
  // t_f -> the system names the new leader (part "promote": +switch-master);
  // only systems that report it
  std::optional<double> promoted_ms;
  std::optional<double> first_ack_ms;   // t_f -> first ok write completing at or after t_f
  // t_f -> first ok write completing at or after t_f that the new leader
  // (the member of new_leader_ms) served: the failover time when the
  // fault's targets went on acknowledging (an isolated Redis primary)
  std::optional<double> new_leader_ack_ms;
  std::optional<double> stable_ms;      // t_f -> t_r (= RTO)
  std::string new_leader;               // the member of new_leader_ms
};

struct RtoResult {
  // False when faults were injected but none reached the key-value path
  // (every target of every fault is a worker): RTO of that path does not
  // apply, every figure below is null and `detail` says why.
  bool applicable = true;
  // t_f of the key-value fault: the first fault with a coordinator among its
  // targets (or no known targets). None when no fault was injected or none
  // reached the key-value path.
  std::optional<std::int64_t> fault_ns;
  std::optional<std::int64_t> recovery_ns;  // t_r; none when the run never recovered
  std::optional<double> rto_ms;             // t_r - t_f
  RtoParts parts;
  // The fault term the parts compare against: the key-value fault's own
  // `term`, else the highest term sampled before t_f, else none.
  std::optional<std::int64_t> fault_term;
  std::string detail;  // why rto_ms is null, when it is
  // Which hypothesis t_r is judged by: the default (writes acknowledged
  // within max_latency_ms) or the plan's continuous probes; with probes,
  // `held_back_by` is the probe that held again last, and `stable` need
  // not follow the first acknowledged write.
  bool by_probes = false;
  std::string held_back_by;
  // Recovery counted from the heal of the key-value fault: t_r - t_heal,
  // or 0 when the run recovered before the heal. Null when the fault was not
  // healed or the run did not recover; from_heal_detail then says which.
  std::optional<std::int64_t> heal_ns;  // t_heal; none when never healed
  std::optional<double> from_heal_ms;
  std::string from_heal_detail;
};

// A write (put) is bad for the steady state if it did not succeed or took
// longer than the plan's max_latency_ms.
bool is_bad_write(const Op& op, double max_latency_ms);

// The fault RTO counts from, among those that reach the key-value path (a
// target that is not a worker, or no targets recorded): the first whose
// effect is not `degraded` (down, frozen, isolated), else the first
// degrading one. Null when none reaches the path.
const Fault* key_value_fault(const History& history);

RtoResult measure_rto(const History& history);

}  // namespace faultline::verify
