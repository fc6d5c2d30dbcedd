// Mutations of plan documents, shared by the property tests (random plans,
// random mutations) and the malformed-plan corpus (every library plan,
// every mutation of each class, deterministic).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace faultline::plan::testing {

// Every path in a document (objects and arrays), root first; at most 10,000.
std::vector<nlohmann::json::json_pointer> all_pointers(const nlohmann::json& doc);

// Values of every type and at every edge: null, booleans, 0, -1, huge and
// tiny numbers, empty and odd strings, empty and odd containers.
const std::vector<nlohmann::json>& odd_values();

// A value of another JSON type than `v` (a string for a number, an array
// for an object...).
nlohmann::json other_type(const nlohmann::json& v);

// One malformed (or maybe-malformed) plan of the corpus.
struct Mutant {
  std::string label;   // "leader-kill.json: delete /faults/0/at_ms"
  std::string cls;     // delete, type, odd, unknown, truncate, duplicate, section
  std::string text;
  // True when validation must refuse it: every class but `delete` and
  // `odd` (whose field may be optional, or whose value may be allowed).
  bool invalid = true;
  // True when the schema must refuse it too: wrong types and unknown
  // fields, outside the places that take any JSON (request bodies, `equals`).
  bool schema_refuses = false;
};

// Every mutant of one plan, in a fixed order: each field deleted, each
// value of another type, odd values at each leaf, an unknown field in
// each object, the text cut at 24 places, each object's first key
// duplicated, and bad steady-state probes, halts, rollbacks and expect.
std::vector<Mutant> plan_mutants(const std::string& label, const std::string& text);

// True for a place whose value may be any JSON (a request body, a probe's
// `equals`), where a wrong type is no error.
bool free_form(const nlohmann::json::json_pointer& at);

}  // namespace faultline::plan::testing
