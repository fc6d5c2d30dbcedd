#include "cluster/coordinator/mcp_balancer.hpp"

#include <algorithm>

#include "cluster/util/fnv1a64.hpp"

namespace faultline::coordinator {

std::uint64_t rendezvous_rank(const std::string& session, const std::string& node) {
  // FNV-1a of "<session>\n<node>", then MurmurHash3's 64-bit finalizer: node
  // names that differ in their last byte only ("w1", "w2") would otherwise
  // rank in correlated orders and split the sessions unevenly.
  std::uint64_t h = util::fnv1a64_extend(util::fnv1a64_extend(util::fnv1a64(session), "\n"), node);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

std::string Balancer::choose(const std::string& session, const std::vector<Candidate>& input) {
  if (input.empty()) return "";
  std::vector<Candidate> candidates = input;
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) { return a.id < b.id; });
  auto by_hash = [&](const std::vector<const Candidate*>& among) {
    const Candidate* best = among.front();
    for (const Candidate* c : among) {
      if (rendezvous_rank(session, c->id) > rendezvous_rank(session, best->id)) best = c;
    }
    return best->id;
  };
  std::vector<const Candidate*> all;
  for (const auto& c : candidates) all.push_back(&c);
  switch (strategy_) {
    case settings::Balancing::consistent_hash: return by_hash(all);
    case settings::Balancing::round_robin: {
      std::lock_guard lock(mu_);
      return candidates[turn_++ % candidates.size()].id;
    }
    case settings::Balancing::weighted: {
      std::lock_guard lock(mu_);
      std::int64_t total = 0;
      const Candidate* best = nullptr;
      for (const auto& c : candidates) {
        std::int64_t& current = current_[c.id];
        current += c.weight;
        total += c.weight;
        if (best == nullptr || current > current_[best->id]) best = &c;
      }
      current_[best->id] -= total;
      return best->id;
    }
    case settings::Balancing::least_connections: {
      std::size_t fewest = candidates.front().sessions;
      for (const auto& c : candidates) fewest = std::min(fewest, c.sessions);
      std::vector<const Candidate*> least;
      for (const auto& c : candidates) {
        if (c.sessions == fewest) least.push_back(&c);
      }
      return by_hash(least);
    }
  }
  return by_hash(all);
}

}  // namespace faultline::coordinator
