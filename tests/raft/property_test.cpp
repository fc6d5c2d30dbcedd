// Property: random message loss, delay, partitions, crashes and restarts over a
// 3- or 5-member cluster never violate the Raft safety invariants, and once the
// faults stop the cluster elects a leader and commits again.
//
// Reproduce a failure with the seed RapidCheck prints: RC_PARAMS="reproduce=..."
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "tests/raft/harness.hpp"

namespace faultline::raft {
namespace {

using testing::Cluster;

enum class Action { advance, propose, crash, restart, isolate, heal, loss };

RC_GTEST_PROP(RaftProperty, RandomFaultsNeverViolateSafety, ()) {
  const auto seed = *rc::gen::arbitrary<std::uint64_t>();
  const auto size = *rc::gen::element<std::size_t>(3, 5);
  const auto steps = *rc::gen::resize(
      60, rc::gen::container<std::vector<std::pair<int, int>>>(
              rc::gen::pair(rc::gen::inRange(0, 10), rc::gen::inRange(0, 1000))));

  Cluster c(size, seed);
  c.drop_probability = 0.05;
  c.max_delay_ms = 30;
  int proposals = 0;
  for (const auto& [op_code, arg] : steps) {
    // Advancing time is the common case: weight it so faults have time to bite.
    const Action op = op_code < 4 ? Action::advance : static_cast<Action>(op_code - 3);
    const NodeId target = static_cast<NodeId>(arg % static_cast<int>(size)) + 1;
    switch (op) {
      case Action::advance:
        c.advance(arg % 400 + 1);
        break;
      case Action::propose:
        for (NodeId id : c.leaders()) c.propose(id, "v" + std::to_string(proposals++));
        break;
      case Action::crash:
        if (c.up(target)) c.crash(target);
        break;
      case Action::restart:
        if (!c.up(target)) c.restart(target);
        break;
      case Action::isolate:
        c.isolate(target);
        break;
      case Action::heal:
        c.heal();
        break;
      case Action::loss:
        c.drop_probability = (arg % 40) / 100.0;
        break;
    }
    if (!c.violations().empty()) RC_FAIL(c.violations().front());
  }

  // Liveness once the faults stop.
  c.heal();
  c.drop_probability = 0.0;
  for (NodeId id : c.ids()) {
    if (!c.up(id)) c.restart(id);
  }
  auto leader = c.wait_for_leader(10000);
  RC_ASSERT(leader.has_value());
  auto entry = c.propose(*leader, "final");
  RC_ASSERT(entry.has_value());
  RC_ASSERT(c.advance_until(
      [&] {
        for (NodeId id : c.ids()) {
          if (c.member(id).applied.size() < entry->index) return false;
        }
        return true;
      },
      5000));
  for (NodeId id : c.ids()) RC_ASSERT(c.member(id).applied[entry->index - 1] == *entry);
  if (!c.violations().empty()) RC_FAIL(c.violations().front());
}

}  // namespace
}  // namespace faultline::raft
