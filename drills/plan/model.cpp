#include "drills/plan/model.hpp"

#include <array>
#include <utility>

namespace faultline::plan {
namespace {

constexpr std::array<std::pair<FaultKind, std::string_view>, 2> kFaultKinds{{
    {FaultKind::kill, "kill"},
    {FaultKind::pause, "pause"},
}};

}  // namespace

std::string_view fault_kind_name(FaultKind kind) {
  for (const auto& [k, name] : kFaultKinds) {
    if (k == kind) return name;
  }
  return "unknown";
}

std::optional<FaultKind> fault_kind_from_name(std::string_view name) {
  for (const auto& [k, n] : kFaultKinds) {
    if (n == name) return k;
  }
  return std::nullopt;
}

std::vector<std::string> fault_kind_names() {
  std::vector<std::string> names;
  for (const auto& entry : kFaultKinds) names.emplace_back(entry.second);
  return names;
}

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
