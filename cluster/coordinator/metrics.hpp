// The coordinator's Prometheus text page (GET /metrics, text format 0.0.4):
// what its Raft status and its cluster status say, as gauges a drill's
// `metric` probe (or any scraper) reads:
//
//   faultline_raft_term{member}            the current term
//   faultline_raft_commit_index{member}    the commit index
//   faultline_raft_applied_index{member}   the index applied to the store
//   faultline_raft_last_index{member}      the last index of its log
//   faultline_raft_role{member,role}       1 for its role (leader, follower,
//                                          candidate), 0 for the others
//   faultline_raft_leader{member}          1 while it leads
//   faultline_cluster_nodes{member}        workers heard from (the leader's count)
//   faultline_cluster_active_nodes{member} of them, those alive
//   faultline_cluster_sessions{member}     sessions pinned to a worker
//
// Thread-safety: a pure function.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace faultline::coordinator {

// `raft`: the /api/raft/status object; `cluster`: the /api/cluster/status one.
std::string metrics_text(const nlohmann::json& raft, const nlohmann::json& cluster);

}  // namespace faultline::coordinator
