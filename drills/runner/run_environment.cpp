#include "drills/runner/run_environment.hpp"

namespace faultline::runner {
namespace {
constexpr long kStatusTimeoutMs = 200;
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
