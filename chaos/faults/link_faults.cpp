#include "chaos/faults/link_faults.hpp"
#include "chaos/faults/deadlines.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

namespace faultline::faults {

std::vector<ParamSpec> link_selection_params() {
  ParamSpec peers = param("peers", ParamType::selector, "the other end of each link", Json("all"));
  ParamSpec direction =
      param("direction", ParamType::choice,
            "out: what the targets send; in: what they receive; both", Json("both"));
  direction.choices = {"both", "out", "in"};
  ParamSpec clients =
      param("clients", ParamType::boolean,
            "also the links between the run's clients and the targets (never the observer's)",
            Json(false));
  return {peers, direction, clients};
}

std::optional<LinkSelection> select_links(FaultEnvironment& env, const FaultRequest& request,
                                          Deadline deadline, std::string& error) {
  const Selection targets = resolve_members(env, request.target, deadline);
  if (targets.ids.empty()) {
    error = no_match(request);
    return std::nullopt;
  }
  const std::string peers_selector = request.params.value("peers", std::string("all"));
  std::vector<std::string> peers;
  if (peers_selector == "all") {
    peers = env.voters();
    const auto workers = env.workers();
    peers.insert(peers.end(), workers.begin(), workers.end());
    const auto others = env.others();
    peers.insert(peers.end(), others.begin(), others.end());
  } else {
    peers = resolve_members(env, peers_selector, deadline).ids;
  }
  const std::string direction = request.params.value("direction", std::string("both"));
  const bool out = direction != "in";
  const bool in = direction != "out";
  std::set<Link> links;
  for (const auto& t : targets.ids) {
    for (const auto& p : peers) {
      if (p == t) continue;
      if (out) links.insert({t, p});
      if (in) links.insert({p, t});
    }
    if (request.params.value("clients", false)) {
      if (out) links.insert({t, kClients});
      if (in) links.insert({kClients, t});
    }
  }
  if (links.empty()) {
    error = fault_label(request) + "no link matches: target '" + request.target + "' with peers '" +
            peers_selector + "'";
    return std::nullopt;
  }
  return LinkSelection{targets.ids, {links.begin(), links.end()}, targets.term};
}

Json links_json(const std::vector<Link>& links) {
  Json out = Json::array();
  for (const auto& l : links) out.push_back(Json::array({l.from, l.to}));
  return out;
}

namespace {

// "393.2" — milliseconds for people.
std::string ms_text(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", ms);
  return buf;
}

class LinkFault final : public Fault {
 public:
  LinkFault(FaultRequest request, EffectOf effect, Confirm confirm)
      : Fault(std::move(request)), effect_(std::move(effect)), confirm_(std::move(confirm)) {}

  std::optional<std::string> inject(FaultEnvironment& env, Injection& out) override {
    LinkControl* links = env.links();
    if (links == nullptr) {
      return fault_label(request_) + "this run has no network to act on (the loopback backend)";
    }
    std::string error;
    auto selection =
        select_links(env, request_, std::chrono::steady_clock::now() + kResolveDeadline, error);
    if (!selection) return error;
    const LinkEffect effect = effect_(request_.params);
    LinkEffects effects;
    for (const auto& l : selection->links) effects[l] = effect;
    out.targets = selection->targets;
    out.term = selection->term;
    out.signal_t_ns = env.now_ns();
    if (auto failed = links->set(static_cast<int>(request_.index), effects))
      return fault_label(request_) + *failed;
    set_ = true;
    out.effect_t_ns = env.now_ns();
    links_ = selection->links;
    out.detail["links"] = links_json(links_);
    out.detail["backend"] = links->backend();
    out.applied = describe(effect) + " on " + std::to_string(links_.size()) + " links (" +
                  links->backend() + " backend)";
    if (auto failed = confirm_(env, request_, links_, out.confirmed, out.measured)) {
      links->clear(static_cast<int>(request_.index));
      set_ = false;
      return fault_label(request_) + "not confirmed: " + *failed;
    }
    return std::nullopt;
  }

  std::optional<std::string> heal(FaultEnvironment& env, Healing& out) override {
    LinkControl* links = env.links();
    if (links == nullptr || !set_) return std::nullopt;
    out.measured = links->counters(static_cast<int>(request_.index));
    if (auto failed = links->clear(static_cast<int>(request_.index)))
      return fault_label(request_) + *failed;
    set_ = false;
    out.applied = "lifted from " + std::to_string(links_.size()) + " links";
    out.confirmed = "no rule or toxic of this fault is left (" + links->backend() + " backend)";
    return std::nullopt;
  }

