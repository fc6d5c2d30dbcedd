#include "drills/plan/processes.hpp"

namespace faultline::plan {
namespace {

using nlohmann::json;

JsonPath path_of(const json& text) {
  std::string error;
  return parse_json_path(text.get<std::string>(), error).value_or(JsonPath{});
}

std::optional<JsonPath> optional_path(const json& request, const char* key) {
  if (!request.contains(key)) return std::nullopt;
  return path_of(request[key]);
}

void read_common(const json& request, ProcessRequest& out) {
  out.method = request.value("method", std::string("POST"));
  out.path = request.value("path", std::string("/"));
  out.body = request.value("body", json(nullptr));
}

}  // namespace

std::vector<std::string> member_placeholders() {
  return {"id",      "index",   "address", "dir", "data_dir", "seed", "members", "election_timeout_min_ms",
          "election_timeout_max_ms", "heartbeat_ms"};
}

std::vector<std::string> command_placeholders() {
  auto out = member_placeholders();
  out.push_back("peers");
  return out;
}

std::vector<std::string> write_placeholders() { return {"key", "value", "key_base64", "value_base64"}; }

std::vector<std::string> read_placeholders() { return {"key", "key_base64"}; }

ProcessesTopology processes_topology(const Topology& topology) {
  const json& o = topology.options;
  ProcessesTopology p;
  p.id_prefix = o.value("id_prefix", p.id_prefix);
  p.ports = o.value("ports", std::vector<std::string>{});
  p.api_port = o.value("api_port", p.ports.empty() ? std::string() : p.ports.front());
  p.command = o.value("command", std::vector<std::string>{});
  p.env = o.value("env", std::map<std::string, std::string>{});
  p.peer = o.value("peer", std::string());
  p.peer_separator = o.value("peer_separator", p.peer_separator);
  p.health = o.value("health", std::string("/"));
  p.probe = o.value("probe", p.health);
  p.package = o.value("package", std::string());
  const json requests = o.value("requests", json::object());
  if (requests.contains("write")) read_common(requests["write"], p.write);
  if (requests.contains("read")) {
    const json& r = requests["read"];
    read_common(r, p.read);
    if (r.contains("value")) p.read.value = path_of(r["value"]);
    p.read.encoding = r.value("encoding", p.read.encoding);
  }
  if (requests.contains("status")) {
    const json& s = requests["status"];
    ProcessStatus status;
    read_common(s, status);
    if (s.contains("term")) status.term = path_of(s["term"]);
    if (s.contains("leader")) status.leader = path_of(s["leader"]);
    status.self = optional_path(s, "self");
    status.role = optional_path(s, "role");
    status.commit_index = optional_path(s, "commit_index");
    status.applied_index = optional_path(s, "applied_index");
    status.term_of = s.value("term_of", status.term_of);
    p.status = std::move(status);
  }
  for (const json& rule : o.value("not_done", json::array())) {
    NotDoneRule r;
    if (rule.contains("status")) r.status = rule["status"].get<int>();
    r.contains = rule.value("contains", std::string());
    p.not_done.push_back(std::move(r));
  }
  return p;
}

}  // namespace faultline::plan
