#include "tests/faults/fake_environment.hpp"

#include <signal.h>

#include <algorithm>
#include <fstream>
#include <sstream>

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
  exits[id] = *r.exit;
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
  process::ExitResult r;
  if (!running.erase(id)) {
    r.error = "member '" + id + "' is not running";
    return r;
  }
  r.exit = process::ExitStatus{0, std::nullopt};
  exits[id] = *r.exit;
  return r;
}

process::SpawnResult FakeProcessControl::restart(const std::string& id, std::chrono::milliseconds) {
  calls.push_back("restart " + id);
  running.insert(id);
  return {101, {}};
}

process::ExitResult FakeProcessControl::wait_exit(const std::string& id, process::Clock::time_point) {
  process::ExitResult r;
  r.pid = 100;
  if (running.count(id)) {
    r.timed_out = true;
    return r;
  }
  const auto it = exits.find(id);
  if (it != exits.end()) r.exit = it->second;
  return r;
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
    views.push_back({id, true, up, up ? (id == leader ? "leader" : "follower") : "", term});
  }
  for (const auto& id : workers_) views.push_back({id, false, processes_.running.count(id) > 0, "", 0});
  for (const auto& id : others_list) views.push_back({id, false, true, "", 0, true});
  return views;
}

bool FakeEnvironment::restart(const std::string& id, faults::Deadline, std::string&) {
  processes_.spawn(process::MemberSpec{id, {}, {}, {}, {}, -1});
  if (on_restart) on_restart(id);
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

namespace faultline::testing {
namespace {

std::int64_t mono_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

faults::AdminAnswer FakeEnvironment::admin(const std::string& id, const std::string& method,
                                           const std::string& path, const faults::Json& body) {
  admin_calls.push_back(method + " " + id + " " + path + (body.is_null() ? "" : " " + body.dump()));
  faults::AdminAnswer a;
  if (no_admin.count(id) || is_worker(id) || !processes_.running.count(id)) {
    a.error = id + " has no admin endpoint answering";
    return a;
  }
  Failpoints& f = failpoints[id];
  if (method == "PUT" && path == "/admin/failpoints/clock") {
    const std::string mode = body.value("mode", "");
    if (mode == "offset") f.skew_ms = body.value("offset_ms", 0.0);
    if (mode == "jump") f.skew_ms += body.value("offset_ms", 0.0);
    if (mode == "drift") {
      f.drift_pct = body.value("drift_pct", 0.0);
      f.drift_since = std::chrono::steady_clock::now();
    }
    if (mode == "off" || mode == "slew") f = Failpoints{};  // the fake slews at once
  } else if (method == "PUT" && path == "/admin/failpoints/disk") {
    f.disk = body.value("mode", "off");
    f.delay_ms = body.value("delay_ms", 0.0);
    // A disk that fails crashes its member at its next sync: here, at once.
    if (f.disk == "fail_fsync") {
      processes_.running.erase(id);
      processes_.exits[id] = process::ExitStatus{std::nullopt, 6};
    }
  }
  a.sent_mono_ns = mono_ns();
  double skew = f.skew_ms;
  if (f.drift_pct != 0) {
    const double since = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - f.drift_since).count();
    skew += since * f.drift_pct / 100.0;
  }
  a.answered_mono_ns = mono_ns();
  const double mid_ms = static_cast<double>(a.sent_mono_ns + a.answered_mono_ns) / 2e6;
  a.status = 200;
  const bool skewed = f.skew_ms != 0 || f.drift_pct != 0;
  a.body = faults::Json{{"clock", {{"now_ms", static_cast<std::int64_t>(mid_ms + skew)},
                                   {"mode", skewed ? "skewed" : "off"},
                                   {"slew_left_ms", 0}}},
                        {"disk",
                         {{"mode", f.disk},
                          {"syncs_in_mode", f.disk == "off" ? 0 : 3},
                          {"mean_ms", f.delay_ms + 0.5},
                          {"max_ms", f.delay_ms + 1.0},
                          {"lied", f.disk == "lying_fsync" ? 3 : 0},
                          {"synced_copy", f.disk == "lying_fsync"}}}};
  return a;
}

faults::ClockAccess FakeEnvironment::clock_access(const std::string& id) {
  faults::ClockAccess access;
  if (!is_worker(id)) {
    access.way = faults::ClockAccess::Way::failpoint;
  } else if (!faketime_dir.empty()) {
    access.way = faults::ClockAccess::Way::faketime;
    access.faketime_file = faketime_dir / (id + ".rc");
  } else {
    access.why_not = "worker " + id + " was started without libfaketime";
  }
  return access;
}

faults::LogPosition FakeEnvironment::log_position(const std::string& id) {
  if (log_script) return log_script(id);
  const auto it = commit.find(id);
  return {processes_.running.count(id) > 0, it == commit.end() ? 10 : it->second, 10};
}

bool FakeEnvironment::caught_up(const std::string& id, std::string& why) {
  if (lagging.count(id) || !processes_.running.count(id)) {
    why = id + " lags";
    return false;
  }
  return true;
}

bool FakeEnvironment::drop_unsynced(const std::string& id, faults::Json& report, std::string&) {
  dropped.push_back(id);
  const bool lied = failpoints[id].disk == "lying_fsync";
  report = faults::Json{{"restored", lied}, {"bytes_dropped", lied ? 100 : 0}};
  failpoints[id] = Failpoints{};  // the next process starts with none
  return true;
}

faults::ProbeOutput FakeEnvironment::probe(const std::string& id, const std::vector<std::string>&,
                                           std::chrono::milliseconds) {
  // `date +%s.%N` under libfaketime: the true time plus the control file's offset.
  faults::ProbeOutput out;
  double offset_s = 0;
  std::ifstream in(clock_access(id).faketime_file);
  in >> offset_s;
  const double now_s =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  std::ostringstream text;
  text.precision(17);
  text << now_s + offset_s << "\n";
  out.output = text.str();
  return out;
}

process::SpawnResult FakeEnvironment::start_helper(const std::string&, const std::string& name,
                                                   const std::vector<std::string>& argv) {
  helpers.push_back(argv);
  return processes_.spawn(process::MemberSpec{name, argv, {}, {}, {}, -1});
}

}  // namespace faultline::testing
