#include "tests/faults/fake_environment.hpp"

#include <signal.h>

#include <algorithm>

namespace faultline::testing {

process::SpawnResult FakeProcessControl::spawn(const process::MemberSpec& spec) {
  calls.push_back("spawn " + spec.id);
  running.insert(spec.id);
  return {100, {}};
}

process::ExitResult FakeProcessControl::kill(const std::string& id, int signal, process::Clock::time_point) {
  calls.push_back("kill " + id + " " + std::to_string(signal));
  process::ExitResult r;
  r.pid = 100;
  if (!running.erase(id)) {
    r.error = "member '" + id + "' is not running";
    return r;
  }
  r.exit = process::ExitStatus{std::nullopt, signal};
  return r;
}

process::SignalResult FakeProcessControl::pause(const std::string& id, process::Clock::time_point) {
  calls.push_back("pause " + id);
  if (refuse_pause.count(id)) return {100, "", "pid 100 did not stop"};
  return {100, "pid 100 state T (stopped)", ""};
}

process::SignalResult FakeProcessControl::resume(const std::string& id, process::Clock::time_point) {
  calls.push_back("resume " + id);
  return {100, "pid 100 state S", ""};
}

process::ExitResult FakeProcessControl::stop(const std::string& id, std::chrono::milliseconds) {
  calls.push_back("stop " + id);
  running.erase(id);
  process::ExitResult r;
  r.exit = process::ExitStatus{0, std::nullopt};
  return r;
}

process::SpawnResult FakeProcessControl::restart(const std::string& id, std::chrono::milliseconds) {
  calls.push_back("restart " + id);
  running.insert(id);
  return {101, {}};
}

process::ExitResult FakeProcessControl::wait_exit(const std::string&, process::Clock::time_point) {
  return {};
}

std::optional<int> FakeProcessControl::pid(const std::string&) const { return 100; }

std::vector<std::string> FakeProcessControl::shutdown_all() {
  running.clear();
  return {};
}

std::optional<std::string> FakeLinkControl::set(int owner, const faults::LinkEffects& effects) {
  calls.push_back("set " + std::to_string(owner));
  owners[owner] = effects;
  return std::nullopt;
}

std::optional<std::string> FakeLinkControl::clear(int owner) {
  calls.push_back("clear " + std::to_string(owner));
  owners.erase(owner);
  return std::nullopt;
}

std::optional<std::string> FakeLinkControl::verify(int owner) {
  if (!owners.count(owner)) return "nothing of owner " + std::to_string(owner) + " is in force";
  return std::nullopt;
}

nlohmann::json FakeLinkControl::counters(int owner) { return {{"owner", owner}}; }

bool FakeLinkControl::blocked(const faults::Link& link) const {
  for (const auto& [owner, effects] : owners) {
    const auto it = effects.find(link);
    if (it != effects.end() && (it->second.blocked || it->second.reset)) return true;
  }
  return false;
}

std::vector<faults::ReachProbe> FakeLinkControl::reachability(const std::vector<std::string>& members) {
  std::vector<faults::ReachProbe> out;
  for (const auto& a : members) {
    for (const auto& b : members) {
      if (a == b) continue;
      bool reachable = !blocked({a, b});
      if (lie_about.count({a, b})) reachable = !reachable;
      out.push_back({a, b, 7000, reachable, reachable ? "connected" : "timeout", 1.0});
    }
  }
  return out;
}

faults::RttProbe FakeLinkControl::rtt(const faults::Link& link, int count) {
  double added = rtt_ms;
  for (const auto& [owner, effects] : owners) {
    for (const auto& l : {link, faults::Link{link.to, link.from}}) {
      const auto it = effects.find(l);
      if (it != effects.end()) added += it->second.latency_ms;
    }
  }
  faults::RttProbe probe;
  probe.link = link;
  for (int i = 0; i < count; ++i) probe.samples_ms.push_back(added + 0.1);
  return probe;
}

FakeEnvironment::FakeEnvironment(std::vector<std::string> voters, std::vector<std::string> workers,
                                 std::string leader_id)
    : leader(std::move(leader_id)), voters_(std::move(voters)), workers_(std::move(workers)) {
  for (const auto& id : voters_) processes_.running.insert(id);
  for (const auto& id : workers_) processes_.running.insert(id);
}

std::vector<faults::MemberView> FakeEnvironment::observe() {
  std::vector<faults::MemberView> views;
  for (const auto& id : voters_) {
    const bool up = processes_.running.count(id) > 0;
    views.push_back({id, true, up, up ? (id == leader ? "leader" : "follower") : "", 3});
  }
  for (const auto& id : workers_) views.push_back({id, false, processes_.running.count(id) > 0, "", 0});
  for (const auto& id : others_list) views.push_back({id, false, true, "", 0, true});
  return views;
}

bool FakeEnvironment::restart(const std::string& id, faults::Deadline, std::string&) {
  processes_.spawn(process::MemberSpec{id, {}, {}, {}, {}, -1});
  return true;
}

bool FakeEnvironment::is_worker(const std::string& id) const {
  return std::find(workers_.begin(), workers_.end(), id) != workers_.end();
}

void FakeEnvironment::record(const std::string& event_kind, faults::Json fields) {
  events.emplace_back(event_kind, std::move(fields));
}

const faults::Json* FakeEnvironment::last(const std::string& event_kind) const {
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    if (it->first == event_kind) return &it->second;
  }
  return nullptr;
}

faults::FaultRequest request_for(const std::string& kind, const std::string& target, faults::Json params,
                                 std::size_t index) {
  faults::FaultRequest r;
  r.index = index;
  r.spec = faults::find_kind(kind);
  r.target = target;
  if (r.spec != nullptr) {
    for (const auto& p : r.spec->params) {
      if (!params.contains(p.name) && p.fallback && p.when_param.empty()) params[p.name] = *p.fallback;
    }
  }
  r.params = std::move(params);
  return r;
}

}  // namespace faultline::testing
