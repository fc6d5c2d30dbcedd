// Reading what nftables counted: the packets that rules naming one address
// saw and dropped, from the JSON of `nft -j list table inet faultline`.
// Counting rules (no verdict) are "seen"; drop and reject rules "dropped".
// Pure.
#pragma once

#include <cstdint>
#include <string>

namespace faultline::network {

struct RuleCounts {
  std::uint64_t seen = 0;
  std::uint64_t dropped = 0;
};

RuleCounts count_rules_naming(const std::string& nft_json, const std::string& address);

}  // namespace faultline::network
