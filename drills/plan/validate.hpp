// Turns a parsed JSON document into a Plan, checking every rule of the plan
// format (docs/plan.md) and filling in defaults. All problems are collected,
// each with the JSON path it concerns; line numbers are added later by the
// caller, which holds the raw text.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>

#include "drills/plan/model.hpp"
#include "drills/plan/reader.hpp"

namespace faultline::plan {

struct Validation {
  std::optional<Plan> plan;  // set exactly when `issues` is empty
  Issues issues;
};

Validation validate(const nlohmann::json& doc);

// The rule of plan (and suite) names: lower-case letters, digits, '-', '_'
// and '.', starting with a letter or digit.
bool valid_name(const std::string& name);

// What fault checks need from the rest of the plan; a member is nullopt when
// that part of the plan is itself invalid, and the checks depending on it are
// skipped rather than reported twice.
struct FaultContext {
  // The topology's member ids, when the topology itself is valid; selector
  // and member checks are skipped otherwise.
  bool topology_known = false;
  std::string topology_kind;         // "embedded", "etcd", ... (when known)
  std::vector<std::string> voters;   // c1..cN
  std::vector<std::string> workers;  // w1..wN
  std::vector<std::string> others;   // other members, named by id only (Redis sentinels)
  bool roles = true;                 // the voters report roles: leader/follower selectors work
  std::optional<std::int64_t> duration_ms;
};

// `$.steady_state`, `$.halt`, `$.rollbacks`, `$.expect` (steady_state.cpp).
// Absent sections take their defaults; halts name declared probes; expect
// names objectives the plan declares or the built-in checks.
SteadyState read_steady_state(const nlohmann::json* value, const JsonPath& path, const FaultContext& context,
                              std::optional<std::int64_t> op_timeout_ms, Issues& issues);
std::vector<HaltSpec> read_halts(const nlohmann::json* value, const JsonPath& path, const SteadyState& steady,
                                 Issues& issues);
std::vector<RollbackSpec> read_rollbacks(const nlohmann::json* value, const JsonPath& path,
                                         const FaultContext& context, Issues& issues);
std::vector<std::string> read_expect(const nlohmann::json* value, const JsonPath& path, const Plan& plan,
                                     Issues& issues);
// The checks every run evaluates whatever the plan declares.
const std::vector<std::string>& builtin_checks();

// Checks `$.faults` (absent means no faults). Defined in faults.cpp.
std::vector<FaultSpec> read_faults(const nlohmann::json* faults, const JsonPath& path,
                                   const FaultContext& context, Issues& issues);

}  // namespace faultline::plan
