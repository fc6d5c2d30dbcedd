#include "chaos/network/nft_counters.hpp"

#include <nlohmann/json.hpp>

namespace faultline::network {

RuleCounts count_rules_naming(const std::string& nft_json, const std::string& address) {
  RuleCounts counts;
  const auto doc = nlohmann::json::parse(nft_json, nullptr, false);
  if (!doc.is_object() || !doc.contains("nftables") || !doc["nftables"].is_array()) return counts;
  for (const auto& item : doc["nftables"]) {
    if (!item.is_object() || !item.contains("rule")) continue;
    const auto& expr = item["rule"].value("expr", nlohmann::json::array());
    bool names = false, verdict = false;
    std::uint64_t packets = 0;
    for (const auto& e : expr) {
      if (!e.is_object()) continue;
      if (e.contains("match")) {
        const auto& m = e["match"];
        if (m.value("op", "") == "==" && m.contains("right") && m["right"] == address) names = true;
      } else if (e.contains("counter") && e["counter"].is_object()) {
        packets = e["counter"].value("packets", std::uint64_t{0});
      } else if (e.contains("drop") || e.contains("reject")) {
        verdict = true;
      }
    }
    if (!names) continue;
    (verdict ? counts.dropped : counts.seen) += packets;
  }
  return counts;
}

}  // namespace faultline::network
