// Properties of the plan format over random input: valid plans survive a
// to_json/parse round trip unchanged and match the plans' JSON Schema, and
// no mutation of a plan, textual or structural (of a random plan or of a
// library plan), makes parsing throw or crash; whatever validation accepts,
// the schema accepts too. The deterministic corpus of mutated library plans
// is plan_corpus_test.cpp.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "drills/plan/plan.hpp"
#include "drills/plan/schema.hpp"
#include "tests/plan/mutations.hpp"
#include "tests/plan/plan_generators.hpp"
#include "tests/plan/schema_check.hpp"

namespace faultline::plan {
namespace {

using nlohmann::json;
using testing::all_pointers;
using testing::odd_values;

const testing::SchemaCheck& schema() {
  static const testing::SchemaCheck check(plan_schema());
  return check;
}

// A plan that validation accepts must match the schema: an editor never
// flags a plan faultline would run.
void check_schema_accepts(const LoadResult& r, const std::string& text) {
  if (!r.plan) return;
  const auto problems = schema().errors(json::parse(text));
  for (const auto& p : problems) RC_LOG() << p << "\n";
  RC_ASSERT(problems.empty());
}

std::vector<std::string> library_texts() {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(std::string(FAULTLINE_SOURCE_DIR) + "/drills/library")) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> texts;
  for (const auto& f : files) {
    std::ifstream in(f);
    std::stringstream buffer;
    buffer << in.rdbuf();
    texts.push_back(buffer.str());
  }
  return texts;
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

RC_GTEST_PROP(PlanProperty, ToJsonRoundTrips, ()) {
  const Plan p = *valid_plan();
  const std::string text = to_json(p).dump(*rc::gen::element(-1, 2));
  const LoadResult r = parse_plan(text, "gen.json");
  RC_ASSERT(r.errors.empty());
  RC_ASSERT(r.plan.has_value());
  RC_ASSERT(*r.plan == p);
  check_schema_accepts(r, text);
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

// One to three structural edits of `doc`: an odd value, a deleted member or
// an unknown field; `wide` adds type changes and unknown fields named like
// real ones (for the library plans).
void mutate_structure(json& doc, bool wide) {
  const int edits = *rc::gen::inRange(1, 4);
  for (int i = 0; i < edits; ++i) {
    const std::vector<json::json_pointer> pointers = all_pointers(doc);
    const json::json_pointer at = *rc::gen::elementOf(pointers);
    const int edit = *rc::gen::inRange(0, wide ? 4 : 3);
    if (edit == 0) {
      doc[at] = *rc::gen::elementOf(odd_values());
    } else if (edit == 1) {
      if (at.empty()) continue;
      json& parent = doc[at.parent_pointer()];
      if (parent.is_array()) {
        parent.erase(std::stoul(at.back()));
      } else {
        parent.erase(at.back());
      }
    } else if (wide && edit == 2) {
      doc[at] = testing::other_type(doc[at]);
    } else if (doc[at].is_object()) {
      doc[at][wide ? *rc::gen::element<std::string>("surprise", "kind", "when", "probes") : "surprise"] = 1;
    }
  }
}

void check_mutant(const json& doc, const std::string& file) {
  const std::string text = doc.dump(*rc::gen::element(-1, 2));
  const LoadResult r = parse_plan(text, file);
  RC_CLASSIFY(r.plan.has_value(), "mutation left a valid plan");
  check_well_formed(r, text);
  check_schema_accepts(r, text);
}

RC_GTEST_PROP(PlanProperty, StructuralMutationsNeverCrash, ()) {
  json doc = to_json(*valid_plan());
  mutate_structure(doc, false);
  check_mutant(doc, "mutated.json");
}

RC_GTEST_PROP(PlanProperty, LibraryPlanMutationsNeverCrash, ()) {
  static const std::vector<std::string> texts = library_texts();
  RC_PRE(!texts.empty());
  json doc = json::parse(*rc::gen::elementOf(texts));
  mutate_structure(doc, true);
  check_mutant(doc, "library-mutated.json");
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
