// Small builders of JSON Schema (draft 2020-12) fragments, for the plan's
// schema (schema.hpp): the topology kinds describe their fields with them
// beside their readers (topology_<kind>.cpp), and the catalogues' parameters
// (fault kinds, probe kinds) are turned into schemas by `param`.
//
// Every fragment states what the reader accepts or more, never less: an
// editor may let through a plan that validation then refuses (a fault's
// `at_ms` after the workload's end, a target that is not a member), never
// the other way round. Descriptions and defaults are the docs' own words.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "chaos/faults/spec.hpp"

namespace faultline::plan::schema {

using nlohmann::json;

// An integer in [min, max] (no maximum when max is nullopt).
json integer(std::int64_t min, std::optional<std::int64_t> max, std::optional<std::int64_t> fallback,
             std::string doc);
// A number >= min (> min when `exclusive`), <= max when given.
json number(double min, bool exclusive, std::optional<double> max, std::optional<double> fallback,
            std::string doc);
json boolean(bool fallback, std::string doc);
// Any string; `pattern` (ECMA-262) when it must have a shape.
json text(std::string doc, std::optional<std::string> fallback = std::nullopt, std::string pattern = "");
// One of `values`.
json choice(const std::vector<std::string>& values, std::optional<std::string> fallback, std::string doc);
json array_of(json items, std::string doc, std::size_t min_items = 0,
              std::optional<std::size_t> max_items = std::nullopt);
// An object with exactly these properties (others refused); `required`
// lists the ones that must be present.
json closed_object(json properties, const std::vector<std::string>& required, std::string doc);
// A target selector: a role, a member id, a worker.
json selector(std::string doc, std::optional<std::string> fallback = std::nullopt);

// `election_timeout_ms` ([min, max], integers > 0) and `heartbeat_ms`, the
// fields read_raft_timing reads; added to `properties`.
void add_raft_timing(json& properties);

// One parameter of a catalogue entry (a fault kind's or a probe kind's).
json param(const faults::ParamSpec& p);

// The parameters of a catalogue entry as `properties` and `required`, and
// the conditions of parameters that apply only for some values of another
// (`from` only with `shape: one_way`) as `allOf` entries of `into`.
void add_params(const std::vector<faults::ParamSpec>& params, json& into);

}  // namespace faultline::plan::schema
