// Random valid plans for the plan properties: any topology kind (embedded,
// etcd, redis-sentinel, processes), faults of every kind with valid
// parameters and selectors, probes, halts, rollbacks and expectations. A
// generated plan is one the validator accepts and writes back unchanged.
#pragma once

#include <rapidcheck.h>

#include "drills/plan/plan.hpp"

namespace faultline::plan {

rc::Gen<Plan> valid_plan();

}  // namespace faultline::plan
