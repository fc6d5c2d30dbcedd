// A small JSON Schema (draft 2020-12) validator for the tests: the subset
// docs/plan.schema.json uses, and nothing else. A keyword it does not know
// is an error (std::invalid_argument), never silently ignored, so the
// generator cannot start using one these tests would pass over.
//
// Assertions: type, enum, const, properties, required, additionalProperties,
// items, prefixItems, minItems, maxItems, minProperties, minimum, maximum,
// exclusiveMinimum, minLength, pattern, allOf, anyOf, oneOf, not,
// if/then/else, $ref (to "#/$defs/NAME"). Annotations: $schema, title,
// description, default, examples, $defs.
//
// Thread-safety: a SchemaCheck is immutable after construction; compiled
// patterns are cached per thread.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace faultline::plan::testing {

class SchemaCheck {
 public:
  explicit SchemaCheck(nlohmann::json schema) : root_(std::move(schema)) {}

  // Every violation, each "INSTANCE-PATH: what"; empty when `doc` is valid.
  std::vector<std::string> errors(const nlohmann::json& doc) const;

 private:
  void check(const nlohmann::json& schema, const nlohmann::json& doc, const std::string& where,
             std::vector<std::string>& out, int depth) const;
  const nlohmann::json& resolve(const std::string& ref) const;

  nlohmann::json root_;
};

}  // namespace faultline::plan::testing
