#include "drills/runner/run_environment.hpp"

#include <csignal>
#include <fstream>
#include <sstream>

#include "cluster/util/clock.hpp"

namespace faultline::runner {
namespace {
constexpr long kStatusTimeoutMs = 200;
constexpr long kAdminTimeoutMs = 10'000;  // a disk switch waits for a sync in progress
}  // namespace

RunEnvironment::RunEnvironment(targets::Target& target, process::ProcessControl& processes,
                               network::Network& network, journal::JournalWriter& journal,
                               std::uint64_t seed,
                               std::function<std::optional<std::string>()> busiest_worker)
    : target_(target), processes_(processes), network_(network), journal_(journal),
      rng_(seed ^ 0x5eedfa17u), busiest_worker_(std::move(busiest_worker)) {}

std::vector<faults::MemberView> RunEnvironment::observe() {
  std::vector<faults::MemberView> views;
  const auto voting = target_.voters();
  const auto reports = target_.status_all(kStatusTimeoutMs);
  for (std::size_t i = 0; i < voting.size(); ++i) {
    views.push_back({voting[i]->id, true, reports[i].up, reports[i].role, reports[i].term});
  }
  for (const auto* w : target_.workers()) {
    views.push_back({w->id, false, processes_.is_running(w->id), "", 0});
  }
  for (const auto* o : target_.others()) {
    views.push_back({o->id, false, processes_.is_running(o->id), "", 0, true});
  }
  return views;
}

bool RunEnvironment::restart(const std::string& id, faults::Deadline deadline, std::string& error) {
  if (!target_.restart(id, deadline, error)) return false;
  const targets::MemberInfo* m = target_.member(id);
  const bool worker = m != nullptr && m->is_worker();
  journal::Json start{{worker ? "worker" : "member", id},
                      {"pid", processes_.pid(id).value_or(-1)},
                      {"url", m ? m->url : ""},
                      {"restart", true}};
  if (!worker) start["voter"] = m == nullptr || m->voter;
  journal_.write(worker ? "worker.start" : "member.start", std::move(start));
  return true;
}

bool RunEnvironment::is_worker(const std::string& id) const {
  const targets::MemberInfo* m = target_.member(id);
  return m != nullptr && m->is_worker();
}

std::vector<std::string> RunEnvironment::voters() const {
  std::vector<std::string> ids;
  for (const auto* m : target_.voters()) ids.push_back(m->id);
  return ids;
}

std::vector<std::string> RunEnvironment::workers() const {
  std::vector<std::string> ids;
  for (const auto* m : target_.workers()) ids.push_back(m->id);
  return ids;
}

std::vector<std::string> RunEnvironment::others() const {
  std::vector<std::string> ids;
  for (const auto* m : target_.others()) ids.push_back(m->id);
  return ids;
}

void RunEnvironment::record(const std::string& event_kind, faults::Json fields) {
  journal_.write(event_kind, std::move(fields));
}

}  // namespace faultline::runner

namespace faultline::runner {

faults::AdminAnswer RunEnvironment::admin(const std::string& id, const std::string& method,
                                          const std::string& path, const faults::Json& body) {
  faults::AdminAnswer answer;
  const targets::MemberInfo* m = target_.member(id);
  if (m == nullptr) {
    answer.error = "no member " + id;
    return answer;
  }
  answer.sent_mono_ns = util::monotonic_clock().true_ns();
  const auto reply = target_.admin(*m, method, path, body.is_null() ? "" : body.dump(), kAdminTimeoutMs);
  answer.answered_mono_ns = util::monotonic_clock().true_ns();
  answer.status = reply.status;
  answer.error = reply.error;
  answer.body = faults::Json::parse(reply.body, nullptr, false);
  if (answer.body.is_discarded()) answer.body = nullptr;
  if (answer.error.empty() && answer.status != 200) {
    answer.error = id + " answered " + method + " " + path + " with " + std::to_string(answer.status) + ": " +
                   reply.body;
  }
  return answer;
}

faults::ClockAccess RunEnvironment::clock_access(const std::string& id) {
  const targets::MemberInfo* m = target_.member(id);
  if (m == nullptr) return faults::ClockAccess{faults::ClockAccess::Way::none, {}, "no member " + id};
  return target_.clock_access(*m);
}

faults::LogPosition RunEnvironment::log_position(const std::string& id) {
  const targets::MemberInfo* m = target_.member(id);
  if (m == nullptr || !m->voter) return {};
  const auto s = target_.status(*m, kStatusTimeoutMs);
  return {s.up, s.commit_index, s.applied_index};
}

bool RunEnvironment::caught_up(const std::string& id, std::string& why) {
  const targets::MemberInfo* m = target_.member(id);
  if (m == nullptr) {
    why = "no member " + id;
    return false;
  }
  return target_.caught_up(*m, why);
}

bool RunEnvironment::drop_unsynced(const std::string& id, faults::Json& report, std::string& error) {
  const targets::MemberInfo* m = target_.member(id);
  if (m == nullptr) {
    error = "no member " + id;
    return false;
  }
  return target_.drop_unsynced(*m, report, error);
}

faults::ProbeOutput RunEnvironment::probe(const std::string& id, const std::vector<std::string>& argv,
                                          std::chrono::milliseconds timeout) {
  faults::ProbeOutput out;
  const targets::MemberInfo* m = target_.member(id);
  if (m == nullptr) {
    out.error = "no member " + id;
    return out;
  }
  process::MemberSpec spec;
  spec.id = "probe:" + id + ":" + std::to_string(++probes_);
  spec.argv = argv;
  spec.log_file = (m->dir / ("probe-" + std::to_string(probes_) + ".txt")).string();
  spec.netns_fd = network_.netns_fd(id);
  spec.env = target_.member_env(*m);
  out.start_mono_ns = util::monotonic_clock().true_ns();
  const auto spawned = processes_.spawn(spec);
  if (!spawned.ok()) {
    out.error = spawned.error;
    return out;
  }
  const auto exit = processes_.wait_exit(spec.id, std::chrono::steady_clock::now() + timeout);
  out.end_mono_ns = util::monotonic_clock().true_ns();
  if (!exit.ok()) {
    processes_.kill(spec.id, SIGKILL, std::chrono::steady_clock::now() + std::chrono::seconds(5));
    out.error = "the probe " + argv.front() + " did not finish in time";
  } else if (!exit.exit->exited_with(0)) {
    out.error = "the probe " + argv.front() + " " + exit.exit->describe();
  }
  std::ifstream in(spec.log_file);
  std::stringstream text;
  text << in.rdbuf();
  out.output = text.str();
  std::error_code ec;
  std::filesystem::remove(spec.log_file, ec);
  return out;
}

process::SpawnResult RunEnvironment::start_helper(const std::string& id, const std::string& name,
                                                  const std::vector<std::string>& argv) {
  const targets::MemberInfo* m = target_.member(id);
  if (m == nullptr) return {-1, "no member " + id};
  process::MemberSpec spec;
  spec.id = name;
  spec.argv = argv;
  std::string file = name;
  for (char& c : file) {
    if (c == ':' || c == '/') c = '-';
  }
  spec.log_file = (m->dir / (file + ".log")).string();
  spec.netns_fd = network_.netns_fd(id);
  return processes_.spawn(spec);
}

}  // namespace faultline::runner
