// The topology section, read by the kind it names: each target kind has a
// reader of its own (topology_<kind>.cpp) that knows its fields, checks them
// and fills in their defaults, and says which member ids the kind has.
// Adding a target kind adds one file and one line in topology.cpp.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "drills/plan/model.hpp"
#include "drills/plan/reader.hpp"

namespace faultline::plan {

struct TopologyKind {
  std::string name;
  std::vector<std::string> fields;  // known fields besides "kind"
  // Reads the kind's fields into `t` (kind already set); records issues.
  void (*read)(ObjectReader& r, Topology& t, Issues& issues);
  MemberIds (*ids)(const Topology& t);
  // The section as the reader reads it back (every default written out).
  nlohmann::json (*write)(const Topology& t);
  // The kind's fields as JSON Schema, an object with `properties` (one per
  // field of `fields`, `kind` aside) and `required`, for the plan's schema
  // (schema.hpp; built with schema_build.hpp beside the reader). Null: the
  // schema names the fields and leaves their values open.
  nlohmann::json (*schema)() = nullptr;
};

const std::vector<TopologyKind>& topology_kinds();
const TopologyKind* find_topology_kind(const std::string& name);

// Reads `$.topology`; `ok` is false when it recorded an issue.
Topology read_topology(const nlohmann::json* value, const JsonPath& path, Issues& issues, bool& ok);

// Shared by kinds with Raft timing: `election_timeout_ms` [min, max] and a
// `heartbeat_ms` below its minimum.
void read_raft_timing(ObjectReader& r, Topology& t, Issues& issues);

// `election_timer`: how the members count their election timeout ("wall":
// the declared range on the wall clock; "ticks": in heartbeats as etcd does,
// raft::ElectionTimer). Kept in t.options only when the plan says it.
// "ticks" needs a timing of whole heartbeats with max >= min + one
// heartbeat. A kind that cannot count on the wall clock passes why_no_wall,
// the refusal of "wall". Call after read_raft_timing.
void read_election_timer(ObjectReader& r, Topology& t, Issues& issues, const std::string& why_no_wall = "");

// "c1".."cN" for prefix 'c'.
std::vector<std::string> numbered_ids(char prefix, int count);

// The kinds, each in its own file.
const TopologyKind& embedded_topology();
const TopologyKind& redis_sentinel_topology();
const TopologyKind& etcd_topology();
const TopologyKind& processes_topology_kind();  // processes_topology() is the typed view (processes.hpp)

}  // namespace faultline::plan
