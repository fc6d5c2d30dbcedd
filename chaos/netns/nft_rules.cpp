#include "chaos/netns/nft_rules.hpp"

#include <cmath>
#include <set>
#include <sstream>

#include "chaos/netns/address.hpp"

namespace faultline::netns {
namespace {

// Rounding never turns a loss into another kind of fault: a nonzero p stays
// nonzero, a p below 1 stays below certain.
std::uint32_t loss_threshold(double p) {
  if (p >= 1.0) return kLossScale;
  const double scaled = std::round(p * static_cast<double>(kLossScale));
  if (scaled < 1.0) return 1;
  if (scaled > static_cast<double>(kLossScale - 1)) return kLossScale - 1;
  return static_cast<std::uint32_t>(scaled);
}

// numgen draws 0 .. kLossScale - 1 and nft refuses a comparison with a value
// outside that range, so certain loss is a plain drop.
std::string drop_with_probability(double p) {
  const std::uint32_t threshold = loss_threshold(p);
  if (threshold >= kLossScale) return "counter drop";
  return "numgen random mod " + std::to_string(kLossScale) + " < " + std::to_string(threshold) +
         " counter drop";
}

std::string check_fault(const LinkFault& fault, const std::string& link) {
  if (!(fault.loss >= 0.0 && fault.loss <= 1.0))  // also refuses NaN
    return link + ": loss " + std::to_string(fault.loss) + " is not a probability in [0, 1]";
  return "";
}

// Rules in A's output hook for what A sends toward `dest` (a peer or the
// hub's client address).
void render_outbound(std::ostringstream& out, const std::string& dest, const LinkFault& fault) {
  if (fault.blocked) out << "    ct original ip daddr " << dest << " counter drop\n";
  // `ct direction original`: the reset that `reject` makes is itself a TCP
  // packet of the same connection (attached to its conntrack as a related
  // reply) and leaves through this very hook; without it the rule would drop
  // its own reset and the connect would time out instead of being refused.
  if (fault.reset)
    out << "    ct original ip daddr " << dest
        << " ct direction original meta l4proto tcp counter reject with tcp reset\n";
  if (fault.loss > 0.0) {
    // Counting rules first (no verdict), so the measured drop rate is the
    // drops over what was sent: chaos/network/nft_counters.hpp reads both.
    out << "    ip daddr " << dest << " counter\n";
    out << "    ip daddr != " << dest << " ct original ip daddr " << dest << " counter\n";
    // Two disjoint matches, so no packet draws twice: addressed to dest, or
    // DNATed away from it.
    out << "    ip daddr " << dest << " " << drop_with_probability(fault.loss) << "\n";
    out << "    ip daddr != " << dest << " ct original ip daddr " << dest << " "
        << drop_with_probability(fault.loss) << "\n";
  }
}

// Rules in A's input hook for what the client at `source` sends to A.
void render_inbound(std::ostringstream& out, const std::string& source, const LinkFault& fault) {
  if (fault.blocked) out << "    ct original ip saddr " << source << " counter drop\n";
  if (fault.reset)
    out << "    ct original ip saddr " << source
        << " meta l4proto tcp counter reject with tcp reset\n";
  if (fault.loss > 0.0)
    out << "    ip saddr " << source << " " << drop_with_probability(fault.loss) << "\n";
}

std::string validate(const NamespacePolicy& policy) {
  for (const auto& [dest, fault] : policy.to_peers) {
    if (!is_ipv4(dest)) return "peer address '" + dest + "' is not a dotted IPv4 address";
    if (auto error = check_fault(fault, "link to " + dest); !error.empty()) return error;
  }
  const bool client_links = !policy.to_client.empty() || !policy.from_client.empty();
  if (client_links && !is_ipv4(policy.client_address))
    return "client links are set but the client address '" + policy.client_address +
           "' is not a dotted IPv4 address";
  if (auto error = check_fault(policy.to_client, "link to the clients"); !error.empty())
    return error;
  if (auto error = check_fault(policy.from_client, "link from the clients"); !error.empty())
    return error;
  std::set<std::pair<std::string, std::uint16_t>> seen;
  for (const auto& redirect : policy.redirects) {
    const std::string what =
        "redirect of " + redirect.peer_address + ":" + std::to_string(redirect.peer_port);
    if (!is_ipv4(redirect.peer_address) || !is_ipv4(redirect.proxy_address))
      return what + " to " + redirect.proxy_address + ": addresses must be dotted IPv4";
    if (redirect.peer_port == 0 || redirect.proxy_port == 0) return what + ": port 0";
    if (!seen.emplace(redirect.peer_address, redirect.peer_port).second)
      return what + ": given twice; one destination has one proxy";
  }
  return "";
}

}  // namespace

bool NamespacePolicy::empty() const {
  for (const auto& [dest, fault] : to_peers)
    if (!fault.empty()) return false;
  return to_client.empty() && from_client.empty() && redirects.empty();
}

RenderedRules render_rules(const NamespacePolicy& policy) {
  RenderedRules result;
  result.error = validate(policy);
  if (!result.error.empty()) return result;

  std::ostringstream out;
  // Declaring the table first makes the delete valid when it does not exist
  // yet; all of it is one transaction, applied whole or not at all.
  out << "table inet " << kTableName << " {}\n";
  out << "delete table inet " << kTableName << "\n";
  if (policy.empty()) {
    result.text = out.str();
    return result;
  }

  std::ostringstream output_rules;
  for (const auto& [dest, fault] : policy.to_peers) render_outbound(output_rules, dest, fault);
  if (!policy.to_client.empty())
    render_outbound(output_rules, policy.client_address, policy.to_client);
  std::ostringstream input_rules;
  for (const auto& [dest, fault] : policy.to_peers) {
    if (fault.blocked && fault.severed) input_rules << "    ct original ip daddr " << dest << " counter drop\n";
  }
  if (!policy.from_client.empty())
    render_inbound(input_rules, policy.client_address, policy.from_client);

  out << "table inet " << kTableName << " {\n";
  bool first = true;
  auto chain = [&](const char* name, const char* hook, const std::string& rules) {
    if (rules.empty()) return;
    if (!first) out << "\n";
    first = false;
    out << "  chain " << name << " {\n    " << hook << "; policy accept;\n" << rules << "  }\n";
  };
  chain("output", "type filter hook output priority 0", output_rules.str());
  chain("input", "type filter hook input priority 0", input_rules.str());
  std::ostringstream nat_rules;
  for (const auto& redirect : policy.redirects)
    nat_rules << "    ip daddr " << redirect.peer_address << " tcp dport " << redirect.peer_port
              << " counter dnat ip to " << redirect.proxy_address << ":" << redirect.proxy_port
              << "\n";
  // Not "redirect": that is an nft keyword and cannot name a chain.
  chain("to_proxy", "type nat hook output priority -100", nat_rules.str());
  out << "}\n";
  result.text = out.str();
  return result;
}

}  // namespace faultline::netns
