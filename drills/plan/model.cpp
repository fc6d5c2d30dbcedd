#include "drills/plan/model.hpp"

namespace faultline::plan {
std::string PlanError::to_string() const {
  std::string out = file;
  if (line > 0) {
    out += ':';
    out += std::to_string(line);
  }
  out += ": ";
  if (!path.empty()) out += path + ": ";
  out += message;
  return out;
}

const std::vector<NumericObjectiveName>& numeric_objective_names() {
  static const std::vector<NumericObjectiveName> names = {
      {"rto_ms", false},     {"rpo_writes", true},       {"leader_election_ms", false},
      {"max_elections", true}, {"rto_from_heal_ms", false}, {"failover_ms", false},
      {"calls_lost", true},  {"sessions_moved_without_cause", true},
  };
  return names;
}

std::string member_id(int index) {
  return "c" + std::to_string(index + 1);
}

std::string plan_summary(const Plan& p) {
  std::string out;
  if (p.topology.kind == "embedded") {
    out = std::to_string(p.topology.coordinators) + " coordinators";
  } else {
    const MemberIds ids = member_ids(p.topology);
    out = p.topology.kind + " with " + std::to_string(ids.voters.size()) + " voters";
    if (!ids.others.empty()) out += " and " + std::to_string(ids.others.size()) + " others";
  }
  out += ", " + std::to_string(p.workload.clients) + " clients for " + std::to_string(p.workload.duration_ms) +
         " ms, " + std::to_string(p.faults.size()) + (p.faults.size() == 1 ? " fault" : " faults");
  return out;
}

}  // namespace faultline::plan
