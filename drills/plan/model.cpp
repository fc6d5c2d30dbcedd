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

std::string member_id(int index) {
  return "c" + std::to_string(index + 1);
}

}  // namespace faultline::plan
