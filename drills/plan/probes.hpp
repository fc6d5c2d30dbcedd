// Steady-state probes: what "healthy" means for a system, declared in the
// plan (`steady_state.probes`), and the catalogue of probe kinds, each with
// its parameters as fault kinds declare theirs.
//
// Two families:
//  - computed from the journal's own operations, after the run: the
//    workload's success rate and latency percentile over a sliding window;
//  - sampled while the run goes, every `steady_state.sample_ms` from the
//    observer's address (outside every fault), each sample journaled as a
//    `probe` event: an HTTP answer, a Prometheus metric, the Raft roles the
//    members report, the cluster's own counts, a command's exit code.
//
// A probe's `when` says where it belongs: `before` (it must hold during the
// baseline, before any fault: otherwise the system was not healthy to begin
// with), `continuous` (part of the steady-state hypothesis that RTO waits
// for), `after` (it must hold once the run recovered). A probe with no
// `when` is used only by halt conditions. `tolerance_ms`: a failure shorter
// than this still counts as holding (one lost sample is not an outage).
//
// Thread-safety: immutable data and pure functions.
#pragma once

#include <string>
#include <vector>

#include "chaos/faults/spec.hpp"

namespace faultline::plan {

struct ProbeKind {
  std::string name;
  std::string summary;
  bool sampled = false;  // false: computed from the journal's operations
  std::vector<faults::ParamSpec> params;
};

const std::vector<ProbeKind>& probe_kinds();
const ProbeKind* find_probe_kind(const std::string& name);
std::vector<std::string> probe_kind_names();

// The probe kinds as Markdown (docs/plan.md carries it between markers).
std::string probe_kinds_markdown();

}  // namespace faultline::plan
