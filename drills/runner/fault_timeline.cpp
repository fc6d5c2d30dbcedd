#include "drills/runner/fault_timeline.hpp"

#include <signal.h>

#include <thread>

namespace faultline::runner {

using Json = journal::Json;
using SteadyClock = std::chrono::steady_clock;

namespace {
constexpr auto kKillDeadline = std::chrono::seconds(5);
constexpr auto kRestartDeadline = std::chrono::seconds(15);
constexpr auto kResolveDeadline = std::chrono::seconds(5);
constexpr long kStatusTimeoutMs = 200;
}  // namespace

FaultTimeline::FaultTimeline(std::vector<plan::FaultSpec> faults, EmbeddedCluster& cluster,
                             journal::JournalWriter& journal, std::uint64_t seed,
                             std::function<std::optional<std::string>()> busiest_worker)
    : cluster_(cluster), journal_(journal), rng_(seed ^ 0x5eedfa17u),
      busiest_worker_(std::move(busiest_worker)) {
  for (auto& f : faults) slots_.push_back(Slot{std::move(f), false, false, ""});
}

std::optional<std::string> FaultTimeline::step(SteadyClock::duration elapsed) {
  const auto elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    Slot& slot = slots_[i];
    if (!slot.injected && elapsed_ms >= slot.spec.at_ms) {
      if (auto error = inject(i)) return error;
    }
    if (slot.injected && !slot.healed && slot.spec.restart_after_ms &&
        elapsed_ms >= slot.spec.at_ms + *slot.spec.restart_after_ms) {
      if (auto error = heal(i)) return error;
    }
  }
  return std::nullopt;
}

std::optional<std::string> FaultTimeline::finish() {
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    const Slot& slot = slots_[i];
    // A paused process is always resumed: it must not outlive the run
    // stopped, and the read-back needs the cluster whole.
    const bool heal_now = slot.spec.restart_after_ms || slot.spec.kind == plan::FaultKind::pause;
    if (slot.injected && !slot.healed && heal_now) {
      if (auto error = heal(i)) return error;
    }
  }
  return std::nullopt;
}

bool FaultTimeline::is_worker(const std::string& id) const {
  const MemberInfo* m = cluster_.member(id);
  return m != nullptr && m->is_worker();
}

