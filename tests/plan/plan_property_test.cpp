// Properties of the plan format over random input: valid plans survive a
// to_json/parse round trip unchanged, and no mutation of a plan, textual or
// structural, makes parsing throw or crash.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>

#include "chaos/faults/spec.hpp"
#include "chaos/faults/selector.hpp"
#include "drills/plan/plan.hpp"

namespace faultline::plan {
namespace {

using nlohmann::json;

std::string random_selector(const std::vector<std::string>& voters, const std::vector<std::string>& workers) {
  std::vector<std::string> all = faults::role_selectors();
  all.insert(all.end(), voters.begin(), voters.end());
  if (!workers.empty()) {
    all.push_back("worker");
    all.push_back("workers");
    all.insert(all.end(), workers.begin(), workers.end());
  }
  return all[*rc::gen::inRange<std::size_t>(0, all.size())];
}

// A valid value of `p` as the validator writes it back (numbers as parsed).
json random_param(const faults::ParamSpec& p, const std::vector<std::string>& voters,
                  const std::vector<std::string>& workers) {
  using faults::ParamType;
  switch (p.type) {
    case ParamType::integer:
      return *rc::gen::inRange<std::int64_t>(static_cast<std::int64_t>(p.min),
                                             static_cast<std::int64_t>(std::min(p.max, 1e9)) + 1);
    case ParamType::number:
      return p.min + (std::min(p.max, 1e6) - p.min) * (*rc::gen::inRange(0, 1001) / 1000.0);
    case ParamType::boolean:
      return *rc::gen::arbitrary<bool>();
    case ParamType::choice:
      return p.choices[*rc::gen::inRange<std::size_t>(0, p.choices.size())];
    case ParamType::selector:
      return random_selector(voters, workers);
    case ParamType::groups: {
      // Every member in one of two groups, each group non-empty.
      const std::size_t split = *rc::gen::inRange<std::size_t>(1, std::max<std::size_t>(2, voters.size()));
      json groups = json::array({json::array(), json::array()});
      for (std::size_t i = 0; i < voters.size(); ++i) groups[i < split ? 0 : 1].push_back(voters[i]);
      if (groups[1].empty()) groups[1].push_back(voters.front() == "c1" && voters.size() == 1 ? "c1" : voters.back());
      return groups;
    }
  }
  return nullptr;
}

FaultSpec random_fault(const std::vector<std::string>& voters, const std::vector<std::string>& workers,
                       std::int64_t duration_ms) {
  const auto& kinds = faults::catalogue();
  const faults::KindSpec& kind = kinds[*rc::gen::inRange<std::size_t>(0, kinds.size())];
  FaultSpec f;
  f.kind = kind.name;
  // A voters-only kind (disk, power_loss) is never aimed at workers.
  f.target = random_selector(voters, kind.voters_only ? std::vector<std::string>{} : workers);
  f.at_ms = *rc::gen::inRange<std::int64_t>(0, duration_ms);
  if (*rc::gen::arbitrary<bool>()) f.heal_after_ms = *rc::gen::inRange<std::int64_t>(0, 100'000);
  // Parameters that others depend on first (as the validator reads them).
  for (const bool dependent : {false, true}) {
    for (const faults::ParamSpec& p : kind.params) {
      if (p.when_param.empty() == dependent) continue;
      if (!p.when_param.empty()) {
        const auto it = f.params.find(p.when_param);
        if (it == f.params.end() ||
            std::find(p.when_values.begin(), p.when_values.end(), it->get<std::string>()) == p.when_values.end()) {
          continue;
        }
      }
      if (p.type == faults::ParamType::groups && voters.size() < 2) {
        continue;  // no two groups of distinct members exist
      }
      if (p.required || !p.fallback || *rc::gen::arbitrary<bool>()) {
        f.params[p.name] = random_param(p, voters, workers);
      } else {
        f.params[p.name] = *p.fallback;
      }
    }
  }
  return f;
}

rc::Gen<Plan> valid_plan() {
  return rc::gen::exec([] {
    Plan p;
    const std::string first = "abcdefghijklmnopqrstuvwxyz0123456789";
    const std::string rest = first + "-_.";
    const auto tail = *rc::gen::container<std::vector<std::size_t>>(
        *rc::gen::inRange<std::size_t>(0, 20), rc::gen::inRange<std::size_t>(0, rest.size()));
    p.name = first[*rc::gen::inRange<std::size_t>(0, first.size())];
    for (const std::size_t i : tail) p.name += rest[i];
    p.description = *rc::gen::container<std::string>(rc::gen::inRange<char>(1, 127));
    if (*rc::gen::arbitrary<bool>()) p.seed = *rc::gen::arbitrary<std::uint64_t>();

    Topology& t = p.topology;
    t.coordinators = *rc::gen::inRange(1, 10);
    t.election_timeout_min_ms = *rc::gen::inRange<std::int64_t>(2, 2000);
    t.election_timeout_max_ms =
        t.election_timeout_min_ms + *rc::gen::inRange<std::int64_t>(0, 2000);
    t.heartbeat_ms = *rc::gen::inRange<std::int64_t>(1, t.election_timeout_min_ms);
    t.stale_reads = *rc::gen::arbitrary<bool>();
    t.workers = *rc::gen::inRange(0, 17);
    t.worker_timeout_ms = *rc::gen::inRange<std::int64_t>(10, 60'001);

    Workload& w = p.workload;
    w.clients = *rc::gen::inRange(1, 65);
    w.rate_per_s = *rc::gen::inRange(1, 100000) / 8.0;
    w.max_ops = *rc::gen::inRange<std::int64_t>(1, 10'000'001);
    w.duration_ms = *rc::gen::inRange<std::int64_t>(1, 3'600'001);
    w.keys = *rc::gen::inRange<std::int64_t>(0, 1'000'000);
    w.op_timeout_ms = *rc::gen::inRange<std::int64_t>(1, 100'000);
    w.read_ratio = *rc::gen::inRange(0, 1001) / 1000.0;
    if (t.workers > 0) w.sessions = *rc::gen::inRange<std::int64_t>(0, 100'001);
    w.call_ratio = *rc::gen::inRange(0, 1001) / 1000.0;

    p.steady_state.stability_window_ms = *rc::gen::inRange<std::int64_t>(1, 100'000);
    p.steady_state.max_latency_ms = *rc::gen::inRange<std::int64_t>(1, 100'000);

    std::vector<std::string> voters, workers;
    for (int i = 0; i < t.coordinators; ++i) voters.push_back(member_id(i));
    for (int i = 0; i < t.workers; ++i) workers.push_back("w" + std::to_string(i + 1));
    const int faults = *rc::gen::inRange(0, 5);
    for (int i = 0; i < faults; ++i) p.faults.push_back(random_fault(voters, workers, w.duration_ms));
    if (*rc::gen::arbitrary<bool>()) p.objectives.rto_ms = *rc::gen::inRange(0, 100000) / 4.0;
    if (*rc::gen::arbitrary<bool>()) {
      p.objectives.rpo_writes = *rc::gen::inRange<std::int64_t>(0, 1000);
    }
    p.objectives.linearizable = *rc::gen::arbitrary<bool>();
    if (*rc::gen::arbitrary<bool>()) {
      p.objectives.leader_election_ms = *rc::gen::inRange(0, 100000) / 4.0;
    }
    if (*rc::gen::arbitrary<bool>()) {
      p.objectives.max_elections = *rc::gen::inRange<std::int64_t>(0, 1000);
    }
    if (*rc::gen::arbitrary<bool>()) p.objectives.rto_from_heal_ms = *rc::gen::inRange(0, 100000) / 4.0;
    if (*rc::gen::arbitrary<bool>()) p.objectives.failover_ms = *rc::gen::inRange(0, 100000) / 4.0;
    if (*rc::gen::arbitrary<bool>()) p.objectives.calls_lost = *rc::gen::inRange<std::int64_t>(0, 1000);
    if (*rc::gen::arbitrary<bool>()) {
      p.objectives.sessions_moved_without_cause = *rc::gen::inRange<std::int64_t>(0, 1000);
    }
    if (*rc::gen::arbitrary<bool>()) p.objectives.min_lost_writes = *rc::gen::inRange<std::int64_t>(1, 1000);
    return p;
  });
}

// Whatever the input, a result is either a plan or a list of errors, and
// every error is printable with a line inside the text.
void check_well_formed(const LoadResult& r, const std::string& text) {
  RC_ASSERT(r.plan.has_value() == r.errors.empty());
  const auto lines = static_cast<int>(std::count(text.begin(), text.end(), '\n')) + 1;
  for (const PlanError& e : r.errors) {
    RC_ASSERT(e.line >= 0);
    RC_ASSERT(e.line <= lines);
    RC_ASSERT(!e.message.empty());
    RC_ASSERT(e.path.empty() || e.path[0] == '$');
    RC_ASSERT(!e.to_string().empty());
  }
}

// Every path in a document (objects and arrays), root first.
std::vector<json::json_pointer> all_pointers(const json& doc) {
  std::vector<json::json_pointer> out{json::json_pointer()};
  for (std::size_t i = 0; i < out.size() && i < 10'000; ++i) {
    const json& node = doc.at(out[i]);
    if (node.is_object()) {
      for (const auto& [key, unused] : node.items()) out.push_back(out[i] / key);
    } else if (node.is_array()) {
      for (std::size_t k = 0; k < node.size(); ++k) out.push_back(out[i] / k);
    }
  }
  return out;
}

const std::vector<json>& odd_values() {
  static const std::vector<json> values = {nullptr,
                                           true,
                                           false,
                                           -1,
                                           0,
                                           1,
                                           2.5,
                                           -0.0,
                                           1e300,
                                           "",
                                           "x",
                                           "leader",
                                           "c9",
                                           "kill",
                                           json::array(),
                                           json::object(),
                                           json::array({1, 2}),
                                           json::array({600, 300}),
                                           std::numeric_limits<std::uint64_t>::max(),
                                           std::numeric_limits<std::int64_t>::min(),
                                           json::object({{"kind", "kill"}})};
  return values;
}

RC_GTEST_PROP(PlanProperty, ToJsonRoundTrips, ()) {
  const Plan p = *valid_plan();
  const std::string text = to_json(p).dump(*rc::gen::element(-1, 2));
  const LoadResult r = parse_plan(text, "gen.json");
  RC_ASSERT(r.errors.empty());
  RC_ASSERT(r.plan.has_value());
  RC_ASSERT(*r.plan == p);
}

RC_GTEST_PROP(PlanProperty, TextMutationsNeverCrash, ()) {
  std::string text = to_json(*valid_plan()).dump(2);
  const int edits = *rc::gen::inRange(1, 6);
  for (int i = 0; i < edits && !text.empty(); ++i) {
    const std::size_t at = *rc::gen::inRange<std::size_t>(0, text.size());
    switch (*rc::gen::inRange(0, 3)) {
      case 0:
        text.erase(at, *rc::gen::inRange<std::size_t>(1, 8));
        break;
      case 1:
        text.insert(at, 1,
                    *rc::gen::element('{', '}', '[', ']', '"', ',', ':', '\\', '-', '1', 'x', '\n',
                                      '\xff'));
        break;
      default:
        text[at] = *rc::gen::arbitrary<char>();
        break;
    }
  }
  const LoadResult r = parse_plan(text, "mutated.json");
  RC_CLASSIFY(r.plan.has_value(), "mutation left a valid plan");
  check_well_formed(r, text);
}

RC_GTEST_PROP(PlanProperty, StructuralMutationsNeverCrash, ()) {
  json doc = to_json(*valid_plan());
  const int edits = *rc::gen::inRange(1, 4);
  for (int i = 0; i < edits; ++i) {
    const std::vector<json::json_pointer> pointers = all_pointers(doc);
    const json::json_pointer at = *rc::gen::elementOf(pointers);
    switch (*rc::gen::inRange(0, 3)) {
      case 0:
        doc[at] = *rc::gen::elementOf(odd_values());
        break;
      case 1:
        if (!at.empty()) {
          json& parent = doc[at.parent_pointer()];
          if (parent.is_array()) {
            parent.erase(std::stoul(at.back()));
          } else {
            parent.erase(at.back());
          }
        }
        break;
      default:
        if (doc[at].is_object()) doc[at]["surprise"] = 1;
        break;
    }
  }
  const std::string text = doc.dump(*rc::gen::element(-1, 2));
  const LoadResult r = parse_plan(text, "mutated.json");
  RC_CLASSIFY(r.plan.has_value(), "mutation left a valid plan");
  check_well_formed(r, text);
}

RC_GTEST_PROP(PlanProperty, RandomOverridesNeverCrash, ()) {
  const std::string text = to_json(*valid_plan()).dump(2);
  const auto overrides = *rc::gen::container<std::vector<std::string>>(
      *rc::gen::inRange<std::size_t>(0, 4),
      rc::gen::oneOf(rc::gen::arbitrary<std::string>(),
                     rc::gen::element<std::string>("faults[0].at_ms=-1", "faults[9]=1",
                                                   "workload.clients=\"x\"", "objectives=[]",
                                                   "topology.coordinators=1", "name=Bad Name",
                                                   "faults[0]=null", "=", "a[99999999]=1")));
  check_well_formed(parse_plan(text, "p.json", overrides), text);
}

}  // namespace
}  // namespace faultline::plan
