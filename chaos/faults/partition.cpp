// partition: drops what crosses a cut between members (nftables in the
// senders' namespaces, or the link proxies with the proxy backend), in one
// of the shapes Jepsen's nemeses made familiar. Confirmed by the measured
// reachability matrix — a TCP connect from inside every member's host to
// every other — equal to the planned one; healed when the rules are lifted
// and the full matrix is measured back.
//
// Shapes (the members are the voters; workers only where named; the
// members named by id only, such as Redis sentinels, are hosts of their own
// and side with the rest where a shape has a rest, see everyone otherwise):
//   isolate   each target alone, the rest (other voters and others) together
//   halves    the voters split in two, ⌊N/2⌋ and ⌈N/2⌉, by the run's
//             generator; the others with the second half
//   minority  the target and others, ⌊(N-1)/2⌋ in all, against the majority
//             (target leader: the leader in the minority); the others with
//             the majority
//   bridge    two halves that cannot reach each other, and the target in
//             both (it sees everyone)
//   ring      the voters in a circle (order from the run's generator), each
//             reaching only its two neighbours
//   one_way   `from` cannot send to `to`; `to` still sends to `from` (for
//             TCP: `from` can neither open nor use connections to `to`, `to`
//             can open connections to `from` and get answers)
//   groups    the groups given; members in no group see everyone
#include <algorithm>
#include <set>

#include "chaos/faults/link_faults.hpp"
#include "chaos/faults/deadlines.hpp"

namespace faultline::faults {
namespace {

using Groups = std::vector<std::vector<std::string>>;

void shuffle(std::vector<std::string>& ids, std::mt19937_64& rng) {
  std::sort(ids.begin(), ids.end());
  for (std::size_t i = ids.size(); i > 1; --i)
    std::swap(ids[i - 1], ids[static_cast<std::size_t>(rng() % i)]);
}

std::vector<std::string> without(const std::vector<std::string>& all,
                                 const std::vector<std::string>& out) {
  std::vector<std::string> rest;
  for (const auto& id : all) {
    if (std::find(out.begin(), out.end(), id) == out.end()) rest.push_back(id);
  }
  return rest;
}

// Every ordered pair of `members` that no group holds both of.
std::set<Link> cut_between(const std::vector<std::string>& members, const Groups& groups) {
  auto together = [&](const std::string& a, const std::string& b) {
    for (const auto& g : groups) {
      const bool has_a = std::find(g.begin(), g.end(), a) != g.end();
      const bool has_b = std::find(g.begin(), g.end(), b) != g.end();
      if (has_a && has_b) return true;
    }
    // A member in no group sees everyone.
    auto grouped = [&](const std::string& id) {
      return std::any_of(groups.begin(), groups.end(), [&](const auto& g) {
        return std::find(g.begin(), g.end(), id) != g.end();
      });
    };
    return !grouped(a) || !grouped(b);
  };
  std::set<Link> cut;
  for (const auto& a : members) {
    for (const auto& b : members) {
      if (a != b && !together(a, b)) cut.insert({a, b});
    }
  }
  return cut;
}

class Partition final : public Fault {
 public:
  using Fault::Fault;

