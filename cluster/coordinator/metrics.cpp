#include "cluster/coordinator/metrics.hpp"

namespace faultline::coordinator {
namespace {

using Json = nlohmann::json;

std::string number(const Json& value) { return value.is_number() ? value.dump() : "0"; }

void gauge(std::string& out, const char* name, const char* help, const std::string& labels, const std::string& value) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " gauge\n";
  out += std::string(name) + "{" + labels + "} " + value + "\n";
}

}  // namespace

std::string metrics_text(const Json& raft, const Json& cluster) {
  const std::string member = "member=\"" + raft.value("id", std::string()) + "\"";
  const std::string role = raft.value("role", std::string());
  std::string out;
  gauge(out, "faultline_raft_term", "The member's current Raft term.", member, number(raft.value("term", Json())));
  gauge(out, "faultline_raft_commit_index", "The member's commit index.", member,
        number(raft.value("commit_index", Json())));
  gauge(out, "faultline_raft_applied_index", "The last index the member applied to its store.", member,
        number(raft.value("applied_index", Json())));
  gauge(out, "faultline_raft_last_index", "The last index of the member's log.", member,
        number(raft.value("last_index", Json())));
  out += "# HELP faultline_raft_role 1 for the member's Raft role, 0 for the others.\n"
         "# TYPE faultline_raft_role gauge\n";
  for (const char* r : {"leader", "follower", "candidate"}) {
    out += "faultline_raft_role{" + member + ",role=\"" + r + "\"} " + (role == r ? "1" : "0") + "\n";
  }
  gauge(out, "faultline_raft_leader", "1 while the member leads.", member, role == "leader" ? "1" : "0");
  const Json stats = cluster.contains("data") && cluster["data"].is_object() ? cluster["data"].value("stats", Json())
                                                                             : Json();
  const auto stat = [&](const char* key) { return stats.is_object() ? number(stats.value(key, Json())) : "0"; };
  gauge(out, "faultline_cluster_nodes", "Workers this member heard from since it became leader.", member,
        stat("nodes"));
  gauge(out, "faultline_cluster_active_nodes", "Of those workers, the ones alive.", member, stat("activeNodes"));
  gauge(out, "faultline_cluster_sessions", "Sessions pinned to a worker.", member, stat("sessions"));
  return out;
}

}  // namespace faultline::coordinator
