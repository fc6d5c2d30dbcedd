// Checks of the fault list: kinds, targets against the topology, timing
// against the workload.
#include <string>

#include "drills/plan/suggest.hpp"
#include "drills/plan/validate.hpp"

namespace faultline::plan {
namespace {

using nlohmann::json;

// "c3" -> 3; nullopt for anything else (including "c0" and "c03").
std::optional<int> member_number(const std::string& target) {
  if (target.size() < 2 || target.size() > 4 || target[0] != 'c' || target[1] == '0') {
    return std::nullopt;
  }
  int n = 0;
  for (std::size_t i = 1; i < target.size(); ++i) {
    if (target[i] < '0' || target[i] > '9') return std::nullopt;
    n = n * 10 + (target[i] - '0');
  }
  return n;
}

std::vector<std::string> allowed_targets(std::optional<int> coordinators) {
  std::vector<std::string> out{"leader", "follower"};
  if (!coordinators) {
    out.emplace_back("a member id (c1, c2, ...)");
  } else if (*coordinators == 1) {
    out.push_back(member_id(0));
  } else {
    out.push_back(member_id(0) + ".." + member_id(*coordinators - 1));
  }
  return out;
}

void check_target(const std::string& target, const JsonPath& path, std::optional<int> coordinators,
                  Issues& issues) {
  if (target == "leader" || target == "follower") return;
  if (const std::optional<int> n = member_number(target)) {
    if (!coordinators || *n <= *coordinators) return;
    std::vector<std::string> members;
    for (int i = 0; i < *coordinators; ++i) members.push_back(member_id(i));
    issues.push_back({path, "target " + show_text(target) +
                                " is not a member of the topology (members: " + join(members) +
                                ")"});
    return;
  }
  std::string message = "unknown target " + show_text(target);
  if (auto near = closest_match(target, {"leader", "follower"})) {
    message += "; did you mean " + show_text(*near) + "?";
  }
  issues.push_back({path, message + "; allowed: " + join(allowed_targets(coordinators))});
}

std::optional<FaultSpec> read_fault(const json& value, const JsonPath& path,
                                    const FaultContext& context, Issues& issues) {
  ObjectReader r(value, path, issues, {"kind", "target", "at_ms", "restart_after_ms"});
  if (!r.is_object()) return std::nullopt;
  const std::size_t before = issues.size();
  FaultSpec fault;

  const Field<std::string> kind = r.string("kind", std::nullopt, Need::required);
  if (kind.value) {
    if (const auto k = fault_kind_from_name(*kind.value)) {
      fault.kind = *k;
    } else {
      std::string message = "unknown fault kind " + show_text(*kind.value);
      if (auto near = closest_match(*kind.value, fault_kind_names())) {
        message += "; did you mean " + show_text(*near) + "?";
      }
      issues.push_back({r.path_of("kind"), message + "; allowed: " + join(fault_kind_names())});
    }
  }

  const Field<std::string> target = r.string("target", std::nullopt, Need::required);
  if (target.value) {
    check_target(*target.value, r.path_of("target"), context.coordinators, issues);
    fault.target = *target.value;
  }

  const Field<std::int64_t> at = r.integer("at_ms", IntRule{0}, std::nullopt, Need::required);
  if (at.value) {
    fault.at_ms = *at.value;
    if (context.duration_ms && *at.value >= *context.duration_ms) {
      issues.push_back(
          {r.path_of("at_ms"), "must be before the end of the workload (workload.duration_ms = " +
                                   std::to_string(*context.duration_ms) + "), got " +
                                   std::to_string(*at.value)});
    }
  }

  fault.restart_after_ms = r.integer("restart_after_ms", IntRule{0}, std::nullopt).value;

  if (issues.size() != before) return std::nullopt;
  return fault;
}

}  // namespace

std::vector<FaultSpec> read_faults(const json* faults, const JsonPath& path,
                                   const FaultContext& context, Issues& issues) {
  std::vector<FaultSpec> out;
  if (faults == nullptr) return out;
  if (!faults->is_array()) {
    issues.push_back({path, "expected an array of faults, found " + describe(*faults)});
    return out;
  }
  for (std::size_t i = 0; i < faults->size(); ++i) {
    if (auto fault = read_fault((*faults)[i], child(path, i), context, issues)) {
      out.push_back(std::move(*fault));
    }
  }
  return out;
}

}  // namespace faultline::plan
