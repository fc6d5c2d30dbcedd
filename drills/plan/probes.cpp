#include "drills/plan/probes.hpp"

#include <sstream>

namespace faultline::plan {
namespace {

using faults::param;
using faults::ParamSpec;
using faults::ParamType;
using nlohmann::json;

ParamSpec choice(std::string name, std::string doc, std::vector<std::string> choices,
                 std::optional<json> fallback, bool required = false) {
  ParamSpec p = param(std::move(name), ParamType::choice, std::move(doc), std::move(fallback), required);
  p.choices = std::move(choices);
  return p;
}

ParamSpec of_ops() { return choice("of", "which operations count", {"writes", "reads", "all"}, json("writes")); }
ParamSpec window() {
  return param("window_ms", ParamType::integer, "the sliding window the figure is computed over", json(1000),
               false, 1, 3'600'000);
}
ParamSpec member() {
  return param("member", ParamType::selector, "which member is asked (resolved at each sample)", json("leader"));
}
ParamSpec timeout(std::int64_t ms) {
  return param("timeout_ms", ParamType::integer, "how long one sample may take before it fails", json(ms), false,
               1, 60'000);
}
ParamSpec comparison() {
  return choice("op", "how the value compares with `value`", {"<", "<=", "==", "!=", ">=", ">"}, std::nullopt,
                true);
}
ParamSpec number(std::string name, std::string doc) {
  return param(std::move(name), ParamType::number, std::move(doc), std::nullopt, true, -1e15, 1e15);
}

std::vector<ProbeKind> make_kinds() {
  ParamSpec raft_value = number("value", "the largest term allowed");
  raft_value.when_param = "check";
  raft_value.when_values = {"max_term"};
  return {
      {"success_rate",
       "the share of operations that succeeded over a sliding window of the workload",
       false,
       {param("min", ParamType::number, "the lowest share that holds (0.995: 99.5 %)", std::nullopt, true, 0, 1),
        of_ops(), window()}},
      {"latency",
       "a percentile of the workload's latency over a sliding window",
       false,
       {param("max_ms", ParamType::number, "the highest latency that holds", std::nullopt, true, 0, 3'600'000),
        param("percentile", ParamType::number, "which percentile (nearest rank)", json(99), false, 0, 100), of_ops(),
        window()}},
      {"http",
       "an HTTP request to a member: the status, and optionally a JSON path of the answer or a regex over it",
       true,
       {member(), param("path", ParamType::text, "the request's path", json("/health")),
        param("status", ParamType::integer, "the status that holds", json(200), false, 100, 599),
        param("json_path", ParamType::text, "a JSON path into the answer ($.a.b[0])", std::nullopt),
        param("equals", ParamType::any, "the value at json_path that holds", std::nullopt),
        param("regex", ParamType::text, "an ECMAScript regex the body must match", std::nullopt), timeout(200)}},
      {"metric",
       "a line of a member's Prometheus text page: a metric (with labels) compared with a value",
       true,
       {member(), param("path", ParamType::text, "the metrics page", json("/metrics")),
        param("metric", ParamType::text, "the metric's name", std::nullopt, true),
        param("labels", ParamType::object, "labels the line must carry", std::nullopt), comparison(),
        number("value", "what the metric is compared with"), timeout(200)}},
      {"raft",
       "what the voters report of themselves: exactly one leader that a majority names, or the term",
       true,
       {choice("check", "one_leader: one member leads and a majority names it; max_term: no term above value",
               {"one_leader", "max_term"}, json("one_leader")),
        raft_value, timeout(200)}},
      {"cluster",
       "the cluster's own counts (the reference cluster's /api/cluster/status: nodes, active nodes, sessions)",
       true,
       {member(), choice("field", "which count", {"nodes", "active_nodes", "sessions"}, std::nullopt, true),
        comparison(), number("value", "what the count is compared with"), timeout(200)}},
      {"command",
       "a command run on the runner's side: its exit code and optionally a regex over its output",
       true,
       {param("argv", ParamType::text_list, "the command line (no shell)", std::nullopt, true),
        param("exit_code", ParamType::integer, "the exit code that holds", json(0), false, 0, 255),
        param("output_regex", ParamType::text, "an ECMAScript regex its output (standard output and error) must match", std::nullopt),
        timeout(2000)}},
  };
}

}  // namespace

const std::vector<ProbeKind>& probe_kinds() {
  static const std::vector<ProbeKind> kinds = make_kinds();
  return kinds;
}

const ProbeKind* find_probe_kind(const std::string& name) {
  for (const auto& k : probe_kinds()) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

std::vector<std::string> probe_kind_names() {
  std::vector<std::string> out;
  for (const auto& k : probe_kinds()) out.push_back(k.name);
  return out;
}

std::string probe_kinds_markdown() {
  std::ostringstream out;
  out << "| kind | how | what it checks |\n|---|---|---|\n";
  for (const auto& k : probe_kinds()) {
    out << "| `" << k.name << "` | " << (k.sampled ? "sampled" : "from the journal") << " | " << k.summary << " |\n";
  }
  for (const auto& k : probe_kinds()) {
    out << "\n#### `" << k.name << "` probe\n\n| field | type | default | meaning |\n|---|---|---|---|\n";
    for (const auto& p : k.params) {
      out << "| `" << p.name << "` | " << faults::param_type_text(p) << " | "
          << (p.required ? std::string("required") : p.fallback ? "`" + p.fallback->dump() + "`" : "none") << " | "
          << p.doc;
      if (!p.when_param.empty()) out << " (only with `" << p.when_param << "` `" << p.when_values.front() << "`)";
      out << " |\n";
    }
  }
  return out.str();
}

}  // namespace faultline::plan
