// topology.kind "processes": members declared by their command line, named
// ports and HTTP requests (drills/plan/processes.hpp; docs/targets.md).
// Every template is checked here against the placeholders its place allows
// and the ports declared, so a typo is a plan error with its JSON path, not
// a member that fails to start.
#include <functional>

#include "drills/plan/processes.hpp"
#include "drills/plan/schema_build.hpp"
#include "drills/plan/suggest.hpp"
#include "drills/plan/template.hpp"
#include "drills/plan/topology.hpp"

namespace faultline::plan {
namespace {

using nlohmann::json;

bool is_name(const std::string& s, std::size_t max) {
  if (s.empty() || s.size() > max || s[0] < 'a' || s[0] > 'z') return false;
  for (const char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  }
  return true;
}

struct Templates {
  const std::vector<std::string>& ports;
  Issues& issues;

  void check(const std::string& text, const JsonPath& path, const std::vector<std::string>& allowed) const {
    for (const Placeholder& p : placeholders(text)) {
      const std::string where = "placeholder " + p.text();
      if (p.name == "port") {
        if (p.arg.empty()) {
          issues.push_back({path, where + " names no port: write {port:NAME} with NAME one of " + join(ports)});
        } else if (std::find(ports.begin(), ports.end(), p.arg) == ports.end()) {
          std::string message = where + " names no declared port";
          if (auto near = closest_match(p.arg, ports)) message += "; did you mean " + show_text(*near) + "?";
          issues.push_back({path, message + "; ports: " + join(ports)});
        }
        continue;
      }
      if (std::find(allowed.begin(), allowed.end(), p.name) == allowed.end()) {
        std::string message = "unknown " + where + " here";
        if (auto near = closest_match(p.name, allowed)) message += "; did you mean {" + *near + "}?";
        issues.push_back({path, message + "; allowed: " + join(allowed) + ", port:NAME"});
      } else if (!p.arg.empty()) {
        issues.push_back({path, where + " takes no argument: write {" + p.name + "}"});
      }
    }
  }

