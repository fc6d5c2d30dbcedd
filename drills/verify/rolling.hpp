// The figures of a rolling restart, per step (docs/metrics.md, "Rolling
// restarts"), from the `fault.step` events a rolling_restart fault journals
// (each member's stop, health and catch-up instants), the clients'
// operations and the members' own reports:
//
//  - down: from the stop to its health check answering again;
//  - catch-up: from that answer until it had applied what its leader had
//    committed;
//  - unavailability seen by clients: the longest time, from the stop until
//    it had caught up, with no write acknowledged, and how many writes that
//    began then did not succeed;
//  - elections caused: leader terms whose leader took over from the stop
//    until the next step's stop (the last step: until one stability window
//    after it had caught up).
//
// Thread-safety: pure functions of their arguments.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "drills/verify/history.hpp"

namespace faultline::verify {

struct RollingStep {
  std::int64_t fault = 0;
  std::int64_t step = 0;  // 1-based, in the order restarted
  std::string member;
  bool was_leader = false;
  bool exited_by_itself = true;
  std::int64_t stop_ns = 0;
  std::int64_t healthy_ns = 0;
  std::int64_t caught_up_ns = 0;
  double down_ms = 0;
  double catch_up_ms = 0;
  double longest_gap_ms = 0;     // without an acknowledged write, stop .. caught up
  std::size_t failed_writes = 0; // invoked stop .. caught up, not ok
  std::size_t elections = 0;     // leader terms begun stop .. the next step's stop
};

std::vector<RollingStep> measure_rolling(const History& history);

// "step 2 c3 (leader): down 212 ms, caught up in 31 ms, ..." per step.
std::string describe(const RollingStep& step);

}  // namespace faultline::verify
