// Helpers shared by the plan tests.
#pragma once

#include <stdexcept>
#include <string>

#include "drills/plan/plan.hpp"

namespace faultline::plan::testing {

// A small valid plan, one section a line, so tests can name lines.
inline const std::string kBase = R"({
  "name": "t",
  "topology": { "kind": "embedded", "coordinators": 3 },
  "workload": { "duration_ms": 8000 },
  "faults": [
    { "kind": "kill", "target": "leader", "at_ms": 2500 }
  ],
  "objectives": { "rto_ms": 3000 }
})";

// `text` with the first `from` replaced by `to`; throws when `from` is absent
// so that a typo in a test fails loudly instead of testing the base plan.
inline std::string with(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::logic_error("test text lacks: " + from);
  return text.replace(at, from.size(), to);
}

inline std::string joined(const LoadResult& r) {
  std::string out;
  for (const PlanError& e : r.errors) out += e.to_string() + "\n";
  return out;
}

}  // namespace faultline::plan::testing