std::optional<std::string> FaultTimeline::resolve(const std::string& selector,
                                                  std::uint64_t& term) {
  const auto deadline = SteadyClock::now() + kResolveDeadline;
  if (selector == "worker" || is_worker(selector)) {
    // Workers have no Raft role: "worker" is the one most sessions are
    // pinned to (the first worker before any call succeeded).
    std::optional<std::string> chosen = selector;
    if (selector == "worker") {
      chosen = busiest_worker_ ? busiest_worker_() : std::nullopt;
      if (!chosen && !cluster_.workers().empty()) chosen = cluster_.workers().front().id;
    }
    if (chosen && cluster_.processes().is_running(*chosen)) return chosen;
    return std::nullopt;
  }
  while (SteadyClock::now() < deadline) {
    std::vector<std::pair<std::string, MemberStatus>> up;
    for (const auto& m : cluster_.members()) {
      auto s = EmbeddedCluster::status(m.url, kStatusTimeoutMs);
      if (s.up) up.emplace_back(m.id, s);
    }
    if (selector == "leader") {
      const std::pair<std::string, MemberStatus>* best = nullptr;
      for (const auto& candidate : up) {
        if (candidate.second.role == "leader" && (!best || candidate.second.term > best->second.term)) {
          best = &candidate;
        }
      }
      if (best) {
        term = best->second.term;
        return best->first;
      }
    } else if (selector == "follower") {
      std::vector<const std::pair<std::string, MemberStatus>*> followers;
      for (const auto& candidate : up) {
        if (candidate.second.role == "follower") followers.push_back(&candidate);
      }
      if (!followers.empty()) {
        const auto* chosen = followers[rng_() % followers.size()];
        term = chosen->second.term;
        return chosen->first;
      }
    } else {
      for (const auto& candidate : up) {
        if (candidate.first == selector) {
          term = candidate.second.term;
          return candidate.first;
        }
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return std::nullopt;
}

std::optional<std::string> FaultTimeline::inject(std::size_t index) {
  Slot& slot = slots_[index];
  journal_.write("phase", Json{{"phase", "inject"}});
  std::uint64_t term = 0;
  const auto target = resolve(slot.spec.target, term);
  if (!target) {
    return "fault " + std::to_string(index) + ": nothing matches target '" + slot.spec.target +
           "' (no such worker, or no coordinator up in that role within 5 s)";
  }
  slot.target = *target;
  const bool worker = is_worker(*target);
  auto& processes = cluster_.processes();
  const int pid = processes.pid(*target).value_or(-1);
  Json event{{"fault", index},
             {"fault_kind", std::string(plan::fault_kind_name(slot.spec.kind))},
             {"selector", slot.spec.target},
             {"targets", Json::array({*target})}};
  // The effect may start as soon as the signal is sent, before it is
  // confirmed (a router can see a refused connection first): checkers that
  // judge causes start the fault here.
  event["signal_t_ns"] = journal_.now_ns();
  if (slot.spec.kind == plan::FaultKind::pause) {
    const auto paused = processes.pause(*target, SteadyClock::now() + kKillDeadline);
    if (!paused.ok()) {
      return "fault " + std::to_string(index) + ": SIGSTOP of " + *target +
             " was not confirmed: " + paused.error;
    }
    event["params"] = Json{{"signal", "SIGSTOP"}};
    event["applied"] = "SIGSTOP to process group of pid " + std::to_string(pid);
    event["confirmed"] = paused.confirmed;
  } else {
    const auto killed = processes.kill(*target, SIGKILL, SteadyClock::now() + kKillDeadline);
    if (!killed.ok()) {
      return "fault " + std::to_string(index) + ": SIGKILL of " + *target +
             " was not confirmed: " +
             (killed.error.empty() ? "still running at the deadline" : killed.error);
    }
    event["params"] = Json{{"signal", "SIGKILL"}};
    event["applied"] = "SIGKILL to process group of pid " + std::to_string(pid);
    event["confirmed"] = killed.confirmation();
  }
  event["term"] = worker ? Json(nullptr) : Json(term);
  slot.injected = true;
  journal_.write("fault.inject", event);
  if (slot.spec.kind == plan::FaultKind::kill) {
    journal_.write(worker ? "worker.exit" : "member.exit", Json{{worker ? "worker" : "member", *target},
                                                                {"pid", pid},
                                                                {"signal", SIGKILL},
                                                                {"code", nullptr},
                                                                {"expected", true}});
  }
  journal_.write("phase", Json{{"phase", "observe"}});
  return std::nullopt;
}

std::optional<std::string> FaultTimeline::heal(std::size_t index) {
  Slot& slot = slots_[index];
  journal_.write("phase", Json{{"phase", "heal"}});
  const bool worker = is_worker(slot.target);
  const std::string kind(plan::fault_kind_name(slot.spec.kind));
  if (slot.spec.kind == plan::FaultKind::pause) {
    const int pid = cluster_.processes().pid(slot.target).value_or(-1);
    const auto resumed = cluster_.processes().resume(slot.target, SteadyClock::now() + kKillDeadline);
    if (!resumed.ok()) {
      return "fault " + std::to_string(index) + ": SIGCONT of " + slot.target +
             " was not confirmed: " + resumed.error;
    }
    slot.healed = true;
    journal_.write("fault.heal", Json{{"fault", index},
                                      {"fault_kind", kind},
                                      {"targets", Json::array({slot.target})},
                                      {"applied", "SIGCONT to process group of pid " + std::to_string(pid)},
                                      {"confirmed", resumed.confirmed}});
    return std::nullopt;
  }
  std::string error;
  if (!cluster_.restart(slot.target, SteadyClock::now() + kRestartDeadline, error)) {
    return "fault " + std::to_string(index) + ": restarting " + slot.target + " failed: " + error;
  }
  slot.healed = true;
  const int pid = cluster_.processes().pid(slot.target).value_or(-1);
  const MemberInfo* member = cluster_.member(slot.target);
  journal_.write(worker ? "worker.start" : "member.start",
                 Json{{worker ? "worker" : "member", slot.target},
                      {"pid", pid},
                      {"url", member ? member->url : ""},
                      {"restart", true}});
  journal_.write("fault.heal", Json{{"fault", index},
                                    {"fault_kind", kind},
                                    {"targets", Json::array({slot.target})},
                                    {"applied", "restarted as pid " + std::to_string(pid)},
                                    {"confirmed", "/health answered 200"}});
  return std::nullopt;
}

}  // namespace faultline::runner