  std::optional<std::string> inject(FaultEnvironment& env, Injection& out) override {
    LinkControl* links = env.links();
    if (links == nullptr)
      return fault_label(request_) + "this run has no network to act on (the loopback backend)";
    const auto deadline = std::chrono::steady_clock::now() + kResolveDeadline;
    const std::string shape = request_.params.value("shape", std::string("isolate"));
    std::vector<std::string> voters = env.voters();
    const std::vector<std::string> named_only = env.others();
    std::vector<std::string> members = voters;
    // Members named by id only side with the rest (below), so a target
    // isolated from its peers is isolated from them too.
    auto with_others = [&](std::vector<std::string> group) {
      for (const auto& o : named_only) {
        if (std::find(group.begin(), group.end(), o) == group.end()) group.push_back(o);
      }
      return group;
    };
    std::set<Link> cut;
    Groups groups;
    std::vector<std::string> cut_off;  // the targets, for the journal
    if (shape == "one_way") {
      const auto from =
          resolve_members(env, request_.params.value("from", std::string()), deadline).ids;
      const auto to =
          resolve_members(env, request_.params.value("to", std::string("leader")), deadline).ids;
      if (from.empty() || to.empty()) return no_match(request_);
      for (const auto& f : from) {
        for (const auto& t : to) {
          if (f != t) cut.insert({f, t});
        }
      }
      cut_off = to;
      out.detail["from"] = from;
      out.detail["to"] = to;
    } else {
      if (shape == "groups") {
        groups = request_.params.at("groups").get<Groups>();
        for (const auto& g : groups) {
          for (const auto& id : g) {
            if (std::find(members.begin(), members.end(), id) == members.end())
              members.push_back(id);
          }
        }
      } else if (shape == "halves" || shape == "ring") {
        std::vector<std::string> order = voters;
        shuffle(order, env.rng());
        if (shape == "halves") {
          const std::size_t half = order.size() / 2;
          groups = {{order.begin(), order.begin() + static_cast<long>(half)},
                    with_others({order.begin() + static_cast<long>(half), order.end()})};
        } else {
          if (order.size() < 4) {
            return fault_label(request_) + "a ring needs at least 4 voters (with " +
                   std::to_string(order.size()) + " every member is every other's neighbour)";
          }
          for (std::size_t i = 0; i < order.size(); ++i)
            groups.push_back({order[i], order[(i + 1) % order.size()]});
          out.detail["order"] = order;
        }
      } else {
        const Selection chosen = resolve_members(env, request_.target, deadline);
        if (chosen.ids.empty()) return no_match(request_);
        out.term = chosen.term;
        cut_off = chosen.ids;
        if (shape == "isolate") {
          for (const auto& id : chosen.ids) groups.push_back({id});
          groups.push_back(without(with_others(voters), chosen.ids));
        } else if (shape == "minority") {
          std::vector<std::string> side = chosen.ids;
          std::vector<std::string> others = without(voters, side);
          shuffle(others, env.rng());
          const std::size_t size = (voters.size() - 1) / 2;
          if (side.size() > size || size == 0) {
            return fault_label(request_) + "a minority of " + std::to_string(voters.size()) +
                   " voters has " + std::to_string(size) + " members; target '" + request_.target +
                   "' chose " + std::to_string(side.size());
          }
          for (std::size_t i = 0; side.size() < size && i < others.size(); ++i)
            side.push_back(others[i]);
          std::sort(side.begin(), side.end());
          groups = {side, without(with_others(voters), side)};
        } else {  // bridge
          std::vector<std::string> others = without(voters, chosen.ids);
          shuffle(others, env.rng());
          const std::size_t half = others.size() / 2;
          std::vector<std::string> a(others.begin(), others.begin() + static_cast<long>(half));
          std::vector<std::string> b(others.begin() + static_cast<long>(half), others.end());
          for (const auto& id : chosen.ids) {
            a.push_back(id);
            b.push_back(id);
          }
          groups = {a, b};
        }
      }
      for (auto& g : groups) std::sort(g.begin(), g.end());
      for (const auto& g : groups) {
        for (const auto& id : g) {
          if (std::find(members.begin(), members.end(), id) == members.end()) members.push_back(id);
        }
      }
      cut = cut_between(members, groups);
      out.detail["groups"] = groups;
    }
    if (cut.empty())
      return fault_label(request_) + "the " + shape + " shape cuts no link among these members";
    LinkEffects effects;
    for (const auto& l : cut) effects[l].blocked = true;
    if (request_.params.value("clients", false)) {
      for (const auto& id : cut_off) {
        effects[{id, kClients}].blocked = true;
        effects[{kClients, id}].blocked = true;
      }
    }
    cut_ = {cut.begin(), cut.end()};
    out.targets = cut_off.empty() ? members : cut_off;
    std::sort(out.targets.begin(), out.targets.end());
    out.detail["shape"] = shape;
    out.detail["blocked"] = links_json(cut_);
    out.detail["backend"] = links->backend();
    out.signal_t_ns = env.now_ns();
    if (auto failed = links->set(static_cast<int>(request_.index), effects))
      return fault_label(request_) + *failed;
    set_ = true;
    out.effect_t_ns = env.now_ns();
    members_ = members;
    out.applied = "blocked " + std::to_string(cut_.size()) + " directed links (" + shape + ", " +
                  links->backend() + " backend)";
    if (auto wrong = confirm(env, out.measured, out.confirmed)) {
      links->clear(static_cast<int>(request_.index));
      set_ = false;
      return fault_label(request_) + "not confirmed: " + *wrong;
    }
    return std::nullopt;
  }

