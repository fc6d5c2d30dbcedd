// The `processes` topology, typed: members the user declares by their
// command line, ports and HTTP requests, so that any HTTP service can be
// drilled with the same plans and checks (docs/targets.md has the schema
// and an example, docs/plan.md the rules). topology_processes.cpp validates
// the plan's fields and stores them, defaults filled in, in
// Topology::options; processes_topology() reads them back.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "drills/plan/json_path.hpp"
#include "drills/plan/model.hpp"

namespace faultline::plan {

// One HTTP request, sent to a member's api port.
struct ProcessRequest {
  std::string method = "GET";
  std::string path;  // template, from '/'
  // A template text, or a JSON value whose strings are templates (rendered,
  // then serialized); null: no body.
  nlohmann::json body;
};

struct ProcessRead : ProcessRequest {
  JsonPath value;                 // where the value is in a 200 answer; absent there: no such key
  std::string encoding = "text";  // text | base64
};

// A member's report of itself. `leader` names the leader either by member
// id (p1..) or by the value another member gives at `self`.
struct ProcessStatus : ProcessRequest {
  JsonPath term;
  JsonPath leader;
  std::optional<JsonPath> self;
  std::optional<JsonPath> role;  // absent: leader when the leader is this member, else follower
  std::optional<JsonPath> commit_index;
  std::optional<JsonPath> applied_index;
  // "last_applied": `term` is the term of the member's last applied entry
  // (etcd 3.4's raftTerm), not its current one: a claim to lead counts from
  // its first report of a newer term (drills/targets/applied_term.hpp).
  std::string term_of = "current";
};

// An answer that certainly did nothing: its HTTP status (when given) and a
// text its body holds (when given) both match.
struct NotDoneRule {
  std::optional<int> status;
  std::string contains;
};

struct ProcessesTopology {
  std::string id_prefix = "p";
  std::vector<std::string> ports;  // names; the first is what reachability probes connect to
  std::string api_port;            // the port every request goes to
  std::vector<std::string> command;
  std::map<std::string, std::string> env;
  std::string peer;  // one member's entry in {peers}
  std::string peer_separator = ",";
  std::string health;   // path of a GET that answers 200 when the member is ready
  // Path of the GET that reachability and round-trip probes send to the
  // first port (an HTTP request line); it should be answered locally.
  std::string probe;
  std::string package;  // names the package to install when the program is missing
  ProcessRequest write;
  ProcessRead read;
  std::optional<ProcessStatus> status;
  std::vector<NotDoneRule> not_done;
};

// Reads back what the reader stored; only for a validated plan's topology
// of kind "processes".
ProcessesTopology processes_topology(const Topology& topology);

// The placeholders of each template, for the reader and the docs. The
// write and read requests are the clients', sent to whichever member the
// client rule picks, so they name only the operation's key and value.
std::vector<std::string> member_placeholders();   // peer, health, status
std::vector<std::string> command_placeholders();  // command and env: the member's and {peers}
std::vector<std::string> write_placeholders();    // key, value, key_base64, value_base64
std::vector<std::string> read_placeholders();     // key, key_base64

}  // namespace faultline::plan
