// The JSON Schema (draft 2020-12) of drill plans, for editors: completion,
// hover text and checks while a plan is written. It is generated, never
// written by hand: the fault kinds and their parameters come from the fault
// catalogue (chaos/faults/spec.hpp), the probe kinds from probes.hpp, the
// topology kinds and their fields from topology.hpp (each kind's schema sits
// beside its reader); the other sections restate validate.cpp's rules.
// `faultline plan schema` prints it; docs/plan.schema.json holds it and a
// test keeps the two equal (scripts/update-plan-schema.sh rewrites it).
//
// The schema accepts every plan validation accepts; it may accept a few that
// validation then refuses, for rules a schema cannot say (a target that is
// not a member, a fault after the workload's end, etcd's [T, 2T]).
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace faultline::plan {

nlohmann::json plan_schema();

// The schema as docs/plan.schema.json holds it: indented by two, with a
// final newline.
std::string plan_schema_text();

}  // namespace faultline::plan
