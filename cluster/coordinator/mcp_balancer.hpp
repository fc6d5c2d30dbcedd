// How a coordinator picks the node for a new session, or for a session that
// must move, among the usable replicas of its server
// (systemConfig.cluster.loadBalancing.strategy):
//
//  - consistent-hash: the replica ranked first for the session id by
//    rendezvous hashing (FNV-1a 64 of "<session>\n<node>", mixed): the same answer
//    on every coordinator, and a change of membership moves only the keys of
//    the node that came or went (MCPHub's md5-mod-N moves almost all);
//  - round-robin: the replicas in id order, one after the other;
//  - weighted: smooth weighted round-robin (nginx's) by each node's
//    registered weight;
//  - least-connections: the replica with the fewest sessions pinned to it
//    (from the replicated pins, so every coordinator counts the same),
//    ties broken by the hash.
//
// Round-robin and weighted keep their turn per coordinator.
//
// Thread-safety: choose() may be called from any thread (one mutex).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "cluster/settings/settings.hpp"

namespace faultline::coordinator {

struct Candidate {
  std::string id;
  int weight = 1;
  std::size_t sessions = 0;  // pinned to it now
};

class Balancer {
 public:
  explicit Balancer(settings::Balancing strategy) : strategy_(strategy) {}
  settings::Balancing strategy() const { return strategy_; }
  // The chosen candidate's id; "" when `candidates` is empty.
  std::string choose(const std::string& session, const std::vector<Candidate>& candidates);

 private:
  const settings::Balancing strategy_;
  std::mutex mu_;
  std::uint64_t turn_ = 0;                          // round-robin; guarded by mu_
  std::map<std::string, std::int64_t> current_;     // weighted; guarded by mu_
};

std::uint64_t rendezvous_rank(const std::string& session, const std::string& node);

}  // namespace faultline::coordinator
