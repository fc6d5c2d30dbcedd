// Small codecs the HTTP targets share: base64 (etcd's JSON gateway carries
// keys and values as base64 bytes) and numbers that arrive as JSON numbers
// or as decimal strings (the proto3 JSON mapping writes 64-bit integers as
// strings: etcd's "raftTerm": "7").
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace faultline::targets {

std::string base64_encode(std::string_view bytes);
// nullopt when `text` is not standard base64 (padding optional).
std::optional<std::string> base64_decode(std::string_view text);

// A non-negative integer written as a JSON number or a decimal string.
std::optional<std::uint64_t> integer_of(const nlohmann::json& value);
// A JSON scalar as text: strings as they are, numbers and booleans printed;
// nullopt for null, objects and arrays.
std::optional<std::string> scalar_text(const nlohmann::json& value);

}  // namespace faultline::targets
