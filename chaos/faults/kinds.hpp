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
const KindDef& terminate_kind();
const KindDef& crash_loop_kind();
const KindDef& rolling_restart_kind();
const KindDef& clock_kind();
const KindDef& disk_kind();
const KindDef& power_loss_kind();
const KindDef& cpu_kind();
const KindDef& memory_kind();

// Every kind's definition, in the catalogue's order.
const std::vector<const KindDef*>& kind_defs();
const KindDef* find_kind_def(std::string_view name);

// The error of a selector that matched nothing until its deadline.
std::string no_match(const FaultRequest& request);

// What the process kinds share (catalogue.cpp).
// Journals `member.exit` (or `worker.exit`) of a process a fault ended.
void record_exit(FaultEnvironment& env, const std::string& id, int pid,
                 const std::optional<process::ExitStatus>& exit, bool expected);
// Resolves the request's target now (5 s for a match), refusing workers
// for kinds that act on voters only; nullopt with `error` otherwise.
std::optional<Selection> resolve_targets(FaultEnvironment& env, const FaultRequest& request,
                                         std::string& error);
// A fault step's journal event: `fault.step` with the fault's index and kind.
void record_step(FaultEnvironment& env, const FaultRequest& request, Json fields);

}  // namespace faultline::faults
