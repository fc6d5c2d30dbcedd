// What every link suffers when several faults act on it at once: each fault
// (an owner) asks for effects on its links, and the network renders the
// composition of all of them. Composing is pure, so a heal is "remove the
// owner and render again": it never disturbs another fault on the same link.
//
// Composition, per directed link: blocked, reset and blackhole if any owner
// says so; loss combines as independent drops (1 - Π(1 - p)); latency and
// jitter add up (the distribution of the owner with the largest delay);
// bandwidth is the lowest limit; slow close the longest; timeout and byte
// limits the strictest.
//
// Thread-safety: a value type.
#pragma once

#include <map>
#include <set>

#include "chaos/faults/links.hpp"

namespace faultline::network {

class LinkState {
 public:
  void set(int owner, const faults::LinkEffects& effects) { owners_[owner] = effects; }
  void clear(int owner) { owners_.erase(owner); }
  bool has(int owner) const { return owners_.count(owner) > 0; }
  const faults::LinkEffects* of(int owner) const;

  // The composed effect of every link that any owner touches.
  faults::LinkEffects composed() const;
  // Every link any owner touches.
  std::set<faults::Link> links() const;

 private:
  std::map<int, faults::LinkEffects> owners_;
};

faults::LinkEffect compose(const faults::LinkEffect& a, const faults::LinkEffect& b);

}  // namespace faultline::network
