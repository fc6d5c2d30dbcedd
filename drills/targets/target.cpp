// What every target shares: lookups over its members, and the waits that
// follow from each member's own status report.
#include "drills/targets/target.hpp"

#include <future>
#include <map>

#include "chaos/process/wait.hpp"

namespace faultline::targets {
namespace {
constexpr auto kPollInterval = std::chrono::milliseconds(20);
constexpr long kStatusTimeoutMs = 200;
}  // namespace

const MemberInfo* Target::member(const std::string& id) const {
  for (const auto& m : members()) {
    if (m.id == id) return &m;
  }
  return nullptr;
}

std::vector<const MemberInfo*> Target::voters() const {
  std::vector<const MemberInfo*> out;
  for (const auto& m : members()) {
    if (m.voter) out.push_back(&m);
  }
  return out;
}

std::vector<const MemberInfo*> Target::workers() const {
  std::vector<const MemberInfo*> out;
  for (const auto& m : members()) {
    if (m.is_worker()) out.push_back(&m);
  }
  return out;
}

std::vector<const MemberInfo*> Target::others() const {
  std::vector<const MemberInfo*> out;
  for (const auto& m : members()) {
    if (m.other) out.push_back(&m);
  }
  return out;
}

std::vector<MemberStatus> Target::status_all(long timeout_ms) {
  std::vector<std::future<MemberStatus>> asked;
  for (const MemberInfo* m : voters()) {
    asked.push_back(std::async(std::launch::async, [this, m, timeout_ms] { return status(*m, timeout_ms); }));
  }
  std::vector<MemberStatus> out;
  for (auto& a : asked) out.push_back(a.get());
  return out;
}

std::optional<std::string> Target::wait_for_leader(Deadline deadline) {
  const std::size_t majority = voters().size() / 2 + 1;
  std::optional<std::string> leader;
  process::wait_until(
      [&] {
        std::map<std::pair<std::uint64_t, std::string>, std::size_t> votes;
        for (const auto& s : status_all(kStatusTimeoutMs)) {
          if (s.up && s.leader) ++votes[{s.term, *s.leader}];
        }
        for (auto it = votes.rbegin(); it != votes.rend(); ++it) {
          if (it->second >= majority) {
            leader = it->first.second;
            return true;
          }
        }
        return false;
      },
      deadline, kPollInterval);
  return leader;
}

bool Target::wait_ready(Deadline, std::string&) { return true; }

bool Target::wait_converged(Deadline deadline) {
  const auto converged = [&] {
    std::uint64_t highest_commit = 0;
    std::uint64_t lowest_applied = UINT64_MAX;
    bool all_up = true;
    bool have_leader = false;
    for (const auto& s : status_all(kStatusTimeoutMs)) {
      all_up = all_up && s.up;
      have_leader = have_leader || s.role == "leader";
      highest_commit = std::max(highest_commit, s.commit_index);
      lowest_applied = std::min(lowest_applied, s.applied_index);
    }
    return all_up && have_leader && lowest_applied >= highest_commit;
  };
  return process::wait_until(converged, deadline, kPollInterval) == process::WaitResult::met;
}

}  // namespace faultline::targets
