// Judging one sample of a sampled steady-state probe (drills/plan/probes.hpp)
// from what was read: an HTTP answer, a Prometheus text page, the cluster's
// own counts, the voters' reports of themselves, a command's exit and
// output. No I/O here: the prober (prober.hpp) takes the sample and passes
// what it read, so every rule below is tested without processes.
//
// `params` are the probe's declared parameters with their defaults filled
// in, as a validated plan holds them.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "chaos/process/process_control.hpp"
#include "drills/targets/target.hpp"

namespace faultline::runner {

using Json = nlohmann::json;

// What one sample saw: the journal's `probe` event fields.
struct ProbeOutcome {
  bool pass = false;
  Json value;          // what it read: a status, a number, a term, a leader
  std::string detail;  // why it failed; empty when it held
};

// A failed sample that could not be taken at all (a timeout, nothing to ask).
ProbeOutcome failed_sample(std::string why);

// `value OP limit` for OP in <, <=, ==, !=, >=, >.
bool compare(double value, const std::string& op, double limit);

// http: the status, then `json_path` (the value there must equal `equals`,
// or without `equals` exist and not be null), then `regex` over the body.
ProbeOutcome judge_http(const Json& params, long status, const std::string& body);

// metric: the first line of `metric` carrying every label of `labels`,
// compared with `value` by `op`.
ProbeOutcome judge_metric(const Json& params, long status, const std::string& body);

// The value of the first sample line of `name` whose labels include every
// one of `labels` (an object of strings) in a Prometheus text page; nullopt
// with `error` saying why not.
std::optional<double> find_metric(const std::string& text, const std::string& name, const Json& labels,
                                  std::string& error);

// cluster: `field` (nodes, active_nodes, sessions) of the reference
// cluster's /api/cluster/status answer, compared with `value` by `op`.
ProbeOutcome judge_cluster(const Json& params, long status, const std::string& body);

// raft over every voter's latest report (down voters included, as not up):
// one_leader holds when exactly one voter says it leads and a majority of
// all voters name it (itself included); max_term when no voter reports a
// term above `value`.
ProbeOutcome judge_raft(const Json& params, const std::vector<std::pair<std::string, targets::MemberStatus>>& voters);

// command: the exit code, then `output_regex` over what it printed.
ProbeOutcome judge_command(const Json& params, const process::ExitStatus& exit, const std::string& output);

}  // namespace faultline::runner