  // A body: a template text, or a JSON value whose strings are templates.
  void check_body(const json& body, const JsonPath& path, const std::vector<std::string>& allowed) const {
    if (body.is_string()) {
      check(body.get<std::string>(), path, allowed);
    } else if (body.is_object()) {
      for (const auto& [key, value] : body.items()) check_body(value, child(path, key), allowed);
    } else if (body.is_array()) {
      for (std::size_t i = 0; i < body.size(); ++i) check_body(body[i], child(path, i), allowed);
    }
  }
};

std::optional<std::string> read_json_path(ObjectReader& r, const std::string& key, Need need, Issues& issues) {
  const Field<std::string> text = r.string(key, std::nullopt, need);
  if (!text.value) return std::nullopt;
  std::string error;
  if (!parse_json_path(*text.value, error)) {
    issues.push_back({r.path_of(key), error});
    return std::nullopt;
  }
  return text.value;
}

// The fields every request has; `extra` are the kind's own. Returns the
// request as stored, or null when it had an issue.
json read_request(const json& value, const JsonPath& path, const std::vector<std::string>& extra,
                  const std::vector<std::string>& allowed, const Templates& templates, Issues& issues,
                  const std::function<void(ObjectReader&, json&)>& more) {
  std::vector<std::string> fields{"method", "path", "body"};
  fields.insert(fields.end(), extra.begin(), extra.end());
  const std::size_t before = issues.size();
  ObjectReader r(value, path, issues, fields);
  if (!r.is_object()) return nullptr;
  json out = json::object();
  if (auto method = r.string("method", "POST").value) {
    static const std::vector<std::string> kMethods{"GET", "POST", "PUT", "DELETE", "PATCH"};
    if (std::find(kMethods.begin(), kMethods.end(), *method) == kMethods.end()) {
      issues.push_back({r.path_of("method"), "unknown method " + show_text(*method) + "; allowed: " + join(kMethods)});
    }
    out["method"] = *method;
  }
  if (auto p = r.string("path", std::nullopt, Need::required).value) {
    if (p->empty() || (*p)[0] != '/') issues.push_back({r.path_of("path"), "a path starts with '/', got " + show_text(*p)});
    templates.check(*p, r.path_of("path"), allowed);
    out["path"] = *p;
  }
  const json* body = r.member("body");
  out["body"] = body ? *body : json(nullptr);
  if (body) templates.check_body(*body, r.path_of("body"), allowed);
  more(r, out);
  return issues.size() == before ? out : json(nullptr);
}

json read_not_done(const json* value, const JsonPath& path, Issues& issues) {
  if (value == nullptr) {
    return json::array({json{{"status", 421}, {"contains", ""}}, json{{"status", 503}, {"contains", ""}}});
  }
  json out = json::array();
  if (!value->is_array()) {
    issues.push_back({path, "expected an array of {\"status\": N, \"contains\": TEXT} rules, found " + describe(*value)});
    return out;
  }
  for (std::size_t i = 0; i < value->size(); ++i) {
    ObjectReader r((*value)[i], child(path, i), issues, {"status", "contains"});
    if (!r.is_object()) continue;
    const auto status = r.integer("status", IntRule{100, 599}, std::nullopt).value;
    const auto contains = r.string("contains", "").value;
    if (!r.member("status") && !r.member("contains")) {
      issues.push_back({child(path, i), "a rule needs a status, a text the body contains, or both"});
    }
    json rule{{"contains", contains.value_or("")}};
    if (status) rule["status"] = *status;
    out.push_back(std::move(rule));
  }
  return out;
}

void read_processes(ObjectReader& r, Topology& t, Issues& issues) {
  if (auto v = r.integer("members", IntRule{1, 9}, 3).value) t.coordinators = static_cast<int>(*v);
  read_raft_timing(r, t, issues);
  json& o = t.options;
  if (auto prefix = r.string("id_prefix", "p").value) {
    if (!is_name(*prefix, 8) || prefix->find_first_not_of("abcdefghijklmnopqrstuvwxyz") != std::string::npos) {
      issues.push_back({r.path_of("id_prefix"), "expected 1 to 8 lower-case letters, got " + show_text(*prefix)});
    }
    o["id_prefix"] = *prefix;
  }

  std::vector<std::string> ports;
  if (const json* value = r.member("ports", Need::required)) {
    const JsonPath path = r.path_of("ports");
    if (!value->is_array() || value->empty() || value->size() > 8) {
      issues.push_back({path, "expected an array of 1 to 8 port names, found " + describe(*value)});
    } else {
      for (std::size_t i = 0; i < value->size(); ++i) {
        const auto name = read_string((*value)[i], child(path, i), issues);
        if (!name) continue;
        if (!is_name(*name, 32)) {
          issues.push_back({child(path, i), "a port name is lower-case letters, digits, '_' and '-', got " + show_text(*name)});
        } else if (std::find(ports.begin(), ports.end(), *name) != ports.end()) {
          issues.push_back({child(path, i), "port " + show_text(*name) + " is declared twice"});
        } else {
          ports.push_back(*name);
        }
      }
    }
  }
  o["ports"] = ports;
  const Templates templates{ports, issues};
  const std::string first = ports.empty() ? "" : ports.front();
  if (auto api = r.string("api_port", first).value) {
    if (!ports.empty() && std::find(ports.begin(), ports.end(), *api) == ports.end()) {
      issues.push_back({r.path_of("api_port"), show_text(*api) + " is not a declared port; ports: " + join(ports)});
    }
    o["api_port"] = *api;
  }

  std::vector<std::string> command;
  if (const json* value = r.member("command", Need::required)) {
    const JsonPath path = r.path_of("command");
    if (!value->is_array() || value->empty()) {
      issues.push_back({path, "expected the program and its arguments as an array of strings, found " + describe(*value)});
    } else {
      for (std::size_t i = 0; i < value->size(); ++i) {
        if (auto arg = read_string((*value)[i], child(path, i), issues)) {
          templates.check(*arg, child(path, i), command_placeholders());
          command.push_back(*arg);
        }
      }
      if (!command.empty() && command.front().empty()) issues.push_back({child(path, std::size_t{0}), "the program is empty"});
    }
  }
  o["command"] = command;

  json env = json::object();
  if (const json* value = r.member("env")) {
    if (!value->is_object()) {
      issues.push_back({r.path_of("env"), "expected an object of NAME: template, found " + describe(*value)});
    } else {
      for (const auto& [name, text] : value->items()) {
        const JsonPath path = child(r.path_of("env"), name);
        if (auto v = read_string(text, path, issues)) {
          templates.check(*v, path, command_placeholders());
          env[name] = *v;
        }
      }
    }
  }
  o["env"] = env;

  if (auto peer = r.string("peer", "{address}:{port:" + first + "}").value) {
    templates.check(*peer, r.path_of("peer"), member_placeholders());
    o["peer"] = *peer;
  }
  if (auto sep = r.string("peer_separator", ",").value) o["peer_separator"] = *sep;
  if (auto health = r.string("health", std::nullopt, Need::required).value) {
    if (health->empty() || (*health)[0] != '/') {
      issues.push_back({r.path_of("health"), "the health check is a path from '/' on the api port, got " + show_text(*health)});
    }
    templates.check(*health, r.path_of("health"), member_placeholders());
    o["health"] = *health;
  }
  auto valid_probe = [](const std::string& path) {
    return !path.empty() && path[0] == '/' && path.find_first_of(" \t\r\n") == std::string::npos &&
           placeholders(path).empty();
  };
  const std::string health_path = o.value("health", std::string("/"));
  if (auto probe = r.string("probe", valid_probe(health_path) ? health_path : "/").value) {
    if (!valid_probe(*probe)) {
      issues.push_back({r.path_of("probe"), "the probe is a path from '/' without spaces or placeholders, got " +
                                                show_text(*probe)});
    }
    o["probe"] = *probe;
  }
  if (auto package = r.string("package", "").value) o["package"] = *package;

  json requests = json::object();
  if (const json* value = r.member("requests", Need::required)) {
    ObjectReader q(*value, r.path_of("requests"), issues, {"write", "read", "status"});
    auto none = [](ObjectReader&, json&) {};
    if (const json* w = q.member("write", Need::required)) {
      requests["write"] = read_request(*w, q.path_of("write"), {}, write_placeholders(), templates, issues, none);
    }
    if (const json* rd = q.member("read", Need::required)) {
      requests["read"] = read_request(*rd, q.path_of("read"), {"value", "encoding"}, read_placeholders(), templates,
                                      issues, [&](ObjectReader& x, json& out) {
                                        if (auto p = read_json_path(x, "value", Need::required, issues)) out["value"] = *p;
                                        if (auto e = x.string("encoding", "text").value) {
                                          if (*e != "text" && *e != "base64") {
                                            issues.push_back({x.path_of("encoding"), "expected \"text\" or \"base64\", got " + show_text(*e)});
                                          }
                                          out["encoding"] = *e;
                                        }
                                      });
    }
    if (const json* st = q.member("status")) {
      static const std::vector<std::string> kPaths{"term", "leader", "self", "role", "commit_index", "applied_index"};
      std::vector<std::string> fields = kPaths;
      fields.push_back("term_of");
      requests["status"] = read_request(
          *st, q.path_of("status"), fields, member_placeholders(), templates, issues, [&](ObjectReader& x, json& out) {
            for (const std::string& key : kPaths) {
              const Need need = key == "term" || key == "leader" ? Need::required : Need::optional;
              if (auto p = read_json_path(x, key, need, issues)) out[key] = *p;
            }
            if (auto of = x.string("term_of", "current").value) {
              if (*of != "current" && *of != "last_applied") {
                issues.push_back({x.path_of("term_of"), "expected \"current\" or \"last_applied\", got " + show_text(*of)});
              }
              out["term_of"] = *of;
            }
          });
    }
  }
  o["requests"] = requests;
  o["not_done"] = read_not_done(r.member("not_done"), r.path_of("not_done"), issues);
}

MemberIds processes_ids(const Topology& t) {
  const std::string prefix = t.options.value("id_prefix", std::string("p"));
  std::vector<std::string> ids;
  for (int i = 1; i <= t.coordinators; ++i) ids.push_back(prefix + std::to_string(i));
  MemberIds out{ids, {}, {}};
  out.roles = t.options.contains("requests") && t.options["requests"].contains("status");
  return out;
}

json write_processes(const Topology& t) {
  json out{{"kind", t.kind},
           {"members", t.coordinators},
           {"election_timeout_ms", json::array({t.election_timeout_min_ms, t.election_timeout_max_ms})},
           {"heartbeat_ms", t.heartbeat_ms}};
  for (const auto& [key, value] : t.options.items()) out[key] = value;
  return out;
}

json processes_schema() {
  using namespace schema;
  const json path_template = text("a path template from '/'", std::nullopt, "^/");
  const json json_path = text("a JSON path into the answer: $ then .key, [index] or [\"key\"] steps",
                              std::nullopt, "^\\$");
  auto request = [&](json extra, std::vector<std::string> required, std::string doc) {
    json properties{{"method", choice({"GET", "POST", "PUT", "DELETE", "PATCH"}, "POST", "the HTTP method")},
                    {"path", path_template},
                    {"body", json{{"description", "a template text, or JSON whose strings are templates"}}}};
    for (auto& [key, value] : extra.items()) properties[key] = value;
    required.insert(required.begin(), "path");
    return closed_object(properties, required, std::move(doc));
  };
  json status_fields = json::object();
  for (const char* key : {"term", "leader", "self", "role", "commit_index", "applied_index"}) status_fields[key] = json_path;
  status_fields["term_of"] =
      choice({"current", "last_applied"}, "current", "whose term `term` reads: the current one or the last applied entry's");
  const json requests = closed_object(
      {{"write", request(json::object(), {}, "a put: 200 acknowledges it")},
       {"read", request({{"value", json_path}, {"encoding", choice({"text", "base64"}, "text", "how the value is encoded")}},
                        {"value"}, "a get: the value at `value` of a 200 answer")},
       {"status", request(status_fields, {"term", "leader"}, "a member's report of itself (role, term, leader)")}},
      {"write", "read"}, "the HTTP requests the client and the observer send");
  json not_done_rule = closed_object({{"status", integer(100, 599, std::nullopt, "the answer's status")},
                                      {"contains", text("a text the answer's body contains")}},
                                     {}, "an answer that certainly did nothing");
  not_done_rule["minProperties"] = 1;
  json properties{{"members", integer(1, 9, 3, "number of members")},
                  {"id_prefix", text("member ids are the prefix and 1..N", "p", "^[a-z]{1,8}$")}};
  add_raft_timing(properties);
  properties["ports"] =
      array_of(text("a port name", std::nullopt, "^[a-z][a-z0-9_-]{0,31}$"), "the member's ports, one number each", 1, 8);
  properties["api_port"] = text("the port the health check and every request go to (default: the first)");
  properties["command"] =
      array_of(json{{"type", "string"}}, "the program and its arguments, each a template", 1);
  properties["env"] = {{"type", "object"},
                       {"additionalProperties", {{"type", "string"}}},
                       {"description", "environment variables added to the member's, each a template"}};
  properties["peer"] = text("one member's entry in {peers}");
  properties["peer_separator"] = text("between the entries of {peers}", ",");
  properties["health"] = text("GET on the api port; ready when it answers 200", std::nullopt, "^/");
  properties["probe"] = text("GET that reachability probes send to the first port", std::nullopt, "^/\\S*$");
  properties["package"] = text("named in the error when command[0] is missing", "");
  properties["requests"] = requests;
  properties["not_done"] = array_of(not_done_rule, "answers that certainly did nothing: the client retries them");
  return {{"properties", properties}, {"required", json::array({"ports", "command", "health", "requests"})}};
}

}  // namespace

const TopologyKind& processes_topology_kind() {
  static const TopologyKind kind{"processes",
                                 {"members", "election_timeout_ms", "heartbeat_ms", "id_prefix", "ports", "api_port",
                                  "command", "env", "peer", "peer_separator", "health", "probe", "package", "requests",
                                  "not_done"},
                                 read_processes,
                                 processes_ids,
                                 write_processes,
                                 processes_schema};
  return kind;
}

}  // namespace faultline::plan
