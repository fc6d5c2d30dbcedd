// The fault catalogue's declarations: what each fault kind is called, which
// parameters it takes (with types, ranges and defaults), what it does to its
// targets (its *effect*, which the checkers key on), and how it is healed.
//
// This is the one place a kind is described. Plan validation reads the
// parameters from here (drills/plan/faults.cpp), `faultline fault kinds`
// prints them, and docs/faults.md carries the same tables (a test keeps them
// equal). Each kind's declaration sits beside its implementation in its own
// file (kill.cpp, pause.cpp, partition.cpp, ...); catalogue.cpp lists them.
//
// Thread-safety: immutable data built once; safe to read from any thread.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace faultline::faults {

// What a fault does to what it targets, as the checkers see it.
enum class Effect {
  down,      // the process is gone (kill, terminate, crash loop)
  frozen,    // the process lives but answers nothing (pause)
  isolated,  // the member is cut off from (some of) its peers (partition)
  degraded,  // the member works, worse (latency, loss, bandwidth, slow disk, skew, pressure)
};
std::string_view effect_name(Effect effect);

enum class ParamType {
  integer,  // a JSON integer within [min, max]
  number,   // a JSON number within [min, max]
  boolean,
  choice,    // a string among `choices`
  selector,  // a target selector (see selector.hpp)
  groups,    // an array of arrays of member ids
  text,      // any string
  text_list, // a non-empty array of strings (a command line)
  object,    // a JSON object (labels)
  any,       // any JSON value (a value to compare with)
};

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::integer;
  std::string doc;  // one line for the docs table
  // Absent and not required: the default is written into the validated plan.
  std::optional<nlohmann::json> fallback;
  bool required = false;
  double min = 0;
  double max = 1e15;
  std::vector<std::string> choices;
  // When set, the parameter is only meaningful when parameter `when_param`
  // has one of these values (e.g. `from` only for shape one_way); a plan that
  // sets it otherwise is refused, and its default is not written.
  std::string when_param;
  std::vector<std::string> when_values;
};

// A parameter without choices or conditions (add them after).
ParamSpec param(std::string name, ParamType type, std::string doc,
                std::optional<nlohmann::json> fallback, bool required = false, double min = 0,
                double max = 1e15);

// Where a kind's targets live.
enum class TargetKind {
  members,  // processes: coordinators and workers, by selector
  links,    // directed links between members (and optionally their clients)
};

struct KindSpec {
  std::string name;
  std::string summary;  // what it does, for `fault kinds` and the docs
  Effect effect = Effect::down;
  TargetKind targets = TargetKind::members;
  // How the heal undoes the fault ("restart", "SIGCONT", "lift the rules").
  std::string heal;
  // Older names of `heal_after_ms` that plans may still use for this kind
  // (kill: restart_after_ms; pause: resume_after_ms). Documented aliases.
  std::vector<std::string> heal_aliases;
  // True: a fault still in force when the workload ends is healed then (a
  // paused process must not outlive the run stopped; a partition is lifted
  // so the cluster can be read back). False: it stays (a killed member that
  // the plan never restarts stays down).
  bool healed_at_end = true;
  // True: the kind needs the kernel network backend (nftables); a run
  // without it refuses the plan (exit 3) rather than faking the fault.
  bool needs_kernel = false;
  // The selector used when a plan leaves `target` out; empty: required.
  std::string default_target;
  std::vector<ParamSpec> params;
  // Where it can act. Non-empty `topologies`: only these topology kinds'
  // members can take it; `refused_topologies`: kinds that cannot, and why.
  // A plan asking otherwise is refused (exit 2), never run with a fault
  // that would silently do nothing.
  std::vector<std::string> topologies;
  std::string topologies_why;
  std::vector<std::pair<std::string, std::string>> refused_topologies;
  // True: its targets must be voters (a worker has no disk to fail).
  bool voters_only = false;
  // The docs' "backend" column, when it is not the process or network's.
  std::string backend;

  const ParamSpec* param(std::string_view param_name) const;
};

// Every kind, in the catalogue's order.
const std::vector<KindSpec>& catalogue();
// The kind called `name`, or nullptr.
const KindSpec* find_kind(std::string_view name);
std::vector<std::string> kind_names();

// "integer", "`a` \\| `b`", "target selector"... for docs tables.
std::string param_type_text(const ParamSpec& p);
// Nullopt when a `name` fault can act on members of topology kind
// `topology_kind`, else why not (for plan validation).
std::optional<std::string> topology_refusal(const KindSpec& spec, const std::string& topology_kind);

// The catalogue as Markdown: a summary table and, per kind, its parameters.
// docs/faults.md holds this text between markers; a test compares them.
std::string catalogue_markdown();

}  // namespace faultline::faults