  std::optional<std::string> heal(FaultEnvironment& env, Healing& out) override {
    if (!set_ || env.links() == nullptr) return std::nullopt;
    if (auto failed = env.links()->clear(static_cast<int>(request_.index)))
      return fault_label(request_) + *failed;
    set_ = false;
    cut_.clear();
    out.applied = "lifted the partition";
    if (auto wrong = confirm(env, out.measured, out.confirmed)) {
      return fault_label(request_) + "healed, but " + *wrong;
    }
    return std::nullopt;
  }

 private:
  // Measures the matrix among the members and compares it with the plan
  // (every pair reachable but the cut ones).
  std::optional<std::string> confirm(FaultEnvironment& env, Json& measured,
                                     std::string& confirmed) const {
    const auto probes = env.links()->reachability(members_);
    Json cells = Json::array();
    std::vector<std::string> wrong;
    for (const auto& p : probes) {
      const bool planned = std::find(cut_.begin(), cut_.end(), Link{p.from, p.to}) == cut_.end();
      cells.push_back(Json{{"from", p.from},
                           {"to", p.to},
                           {"planned", planned},
                           {"reachable", p.reachable},
                           {"outcome", p.outcome},
                           {"ms", p.elapsed_ms}});
      if (planned != p.reachable) wrong.push_back(p.from + "->" + p.to + " " + p.outcome);
    }
    measured = Json{{"matrix", cells}, {"members", members_}};
    if (!wrong.empty()) {
      std::string text;
      for (const auto& w : wrong) text += (text.empty() ? "" : ", ") + w;
      return "the measured reachability differs from the planned one: " + text;
    }
    confirmed = "measured reachability equals the planned one (" + std::to_string(probes.size()) +
                " connect probes, " + std::to_string(cut_.size()) + " cut)";
    return std::nullopt;
  }

  bool set_ = false;
  std::vector<Link> cut_;
  std::vector<std::string> members_;
};

}  // namespace

const KindDef& partition_kind() {
  static const KindDef def = [] {
    KindSpec spec;
    spec.name = "partition";
    spec.summary =
        "drops what crosses a cut between members, in one of the shapes isolate, halves, minority, "
        "bridge, ring, one_way, groups; confirmed by the measured reachability matrix";
    spec.effect = Effect::isolated;
    spec.targets = TargetKind::links;
    spec.heal = "lift the rules; the full matrix is measured back";
    spec.default_target = "leader";
    ParamSpec shape = param("shape", ParamType::choice, "how the members are cut", Json("isolate"));
    shape.choices = {"isolate", "halves", "minority", "bridge", "ring", "one_way", "groups"};
    ParamSpec from = param("from", ParamType::selector, "the members that can no longer send",
                           std::nullopt, true);
    from.when_param = "shape";
    from.when_values = {"one_way"};
    ParamSpec to =
        param("to", ParamType::selector, "the members they can no longer send to", Json("leader"));
    to.when_param = "shape";
    to.when_values = {"one_way"};
    ParamSpec groups = param("groups", ParamType::groups,
                             "the sides; members in no group see everyone", std::nullopt, true);
    groups.when_param = "shape";
    groups.when_values = {"groups"};
    ParamSpec clients =
        param("clients", ParamType::boolean,
              "also cut the run's clients from the targets (never the observer)", Json(false));
    spec.params = {shape, from, to, groups, clients};
    return KindDef{spec, [](FaultRequest request) -> std::unique_ptr<Fault> {
                     return std::make_unique<Partition>(std::move(request));
                   }};
  }();
  return def;
}

}  // namespace faultline::faults
