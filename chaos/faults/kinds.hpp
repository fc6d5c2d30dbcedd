// The kinds of the catalogue, one file each, and what their files share.
// catalogue.cpp lists them in order; nothing else names a kind.
#pragma once

#include "chaos/faults/fault.hpp"

namespace faultline::faults {

const KindDef& kill_kind();
const KindDef& pause_kind();
const KindDef& partition_kind();
const KindDef& latency_kind();
const KindDef& loss_kind();
const KindDef& bandwidth_kind();
const KindDef& reset_kind();
const KindDef& blackhole_kind();
const KindDef& slow_close_kind();
const KindDef& timeout_kind();

// Every kind's definition, in the catalogue's order.
const std::vector<const KindDef*>& kind_defs();
const KindDef* find_kind_def(std::string_view name);

// The error of a selector that matched nothing until its deadline.
std::string no_match(const FaultRequest& request);

}  // namespace faultline::faults
