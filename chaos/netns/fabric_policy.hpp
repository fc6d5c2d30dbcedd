// FabricPolicy: the faults of a whole fabric, by member id, and its split
// into the per-namespace policies that nft_rules.hpp renders.
//
// A policy is the complete state: apply_policy() gives every member exactly
// its share and removes the rules of members the policy does not mention, so
// applying an empty policy heals everything. Each member's table is replaced
// atomically; the members are updated concurrently, one nft transaction each,
// so for a few milliseconds some members may have the new rules and others
// the old ones.
//
// The builders and split_by_member are pure and thread-safe. apply_policy
// follows the Fabric's rule: no two concurrent calls on the same fabric.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "chaos/netns/fabric.hpp"
#include "chaos/netns/nft_rules.hpp"

namespace faultline::netns {

// `from`'s TCP connections to `to`:port go through a proxy on the hub.
struct MemberRedirect {
  std::string from;
  std::string to;
  std::uint16_t port = 0;
  std::uint16_t proxy_port = 0;
  std::string proxy_address;  // empty: the hub's proxy address
};

struct FabricPolicy {
  std::map<std::pair<std::string, std::string>, LinkFault> links;  // (sender, destination)
  std::map<std::string, LinkFault> clients_to;                     // the hub's clients -> member
  std::map<std::string, LinkFault> to_clients;                     // member -> the hub's clients
  std::vector<MemberRedirect> redirects;

  // One-way: `from` can no longer open or use connections to `to`.
  FabricPolicy& block(const std::string& from, const std::string& to);
  FabricPolicy& block_both(const std::string& a, const std::string& b);
  bool empty() const;
};

// Members may talk only when some group holds both: every other ordered pair
// is blocked. Groups may overlap (a bridge member in two groups sees both
// sides); a member in no group is isolated from all the others. Clients and
// the observer are not affected.
FabricPolicy partition(const std::vector<std::string>& members,
                       const std::vector<std::vector<std::string>>& groups);

// What the policy plans for connect probes: planned[i][j] is true when
// members[i] can open a TCP connection to members[j]: not blocked, not
// reset and not certain loss (partial loss only delays). The diagonal is
// always true.
std::vector<std::vector<bool>> planned_connectivity(const FabricPolicy& policy,
                                                    const std::vector<std::string>& members);

struct AddressBook {
  std::map<std::string, std::string> members;  // id -> address
  std::string client_address;
  std::string proxy_address;
};
AddressBook address_book(const Fabric& fabric);

struct SplitPolicy {
  std::map<std::string, NamespacePolicy> by_member;  // every member of the book, maybe empty
  std::string error;                                 // an unknown member id, a self-link
  bool ok() const { return error.empty(); }
};
SplitPolicy split_by_member(const FabricPolicy& policy, const AddressBook& book);

// Replaces every member's rules with its share of `policy`. Returns the
// errors of all members that failed, joined; nothing when all succeeded.
std::optional<std::string> apply_policy(const Fabric& fabric, const FabricPolicy& policy);

}  // namespace faultline::netns
