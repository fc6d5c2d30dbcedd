#include "drills/plan/topology.hpp"

#include "cluster/raft/types.hpp"
#include "drills/plan/suggest.hpp"

namespace faultline::plan {

using nlohmann::json;

const std::vector<TopologyKind>& topology_kinds() {
  static const std::vector<TopologyKind> kinds{embedded_topology(), redis_sentinel_topology(), etcd_topology(),
                                               processes_topology_kind()};
  return kinds;
}

const TopologyKind* find_topology_kind(const std::string& name) {
  for (const auto& k : topology_kinds()) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

MemberIds member_ids(const Topology& topology) {
  const TopologyKind* kind = find_topology_kind(topology.kind);
  return kind ? kind->ids(topology) : MemberIds{};
}

std::vector<std::string> numbered_ids(char prefix, int count) {
  std::vector<std::string> ids;
  for (int i = 1; i <= count; ++i) ids.push_back(std::string(1, prefix) + std::to_string(i));
  return ids;
}

Topology read_topology(const json* value, const JsonPath& path, Issues& issues, bool& ok) {
  Topology t;
  const std::size_t before = issues.size();
  ok = false;
  if (value == nullptr) return t;
  std::vector<std::string> names;
  for (const auto& k : topology_kinds()) names.push_back(k.name);
  const TopologyKind* kind = nullptr;
  if (value->is_object() && value->contains("kind")) {
    if (auto name = read_string((*value)["kind"], child(path, "kind"), issues)) {
      kind = find_topology_kind(*name);
      t.kind = *name;
      if (kind == nullptr) {
        std::string message = "unknown topology kind " + show_text(*name);
        if (auto near = closest_match(*name, names)) message += "; did you mean " + show_text(*near) + "?";
        issues.push_back({child(path, "kind"), message + "; allowed: " + join(names)});
      }
    }
  }
  std::vector<std::string> known{"kind"};
  if (kind != nullptr) {
    known.insert(known.end(), kind->fields.begin(), kind->fields.end());
  } else if (value->is_object()) {
    for (const auto& [key, member] : value->items()) known.push_back(key);
  }
  ObjectReader r(*value, path, issues, known);
  if (!r.is_object()) return t;
  r.member("kind", Need::required);
  if (kind != nullptr) kind->read(r, t, issues);
  ok = kind != nullptr && issues.size() == before;
  return t;
}

void read_raft_timing(ObjectReader& r, Topology& t, Issues& issues) {
  constexpr IntRule kPositive{1, std::numeric_limits<std::int64_t>::max()};
  std::int64_t election_min = t.election_timeout_min_ms;  // 0: unknown (invalid range)
  if (const json* range = r.member("election_timeout_ms")) {
    const JsonPath path = r.path_of("election_timeout_ms");
    election_min = 0;
    if (!range->is_array() || range->size() != 2) {
      issues.push_back(
          {path, "expected an array of two integers [min, max], found " +
                     (range->is_array() ? "an array of " + std::to_string(range->size()) + " elements"
                                        : describe(*range))});
    } else {
      const auto lo = read_integer((*range)[0], child(path, std::size_t{0}), kPositive, issues);
      const auto hi = read_integer((*range)[1], child(path, std::size_t{1}), kPositive, issues);
      election_min = lo.value_or(0);
      if (lo && hi && *lo > *hi) {
        issues.push_back({path, "minimum " + std::to_string(*lo) + " must not exceed maximum " + std::to_string(*hi)});
      } else if (lo && hi) {
        t.election_timeout_min_ms = *lo;
        t.election_timeout_max_ms = *hi;
      }
    }
  }
  const Field<std::int64_t> heartbeat = r.integer("heartbeat_ms", kPositive, 50);
  if (heartbeat.value) {
    t.heartbeat_ms = *heartbeat.value;
    if (election_min > 0 && *heartbeat.value >= election_min) {
      issues.push_back({r.path_of("heartbeat_ms"), "must be less than the election timeout minimum (" +
                                                       std::to_string(election_min) + " ms), got " +
                                                       std::to_string(*heartbeat.value)});
    }
  }
}

void read_election_timer(ObjectReader& r, Topology& t, Issues& issues, const std::string& why_no_wall) {
  const auto v = r.string("election_timer", std::nullopt).value;
  if (!v) return;
  const JsonPath path = r.path_of("election_timer");
  if (*v != "wall" && *v != "ticks") {
    issues.push_back({path, "expected one of wall, ticks, found " + show_text(*v)});
    return;
  }
  if (*v == "wall" && !why_no_wall.empty()) {
    issues.push_back({path, why_no_wall});
    return;
  }
  const std::int64_t hb = t.heartbeat_ms, lo = t.election_timeout_min_ms, hi = t.election_timeout_max_ms;
  if (*v == "ticks" && !raft::ticks_timing_ok(lo, hi, hb)) {
    issues.push_back({path, "\"ticks\" draws a whole number of heartbeats from [min, max): election_timeout_ms [" +
                                std::to_string(lo) + ", " + std::to_string(hi) + "] must be multiples of heartbeat_ms (" +
                                std::to_string(hb) + ") with max >= min + " + std::to_string(hb)});
    return;
  }
  t.options["election_timer"] = *v;
}

}  // namespace faultline::plan