 private:
  static std::string describe(const LinkEffect& e) {
    std::vector<std::string> parts;
    if (e.latency_ms > 0 || e.jitter_ms > 0) {
      parts.push_back("latency " + Json(e.latency_ms).dump() + " ms (jitter " +
                      Json(e.jitter_ms).dump() + " ms, " + e.distribution + ")");
    }
    if (e.loss > 0) parts.push_back("loss " + Json(e.loss).dump());
    if (e.bandwidth_bytes_per_s > 0)
      parts.push_back("bandwidth " + Json(e.bandwidth_bytes_per_s).dump() + " B/s");
    if (e.reset) parts.push_back("reset");
    if (e.blackhole) parts.push_back("blackhole");
    if (e.slow_close_ms > 0) parts.push_back("slow close " + Json(e.slow_close_ms).dump() + " ms");
    if (e.timeout_ms) parts.push_back("timeout " + std::to_string(*e.timeout_ms) + " ms");
    if (e.limit_bytes) parts.push_back("limit " + std::to_string(*e.limit_bytes) + " bytes");
    std::string text;
    for (const auto& p : parts) text += (text.empty() ? "" : ", ") + p;
    return text;
  }

  EffectOf effect_;
  Confirm confirm_;
  bool set_ = false;
  std::vector<Link> links_;
};

// Member-to-member links only (the clients have no namespace to probe from).
std::vector<Link> member_links(const std::vector<Link>& links) {
  std::vector<Link> out;
  for (const auto& l : links) {
    if (l.from != kClients && l.to != kClients) out.push_back(l);
  }
  return out;
}

}  // namespace

std::unique_ptr<Fault> make_link_fault(FaultRequest request, EffectOf effect, Confirm confirm) {
  return std::make_unique<LinkFault>(std::move(request), std::move(effect), std::move(confirm));
}

std::optional<std::string> confirm_round_trip(FaultEnvironment& env, const FaultRequest& request,
                                              const std::vector<Link>& links,
                                              std::string& confirmed, Json& measured) {
  const auto probed = member_links(links);
  if (probed.empty()) return confirm_installed(env, request, links, confirmed, measured);
  // The delay of a round trip on the first probed link: both of its
  // directions, when the fault covers both.
  const Link& link = probed.front();
  const bool both = std::find(links.begin(), links.end(), Link{link.to, link.from}) != links.end();
  const double delay = request.params.value("delay_ms", 0.0);
  const double jitter = request.params.value("jitter_ms", 0.0);
  const double expected = delay * (both ? 2 : 1);
  const RttProbe rtt = env.links()->rtt(link, 5);
  measured = Json{{"link", Json::array({link.from, link.to})}, {"expected_added_ms", expected}};
  measured["samples_ms"] = rtt.samples_ms;
  const auto median = rtt.median_ms();
  if (!median)
    return "no round trip over " + link.from + "->" + link.to + " answered: " + rtt.error;
  measured["median_ms"] = *median;
  const double slack = expected * 0.10 + 5.0 + 2 * jitter * (both ? 2 : 1);
  if (std::fabs(*median - expected) > slack) {
    return "round trip over " + link.from + "<->" + link.to + " measured " + ms_text(*median) + " ms, expected " +
           ms_text(expected) + " ms +- " + ms_text(slack) + " ms";
  }
  confirmed = "round trip over " + link.from + "<->" + link.to + " measured " + ms_text(*median) +
              " ms (median of " + std::to_string(rtt.samples_ms.size()) + "), configured " + ms_text(expected) +
              " ms added";
  return std::nullopt;
}

std::optional<std::string> confirm_connects(FaultEnvironment& env, const FaultRequest& request,
                                            const std::vector<Link>& links, bool reachable,
                                            std::string& confirmed, Json& measured) {
  const auto probed = member_links(links);
  if (probed.empty()) return confirm_installed(env, request, links, confirmed, measured);
  std::set<std::string> members;
  for (const auto& l : probed) {
    members.insert(l.from);
    members.insert(l.to);
  }
  const auto probes = env.links()->reachability({members.begin(), members.end()});
  measured = Json::array();
  std::size_t wrong = 0;
  for (const auto& p : probes) {
    const bool covered =
        std::find(probed.begin(), probed.end(), Link{p.from, p.to}) != probed.end();
    if (!covered) continue;
    measured.push_back(
        Json{{"from", p.from}, {"to", p.to}, {"outcome", p.outcome}, {"ms", p.elapsed_ms}});
    if (p.reachable != reachable) ++wrong;
  }
  if (wrong > 0) {
    return std::to_string(wrong) + " of " + std::to_string(measured.size()) + " links still " +
           (reachable ? "refuse" : "accept") + " connections: " + measured.dump();
  }
  confirmed = std::to_string(measured.size()) + " connect probes, every one " +
              (reachable ? "connected" : "refused or cut");
  return std::nullopt;
}

std::optional<std::string> confirm_installed(FaultEnvironment& env, const FaultRequest& request,
                                             const std::vector<Link>&, std::string& confirmed,
                                             Json& measured) {
  if (auto missing = env.links()->verify(static_cast<int>(request.index))) return *missing;
  confirmed = "read back from the " + env.links()->backend() + " backend: in force";
  measured = env.links()->counters(static_cast<int>(request.index));
  return std::nullopt;
}

}  // namespace faultline::faults
