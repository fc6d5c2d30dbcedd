// The plans' JSON Schema: docs/plan.schema.json is what the code generates,
// every library plan matches it, each section names exactly the fields its
// reader knows (read back from the reader's own "known fields" message),
// and it refuses what editors should flag.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "chaos/faults/spec.hpp"
#include "drills/plan/plan.hpp"
#include "drills/plan/probes.hpp"
#include "drills/plan/schema.hpp"
#include "drills/plan/topology.hpp"
#include "tests/plan/plan_test_util.hpp"
#include "tests/plan/schema_check.hpp"

namespace faultline::plan {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const fs::path kSource(FAULTLINE_SOURCE_DIR);

std::string read(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

const testing::SchemaCheck& checker() {
  static const testing::SchemaCheck check(plan_schema());
  return check;
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += s + "\n";
  return out;
}

TEST(PlanSchema, CheckedInFileIsTheGeneratedOne) {
  EXPECT_EQ(read(kSource / "docs/plan.schema.json"), plan_schema_text())
      << "regenerate docs/plan.schema.json with scripts/update-plan-schema.sh";
}

TEST(PlanSchema, IsDraft202012WithEveryKindOfTheCatalogues) {
  const json s = plan_schema();
  EXPECT_EQ(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
  for (const auto& k : faults::catalogue()) EXPECT_TRUE(s["$defs"].contains("fault." + k.name)) << k.name;
  for (const auto& k : probe_kinds()) EXPECT_TRUE(s["$defs"].contains("probe." + k.name)) << k.name;
  for (const auto& k : topology_kinds()) {
    EXPECT_TRUE(s["$defs"].contains("topology." + k.name)) << k.name;
    EXPECT_NE(k.schema, nullptr) << "topology kind " << k.name << " declares no schema for its fields";
  }
}

TEST(PlanSchema, EveryLibraryPlanMatchesIt) {
  int plans = 0;
  for (const auto& e : fs::directory_iterator(kSource / "drills/library")) {
    if (e.path().extension() != ".json") continue;
    ++plans;
    EXPECT_EQ(joined(checker().errors(json::parse(read(e.path())))), "") << e.path();
  }
  EXPECT_GE(plans, 14);
}

// The validator's "unknown field ...; known fields: a, b" message for an
// unknown member added at `at`: the fields its reader knows there.
std::set<std::string> reader_fields(json doc, const json::json_pointer& at) {
  doc[at]["zzzzzzzzzzzzzz"] = 1;
  const LoadResult r = parse_plan(doc.dump(2), "p.json");
  const std::string marker = "unknown field \"zzzzzzzzzzzzzz\"; known fields: ";
  for (const PlanError& e : r.errors) {
    const auto found = e.message.find(marker);
    if (found == std::string::npos) continue;
    std::set<std::string> out;
    std::stringstream list(e.message.substr(found + marker.size()));
    for (std::string field; std::getline(list, field, ',');) {
      out.insert(field.substr(field.find_first_not_of(' ')));
    }
    return out;
  }
  ADD_FAILURE() << "no unknown-field message at " << at.to_string() << ":\n" << testing::joined(r);
  return {};
}

std::set<std::string> schema_fields(const json& def) {
  std::set<std::string> out;
  for (const auto& [key, unused] : def.at("properties").items()) out.insert(key);
  return out;
}

TEST(PlanSchema, EverySectionNamesTheFieldsItsReaderKnows) {
  const json s = plan_schema();
  const json& defs = s["$defs"];
  json base = json::parse(testing::kBase);
  EXPECT_EQ(reader_fields(base, json::json_pointer("")), schema_fields(s));
  EXPECT_EQ(reader_fields(base, json::json_pointer("/workload")), schema_fields(defs["workload"]));
  base["steady_state"] = json::object();
  EXPECT_EQ(reader_fields(base, json::json_pointer("/steady_state")), schema_fields(defs["steady_state"]));
  EXPECT_EQ(reader_fields(base, json::json_pointer("/objectives")), schema_fields(defs["objectives"]));
  base["objectives"]["rto_ms"] = json{{"p50", 1}};
  EXPECT_EQ(reader_fields(base, json::json_pointer("/objectives/rto_ms")),
            schema_fields(defs["objectives"]["properties"]["rto_ms"]["anyOf"][1]));
  base["expect"] = json{{"fail", {"rto_ms"}}};
  EXPECT_EQ(reader_fields(base, json::json_pointer("/expect")), schema_fields(s["properties"]["expect"]["anyOf"][0]));
  base.erase("expect");
  base["steady_state"]["probes"] = json::array({json{{"name", "p"}, {"kind", "raft"}}});
  base["halt"] = json::array({json{{"probe", "p"}}});
  EXPECT_EQ(reader_fields(base, json::json_pointer("/halt/0")), schema_fields(defs["halt"]));
  for (const std::string action : {"heal_all", "restart", "command"}) {
    json doc = base;
    doc["rollbacks"] = json::array({json{{"action", action}}});
    EXPECT_EQ(reader_fields(doc, json::json_pointer("/rollbacks/0")), schema_fields(defs["rollback." + action]))
        << action;
  }
  for (const TopologyKind& k : topology_kinds()) {
    json doc = base;
    doc["topology"] = json{{"kind", k.name}};
    EXPECT_EQ(reader_fields(doc, json::json_pointer("/topology")), schema_fields(defs["topology." + k.name]))
        << k.name;
  }
  for (const auto& k : faults::catalogue()) {
    json doc = base;
    doc["faults"] = json::array({json{{"kind", k.name}}});
    EXPECT_EQ(reader_fields(doc, json::json_pointer("/faults/0")), schema_fields(defs["fault." + k.name])) << k.name;
  }
  for (const auto& k : probe_kinds()) {
    json doc = base;
    doc["steady_state"]["probes"] = json::array({json{{"name", "p"}, {"kind", k.name}}});
    EXPECT_EQ(reader_fields(doc, json::json_pointer("/steady_state/probes/0")), schema_fields(defs["probe." + k.name]))
        << k.name;
  }
}

TEST(PlanSchema, RefusesWhatAnEditorShouldFlag) {
  const json base = json::parse(testing::kBase);
  auto refused = [&](const std::string& pointer, const json& value) {
    json doc = base;
    doc[json::json_pointer(pointer)] = value;
    return !checker().errors(doc).empty();
  };
  EXPECT_TRUE(checker().errors(base).empty()) << joined(checker().errors(base));
  EXPECT_TRUE(refused("/zzz", 1));
  EXPECT_TRUE(refused("/name", "Not A Name"));
  EXPECT_TRUE(refused("/topology/kind", "k8s"));
  EXPECT_TRUE(refused("/topology/coordinators", 10));
  EXPECT_TRUE(refused("/topology/members", 3));  // an etcd field on the embedded kind
  EXPECT_TRUE(refused("/topology/election_timeout_ms", json::array({300})));
  EXPECT_TRUE(refused("/workload/duration_ms", "8s"));
  EXPECT_TRUE(refused("/faults/0/kind", "explode"));
  EXPECT_TRUE(refused("/faults/0/delay_ms", 200));  // a latency parameter on a kill
  EXPECT_TRUE(refused("/faults/0/resume_after_ms", 200));  // pause's alias on a kill
  EXPECT_TRUE(refused("/objectives/rto_ms", json::object()));
  EXPECT_TRUE(refused("/objectives/min_success_rate", 1.5));
  EXPECT_TRUE(refused("/steady_state/probes", json::parse(R"([{"name": "p", "kind": "raft", "check": "max_term"}])")));
  EXPECT_TRUE(refused("/rollbacks", json::parse(R"([{"action": "command"}])")));
  EXPECT_FALSE(refused("/$schema", "../../docs/plan.schema.json"));
  EXPECT_FALSE(refused("/expect", nullptr));
  EXPECT_FALSE(refused("/objectives/rto_ms", json{{"p50", 500}, {"max", 1500}}));
  EXPECT_FALSE(refused("/steady_state/probes", json::parse(R"([{"name": "p", "kind": "raft", "check": "max_term", "value": 9}])")));
}

TEST(PlanSchema, ValidatorAcceptsTheSchemaPointer) {
  const std::string text =
      testing::with(testing::kBase, "{\n  \"name\"", "{\n  \"$schema\": \"../../docs/plan.schema.json\",\n  \"name\"");
  const LoadResult r = parse_plan(text, "p.json");
  EXPECT_TRUE(r.plan) << testing::joined(r);
  EXPECT_TRUE(parse_plan(testing::with(testing::kBase, "{\n  \"name\"", "{\n  \"$schema\": 5,\n  \"name\""), "p.json")
                  .errors.size() == 1);
}

}  // namespace
}  // namespace faultline::plan
