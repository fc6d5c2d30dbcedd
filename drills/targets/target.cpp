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

AdminReply Target::admin(const MemberInfo& member, const std::string&, const std::string&,
                         const std::string&, long) {
  return {0, "", "target kind " + kind() + " has no admin endpoint (member " + member.id + ")"};
}

faults::ClockAccess Target::clock_access(const MemberInfo& member) const {
  faults::ClockAccess access;
  access.why_not = "target kind " + kind() + " has no way to shift the clock of " + member.id;
  return access;
}

std::vector<std::pair<std::string, std::string>> Target::member_env(const MemberInfo&) const { return {}; }

bool Target::caught_up(const MemberInfo& member, std::string& why) {
  if (!member.voter) return true;
  const MemberStatus first = status(member, kStatusTimeoutMs);
  if (!first.up) {
    why = member.id + " does not answer its status";
    return false;
  }
  if (!first.leader) {
    why = member.id + " names no leader";
    return false;
  }
  const MemberInfo* leader = this->member(*first.leader);
  if (leader == nullptr) {
    why = member.id + " names an unknown leader " + *first.leader;
    return false;
  }
  // The leader first, then the member: what the leader had committed a
  // moment ago must be applied on the member now.
  const MemberStatus lead = leader == &member ? first : status(*leader, kStatusTimeoutMs);
  if (!lead.up || lead.role != "leader") {
    why = *first.leader + " (named leader by " + member.id + ") does not answer as leader";
    return false;
  }
  const MemberStatus now = leader == &member ? first : status(member, kStatusTimeoutMs);
  if (!now.up || now.applied_index < lead.commit_index) {
    why = member.id + " has applied " + std::to_string(now.applied_index) + " of the " +
          std::to_string(lead.commit_index) + " entries its leader " + *first.leader + " committed";
    return false;
  }
  return true;
}

bool Target::drop_unsynced(const MemberInfo& member, Json&, std::string& error) {
  error = "target kind " + kind() + " cannot drop what " + member.id +
          "'s storage did not sync (it has no storage failpoint)";
  return false;
}

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
