// Checks of the fault list: kinds, targets against the topology, timing
// against the workload.
#include <string>
#include <tuple>

#include "drills/plan/suggest.hpp"
#include "drills/plan/validate.hpp"

namespace faultline::plan {
namespace {

using nlohmann::json;

// "c3" -> 3 for prefix 'c'; nullopt for anything else (including "c0" and "c03").
std::optional<int> numbered_id(const std::string& target, char prefix) {
  if (target.size() < 2 || target.size() > 4 || target[0] != prefix || target[1] == '0') {
    return std::nullopt;
  }
  int n = 0;
  for (std::size_t i = 1; i < target.size(); ++i) {
    if (target[i] < '0' || target[i] > '9') return std::nullopt;
    n = n * 10 + (target[i] - '0');
  }
  return n;
}

std::string id_range(char prefix, int count) {
  const std::string first = prefix + std::string("1");
  if (count == 1) return first;
  return first + ".." + prefix + std::to_string(count);
}

std::vector<std::string> allowed_targets(const FaultContext& context) {
  std::vector<std::string> out{"leader", "follower"};
  out.push_back(context.coordinators ? id_range('c', *context.coordinators)
                                     : "a member id (c1, c2, ...)");
  if (context.workers && *context.workers > 0) {
    out.emplace_back("worker");
    out.push_back(id_range('w', *context.workers));
  }
  return out;
}

void check_target(const std::string& target, const JsonPath& path, const FaultContext& context,
                  Issues& issues) {
  if (target == "leader" || target == "follower") return;
  const bool has_workers = !context.workers || *context.workers > 0;
  if (target == "worker") {
    if (has_workers) return;
    issues.push_back({path, "target \"worker\" needs worker nodes: set topology.workers (1..16)"});
    return;
  }
  for (const auto& [prefix, count, what] :
       {std::tuple{'c', context.coordinators, "member"}, std::tuple{'w', context.workers, "worker"}}) {
    const std::optional<int> n = numbered_id(target, prefix);
    if (!n) continue;
    if (!count || *n <= *count) return;
    std::vector<std::string> ids;
    for (int i = 1; i <= *count; ++i) ids.push_back(prefix + std::to_string(i));
    issues.push_back({path, "target " + show_text(target) + " is not a " + what +
                                " of the topology (" + what + "s: " +
                                (ids.empty() ? std::string("none; set topology.workers") : join(ids)) +
                                ")"});
    return;
  }
  std::string message = "unknown target " + show_text(target);
  if (auto near = closest_match(target, {"leader", "follower", "worker"})) {
    message += "; did you mean " + show_text(*near) + "?";
  }
  issues.push_back({path, message + "; allowed: " + join(allowed_targets(context))});
}

std::optional<FaultSpec> read_fault(const json& value, const JsonPath& path,
                                    const FaultContext& context, Issues& issues) {
  ObjectReader r(value, path, issues,
                 {"kind", "target", "at_ms", "restart_after_ms", "resume_after_ms"});
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
    check_target(*target.value, r.path_of("target"), context, issues);
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

  // Each kind names its heal after what it undoes.
  const char* heal_field = fault.kind == FaultKind::pause ? "resume_after_ms" : "restart_after_ms";
  const char* other_field = fault.kind == FaultKind::pause ? "restart_after_ms" : "resume_after_ms";
  if (kind.value && r.member(other_field) != nullptr) {
    issues.push_back({r.path_of(other_field), std::string("does not apply to a ") +
                                                  std::string(fault_kind_name(fault.kind)) +
                                                  " fault; use " + heal_field});
  }
  fault.restart_after_ms = r.integer(heal_field, IntRule{0}, std::nullopt).value;

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
