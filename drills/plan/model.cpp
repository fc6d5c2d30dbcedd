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

}  // namespace faultline::plan
