// Property: over random fault schedules (crashes, restarts, symmetric and
// one-way partitions, loss, duplication, reordering, slow links, clock
// drift; log compaction and InstallSnapshot throughout) no Raft
// safety invariant is ever violated. The schedule is RapidCheck's generated
// value, so a failure is shrunk to a short schedule; it is written to a file
// and the failure message gives the replay command.
//
// More cases locally: RC_PARAMS="max_success=2000" ctest -R SimProperty
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <filesystem>
#include <fstream>

#include "cluster/sim/simulator.hpp"
#include "tests/sim/schedule_gen.hpp"

namespace faultline::sim {
namespace {

// Writes the failing case where a developer can replay it.
std::string replay_hint(const SimConfig& c, const Schedule& s, const SimResult& r) {
  const auto file = std::filesystem::temp_directory_path() / "faultline-sim-property-failure.schedule";
  std::ofstream(file) << to_file_text(c, s);
  return r.violations.front() + "\nschedule (" + std::to_string(s.actions.size()) + " actions):\n" +
         to_text(s) + "replay: faultline sim --schedule " + file.string();
}

void check_schedule(std::size_t members, std::int64_t duration_ms, std::int64_t ops,
                    raft::ElectionTimer timer = raft::ElectionTimer::wall) {
  SimConfig c;
  c.election_timer = timer;
  c.seed = *rc::gen::noShrink(rc::gen::inRange<std::uint64_t>(1, 1'000'000'000));
  c.members = members;
  c.duration_ms = duration_ms;
  c.client_ops_per_second = ops;
  c.log_messages = false;
  const Schedule s = *testing::gen_schedule(members, duration_ms, 40);
  const SimResult r = run(c, s);
  if (!r.ok()) RC_FAIL(replay_hint(c, s, r));
  // Coverage, printed with the results: how often the runs reached the
  // snapshot path (a member behind the leader's compacted log).
  RC_CLASSIFY(r.stats.snapshots_installed > 0, "InstallSnapshot");
}

RC_GTEST_PROP(SimProperty, FiveMembersRandomFaultsKeepRaftSafe, ()) { check_schedule(5, 5'000, 50); }

RC_GTEST_PROP(SimProperty, ThreeMembersRandomFaultsKeepRaftSafe, ()) { check_schedule(3, 5'000, 50); }

// etcd's way of counting the election timeout (heartbeat ticks) campaigns
// earlier after a contact; safety must not care.
RC_GTEST_PROP(SimProperty, TicksElectionTimerKeepsRaftSafe, ()) {
  check_schedule(3, 5'000, 50, raft::ElectionTimer::ticks);
}

}  // namespace
}  // namespace faultline::sim
