// Property: random message loss, delay, partitions, crashes, restarts and log
// compaction over a
// 3- or 5-member cluster never violate the Raft safety invariants, and once the
// faults stop the cluster elects a leader and commits again.
//
// Reproduce a failure with the seed RapidCheck prints: RC_PARAMS="reproduce=..."
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <map>

#include "tests/raft/harness.hpp"

namespace faultline::raft {
namespace {

using testing::Cluster;

enum class Action { advance, propose, crash, restart, isolate, heal, loss, transfer, read, compact };

RC_GTEST_PROP(RaftProperty, RandomFaultsNeverViolateSafety, ()) {
  const auto seed = *rc::gen::arbitrary<std::uint64_t>();
  const auto size = *rc::gen::element<std::size_t>(3, 5);
  // resize(60) bounds the number of steps; the inner resize(100) keeps the
  // size-scaled inRange generators spanning their whole range (under size 60
  // the op codes would stop short of heal, loss, transfer, read and compact).
  const auto steps = *rc::gen::resize(
      60, rc::gen::container<std::vector<std::pair<int, int>>>(rc::gen::resize(
              100, rc::gen::pair(rc::gen::inRange(0, 13), rc::gen::inRange(0, 1000)))));

  Cluster c(size, seed);
  c.drop_probability = 0.05;
  c.max_delay_ms = 30;
  int proposals = 0;
  // ReadIndex linearizability: a read must see every entry committed anywhere
  // before it was issued, so its index is at least the highest commit then.
  std::map<std::uint64_t, Index> read_floor;
  std::uint64_t next_read = 1;
  auto highest_commit = [&] {
    Index best = 0;
    for (NodeId id : c.ids()) {
      if (c.up(id)) best = std::max(best, c.node(id).commit_index());
    }
    return best;
  };
  for (const auto& [op_code, arg] : steps) {
    // Advancing time is the common case: weight it so faults have time to bite.
    const Action op = op_code < 4 ? Action::advance : static_cast<Action>(op_code - 3);
    const NodeId target = static_cast<NodeId>(arg % static_cast<int>(size)) + 1;
    switch (op) {
      case Action::advance:
        c.advance(arg % 400 + 1);
        break;
      case Action::propose:
        for (NodeId id : c.leaders()) {
          // Built by append: GCC 12 at -O3 flags `"v" + std::to_string(...)`
          // with a false -Wrestrict (GCC bug 105329).
          std::string command = "v";
          command += std::to_string(proposals++);
          c.propose(id, command);
        }
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
      case Action::transfer:
        for (NodeId id : c.leaders()) c.node(id).transfer_leadership(target, c.now());
        c.flush();
        break;
      case Action::read:
        for (NodeId id : c.leaders()) {
          read_floor[next_read] = highest_commit();
          c.node(id).read_index(next_read++, c.now());
        }
        c.flush();
        break;
      case Action::compact:
        // Compacting everything applied forces lagging and restarted members
        // through InstallSnapshot.
        if (c.up(target)) c.compact(target, c.node(target).commit_index());
        break;
    }
    if (!c.violations().empty()) RC_FAIL(c.violations().front());
    for (NodeId id : c.ids()) {
      for (const ReadState& r : c.member(id).reads) {
        if (r.index < read_floor[r.request_id]) {
          RC_FAIL("read " + std::to_string(r.request_id) + " confirmed at index " +
                  std::to_string(r.index) + " below commit " +
                  std::to_string(read_floor[r.request_id]) + " at issue");
        }
      }
    }
  }

  // Liveness once the faults stop.
  c.heal();
  c.drop_probability = 0.0;
  for (NodeId id : c.ids()) {
    if (!c.up(id)) c.restart(id);
  }
  auto leader = c.wait_for_leader(10000);
  RC_ASSERT(leader.has_value());
  // Not a single propose: the leader just found may have heard nobody during
  // the faults and step down (check_quorum) before its acks return, and the
  // next leader may overwrite the uncommitted entry. Liveness means a client
  // that retries gets its command committed, so that is what is checked.
  auto entry = c.commit_everywhere("final", 10000);
  RC_ASSERT(entry.has_value());
  for (NodeId id : c.ids()) {
    RC_ASSERT(c.member(id).applied.size() >= entry->index);
    RC_ASSERT(c.member(id).applied[entry->index - 1] == *entry);
  }
  if (!c.violations().empty()) RC_FAIL(c.violations().front());
  // Shows in the report how often a run exercised InstallSnapshot.
  std::size_t installs = 0;
  for (NodeId id : c.ids()) installs += c.snapshots_installed(id);
  bool compacted = false;
  for (NodeId id : c.ids()) compacted = compacted || c.node(id).snapshot_index() > 0;
  RC_CLASSIFY(installs > 0, "installed a snapshot");
  RC_CLASSIFY(compacted, "compacted");
}

}  // namespace
}  // namespace faultline::raft
