#include "chaos/faults/selector.hpp"

#include <algorithm>

namespace faultline::faults {
namespace {

std::vector<const MemberView*> voters_up(const std::vector<MemberView>& views) {
  std::vector<const MemberView*> out;
  for (const auto& v : views) {
    if (v.voter && v.up) out.push_back(&v);
  }
  return out;
}

// `count` of `pool`, chosen by a seeded shuffle, returned in id order so the
// journal reads the same whatever the shuffle's internal order.
std::vector<std::string> choose(std::vector<const MemberView*> pool, std::size_t count,
                                std::mt19937_64& rng) {
  std::sort(pool.begin(), pool.end(), [](auto* a, auto* b) { return a->id < b->id; });
  for (std::size_t i = pool.size(); i > 1; --i) {
    std::swap(pool[i - 1], pool[static_cast<std::size_t>(rng() % i)]);
  }
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < count && i < pool.size(); ++i) ids.push_back(pool[i]->id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace

std::vector<std::string> role_selectors() {
  return {"leader", "follower", "followers", "minority", "majority", "all"};
}

Selection select_members(const std::string& selector, const std::vector<MemberView>& views,
                         std::mt19937_64& rng, const std::optional<std::string>& busiest_worker) {
  Selection out;
  const std::size_t voters = static_cast<std::size_t>(
      std::count_if(views.begin(), views.end(), [](const MemberView& v) { return v.voter; }));
  if (selector == "leader") {
    const MemberView* best = nullptr;
    for (const auto* v : voters_up(views)) {
      if (v->role == "leader" && (best == nullptr || v->term > best->term)) best = v;
    }
    if (best != nullptr) out = {{best->id}, best->term};
  } else if (selector == "follower" || selector == "followers") {
    std::vector<const MemberView*> followers;
    for (const auto* v : voters_up(views)) {
      if (v->role == "follower") followers.push_back(v);
    }
    if (followers.empty()) return out;
    if (selector == "followers") {
      for (const auto* v : followers) out.ids.push_back(v->id);
      std::sort(out.ids.begin(), out.ids.end());
    } else {
      out.ids = choose(followers, 1, rng);
      for (const auto* v : followers) {
        if (v->id == out.ids.front()) out.term = v->term;
      }
    }
  } else if (selector == "minority" || selector == "majority" || selector == "all") {
    std::vector<const MemberView*> pool;
    for (const auto& v : views) {
      if (v.voter) pool.push_back(&v);
    }
    const std::size_t count = selector == "all"        ? voters
                              : selector == "majority" ? voters / 2 + 1
                                                       : (voters - 1) / 2;
    if (selector == "all") {
      for (const auto* v : pool) out.ids.push_back(v->id);
      std::sort(out.ids.begin(), out.ids.end());
    } else {
      out.ids = choose(pool, count, rng);
    }
  } else if (selector == "workers") {
    for (const auto& v : views) {
      if (!v.voter && !v.other && v.up) out.ids.push_back(v.id);
    }
  } else if (selector == "worker") {
    std::optional<std::string> chosen = busiest_worker;
    if (!chosen) {
      for (const auto& v : views) {
        if (!v.voter && !v.other) {
          chosen = v.id;
          break;
        }
      }
    }
    for (const auto& v : views) {
      if (chosen && v.id == *chosen && v.up) out.ids = {v.id};
    }
  } else {
    for (const auto& v : views) {
      if (v.id == selector && v.up) {
        out.ids = {v.id};
        if (v.voter) out.term = v.term;
      }
    }
  }
  return out;
}

std::optional<std::string> check_selector(const std::string& selector,
                                          const std::vector<std::string>& voters,
                                          const std::vector<std::string>& workers,
                                          const std::vector<std::string>& others) {
  const auto roles = role_selectors();
  if (std::find(roles.begin(), roles.end(), selector) != roles.end()) return std::nullopt;
  if (std::find(voters.begin(), voters.end(), selector) != voters.end()) return std::nullopt;
  if (std::find(workers.begin(), workers.end(), selector) != workers.end()) return std::nullopt;
  if (std::find(others.begin(), others.end(), selector) != others.end()) return std::nullopt;
  if (selector == "worker" || selector == "workers") {
    if (!workers.empty()) return std::nullopt;
    return "target \"" + selector + "\" needs worker nodes: set topology.workers (1..16)";
  }
  auto join = [](const std::vector<std::string>& ids) {
    std::string text;
    for (const auto& id : ids) text += (text.empty() ? "" : ", ") + id;
    return text.empty() ? std::string("none") : text;
  };
  if (!selector.empty() && (selector[0] == 'c' || selector[0] == 'w') && selector.size() > 1 &&
      std::all_of(selector.begin() + 1, selector.end(),
                  [](char c) { return c >= '0' && c <= '9'; })) {
    const bool worker = selector[0] == 'w';
    return "target \"" + selector + "\" is not a " + (worker ? "worker" : "member") +
           " of the topology (" + (worker ? "workers: " : "members: ") +
           (worker ? (workers.empty() ? "none; set topology.workers" : join(workers))
                   : join(voters)) +
           ")";
  }
  std::string allowed = join(roles);
  if (!voters.empty()) allowed += ", " + voters.front() + ".." + voters.back();
  if (!workers.empty()) allowed += ", worker, workers, " + workers.front() + ".." + workers.back();
  if (!others.empty()) allowed += ", " + join(others);
  return "unknown target \"" + selector + "\"; allowed: " + allowed;
}

}  // namespace faultline::faults
