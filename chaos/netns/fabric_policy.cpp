#include "chaos/netns/fabric_policy.hpp"

#include <set>

#include "chaos/netns/parallel.hpp"

namespace faultline::netns {

FabricPolicy& FabricPolicy::block(const std::string& from, const std::string& to) {
  links[{from, to}].blocked = true;
  return *this;
}

FabricPolicy& FabricPolicy::block_both(const std::string& a, const std::string& b) {
  return block(a, b).block(b, a);
}

bool FabricPolicy::empty() const {
  for (const auto& [link, fault] : links)
    if (!fault.empty()) return false;
  for (const auto* side : {&clients_to, &to_clients})
    for (const auto& [id, fault] : *side)
      if (!fault.empty()) return false;
  return redirects.empty();
}

FabricPolicy partition(const std::vector<std::string>& members,
                       const std::vector<std::vector<std::string>>& groups) {
  std::set<std::pair<std::string, std::string>> together;
  for (const auto& group : groups)
    for (const auto& a : group)
      for (const auto& b : group) together.emplace(a, b);
  FabricPolicy policy;
  for (const auto& a : members)
    for (const auto& b : members)
      if (a != b && !together.count({a, b})) policy.block(a, b);
  return policy;
}

std::vector<std::vector<bool>> planned_connectivity(const FabricPolicy& policy,
                                                    const std::vector<std::string>& members) {
  std::vector<std::vector<bool>> planned(members.size(), std::vector<bool>(members.size(), true));
  for (std::size_t i = 0; i < members.size(); ++i)
    for (std::size_t j = 0; j < members.size(); ++j) {
      if (i == j) continue;
      const auto found = policy.links.find({members[i], members[j]});
      // The SYN-ACK of a connection i opened is i's peer answering, which
      // j's own rules toward i do not stop: only i -> j counts.
      if (found != policy.links.end() &&
          (found->second.blocked || found->second.reset || found->second.loss >= 1.0))
        planned[i][j] = false;
    }
  return planned;
}

AddressBook address_book(const Fabric& fabric) {
  AddressBook book;
  for (const auto& id : fabric.member_ids()) book.members[id] = fabric.member_address(id);
  book.client_address = fabric.client_address();
  book.proxy_address = fabric.proxy_address();
  return book;
}

SplitPolicy split_by_member(const FabricPolicy& policy, const AddressBook& book) {
  SplitPolicy split;
  for (const auto& [id, address] : book.members)
    split.by_member[id].client_address = book.client_address;
  auto known = [&](const std::string& id, const std::string& role) {
    if (book.members.count(id)) return true;
    if (split.error.empty()) split.error = role + " '" + id + "' is not a member of the fabric";
    return false;
  };
  for (const auto& [link, fault] : policy.links) {
    const auto& [from, to] = link;
    if (!known(from, "link sender") || !known(to, "link destination")) return split;
    if (from == to) {
      split.error = "link " + from + " -> " + to + " is a member to itself";
      return split;
    }
    if (fault.empty()) continue;
    LinkFault mine = fault;
    // Both ways blocked: what `to` answers on `from`'s own connections must
    // not arrive either (nft_rules.hpp, "severed").
    const auto back = policy.links.find({to, from});
    mine.severed = fault.blocked && back != policy.links.end() && back->second.blocked;
    split.by_member[from].to_peers[book.members.at(to)] = mine;
  }
  for (const auto& [id, fault] : policy.clients_to) {
    if (!known(id, "client link member")) return split;
    split.by_member[id].from_client = fault;
  }
  for (const auto& [id, fault] : policy.to_clients) {
    if (!known(id, "client link member")) return split;
    split.by_member[id].to_client = fault;
  }
  for (const auto& redirect : policy.redirects) {
    if (!known(redirect.from, "redirect sender") || !known(redirect.to, "redirect destination"))
      return split;
    split.by_member[redirect.from].redirects.push_back(
        Redirect{book.members.at(redirect.to), redirect.port,
                 redirect.proxy_address.empty() ? book.proxy_address : redirect.proxy_address,
                 redirect.proxy_port});
  }
  return split;
}

std::optional<std::string> apply_policy(const Fabric& fabric, const FabricPolicy& policy) {
  const auto split = split_by_member(policy, address_book(fabric));
  if (!split.ok()) return "network policy: " + split.error;
  std::vector<std::pair<std::string, const NamespacePolicy*>> work;
  for (const auto& [id, member_policy] : split.by_member) work.emplace_back(id, &member_policy);
  std::vector<std::optional<std::string>> errors(work.size());
  for_each_parallel(work.size(), [&](std::size_t i) {
    errors[i] = fabric.apply_rules(work[i].first, *work[i].second);
  });
  std::string joined;
  for (const auto& error : errors)
    if (error) joined += (joined.empty() ? "" : "; ") + *error;
  if (joined.empty()) return std::nullopt;
  return joined;
}

}  // namespace faultline::netns
