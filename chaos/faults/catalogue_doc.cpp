// The catalogue as Markdown, for `faultline fault kinds --markdown` and for
// docs/faults.md, which a test keeps equal to it.
#include <sstream>

#include "chaos/faults/spec.hpp"

namespace faultline::faults {

std::string param_type_text(const ParamSpec& p) {
  switch (p.type) {
    case ParamType::integer:
      return "integer";
    case ParamType::number:
      return "number";
    case ParamType::boolean:
      return "boolean";
    case ParamType::choice: {
      std::string text;
      for (const auto& c : p.choices) text += (text.empty() ? "" : " \\| ") + ("`" + c + "`");
      return text;
    }
    case ParamType::selector:
      return "target selector";
    case ParamType::groups:
      return "array of arrays of member ids";
    case ParamType::text:
      return "string";
    case ParamType::text_list:
      return "array of strings";
    case ParamType::object:
      return "object";
    case ParamType::any:
      return "any JSON value";
  }
  return "?";
}

namespace {

std::string range_text(const ParamSpec& p) {
  if (p.type != ParamType::integer && p.type != ParamType::number) return "";
  std::ostringstream out;
  out << p.min << " .. ";
  if (p.max >= 1e15) {
    out << "any";
  } else {
    out << p.max;
  }
  return out.str();
}

}  // namespace

std::string catalogue_markdown() {
  std::ostringstream out;
  out << "| kind | effect | what it does | healed by | backend |\n|---|---|---|---|---|\n";
  for (const KindSpec& k : catalogue()) {
    out << "| `" << k.name << "` | `" << effect_name(k.effect) << "` | " << k.summary << " | "
        << k.heal << " | "
        << (!k.backend.empty()               ? k.backend
            : k.needs_kernel                 ? "kernel"
            : k.targets == TargetKind::links ? "kernel or proxy"
                                             : "process")
        << " |\n";
  }
  for (const KindSpec& k : catalogue()) {
    out << "\n#### `" << k.name << "` parameters\n\n";
    if (!k.topologies.empty() || !k.refused_topologies.empty() || k.voters_only) {
      std::string where;
      if (k.voters_only) where += "Acts on voters only.";
      if (!k.topologies.empty()) {
        std::string kinds;
        for (const auto& t : k.topologies) kinds += (kinds.empty() ? "" : ", ") + ("`" + t + "`");
        where += (where.empty() ? "" : " ") + std::string("Only topology kind ") + kinds + " (" +
                 k.topologies_why + ").";
      }
      for (const auto& [kind, why] : k.refused_topologies) {
        where += (where.empty() ? "" : " ") + std::string("Refused on topology kind `") + kind + "`: " + why + ".";
      }
      out << where << "\n\n";
    }
    out << "| field | type | range | default | meaning |\n|---|---|---|---|---|\n";
    out << "| `target` | target selector | | "
        << (k.default_target.empty() ? "required" : "`" + k.default_target + "`")
        << " | which members, resolved when the fault fires |\n";
    out << "| `at_ms` | integer | 0 .. end of the workload | required | when, from the workload's "
           "start |\n";
    out << "| `heal_after_ms` | integer | 0 .. any | "
        << (k.healed_at_end ? "the end of the workload" : "never")
        << " | when it is healed, from its injection";
    for (const auto& alias : k.heal_aliases) out << "; `" << alias << "` is an alias";
    out << " |\n";
    for (const ParamSpec& p : k.params) {
      std::string fallback = p.required   ? "required"
                             : p.fallback ? "`" + p.fallback->dump() + "`"
                                          : "none";
      std::string meaning = p.doc;
      if (!p.when_param.empty()) {
        std::string values;
        for (const auto& v : p.when_values)
          values += (values.empty() ? "" : ", ") + ("`" + v + "`");
        meaning += " (only with `" + p.when_param + "` " + values + ")";
      }
      out << "| `" << p.name << "` | " << param_type_text(p) << " | " << range_text(p) << " | "
          << fallback << " | " << meaning << " |\n";
    }
  }
  return out.str();
}

}  // namespace faultline::faults
