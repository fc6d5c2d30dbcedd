// Target selectors: which members a fault acts on, chosen at the moment it
// fires from what every member reports about itself.
//
//   leader      the member that says it leads, in the highest term
//   follower    one member that says it follows, chosen by the run's generator
//   followers   every member that says it follows
//   minority    ⌊(N-1)/2⌋ of the N voters, chosen by the run's generator
//   majority    ⌊N/2⌋+1 of the N voters, chosen by the run's generator
//   all         every voter
//   c1 .. cN    that voter, while it answers
//   worker      the worker most sessions are pinned to (the first before any call)
//   workers     every worker
//   w1 .. wN    that worker, while its process runs
//   s1 .. sN    another member (a Redis sentinel), while its process runs
//
// "Voters" are the members that take part in elections (the embedded
// cluster's coordinators, etcd members, Redis sentinels' quorum is not a
// voter set: see each target). Every random choice comes from the generator
// passed in, which the runner seeds from the run's seed, so a seed replays
// the same choices; the choice is journaled with the fault.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace faultline::faults {

// One member as the selector sees it at the moment the fault fires.
struct MemberView {
  std::string id;
  bool voter = true;  // false: a worker (no Raft role)
  bool up = false;    // voters: answered its status; workers: process running
  std::string role;   // leader | follower | candidate | "" (down, or a worker)
  std::uint64_t term = 0;
  // Neither voter nor worker (a Redis sentinel): chosen by its id only.
  bool other = false;
};

struct Selection {
  std::vector<std::string> ids;       // empty: nothing matches now (retry later)
  std::optional<std::uint64_t> term;  // the chosen voter's term (one voter chosen)
};

// What a selector picks among `views`. `busiest_worker` resolves "worker".
// Unknown selectors select nothing (plans are validated first).
Selection select_members(const std::string& selector, const std::vector<MemberView>& views,
                         std::mt19937_64& rng, const std::optional<std::string>& busiest_worker);

// Plan validation: nullopt when `selector` is valid for a topology with these
// voter and worker ids, else the problem, with the allowed selectors.
// `others`: members named by id only (Redis sentinels).
std::optional<std::string> check_selector(const std::string& selector,
                                          const std::vector<std::string>& voters,
                                          const std::vector<std::string>& workers,
                                          const std::vector<std::string>& others = {});

// The selectors every topology accepts, for messages.
std::vector<std::string> role_selectors();

}  // namespace faultline::faults
