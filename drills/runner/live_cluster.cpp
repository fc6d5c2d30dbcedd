#include "drills/runner/live_cluster.hpp"

#include "chaos/faults/spec.hpp"
#include "chaos/process/wait.hpp"
#include "drills/targets/factory.hpp"

namespace faultline::runner {

using Json = journal::Json;
using SteadyClock = std::chrono::steady_clock;

namespace {
constexpr auto kStartTimeout = std::chrono::seconds(15);
constexpr auto kLeaderTimeout = std::chrono::seconds(15);

// The caller (DrillRun) names the real cause: the signal, or the journal.
std::string interrupted_text() { return "stopped while the cluster was coming up"; }
}  // namespace

std::optional<std::string> LiveCluster::check_kinds() const {
  for (std::size_t i = 0; i < plan_.faults.size(); ++i) {
    const faults::KindSpec* spec = faults::find_kind(plan_.faults[i].kind);
    if (spec != nullptr && spec->needs_kernel && network_->backend() != "kernel") {
      return "fault " + std::to_string(i) + " (" + spec->name +
             ") needs the kernel network backend (nftables in the members' namespaces), and this run has the " +
             network_->backend() + " backend";
    }
  }
  return std::nullopt;
}

std::optional<std::string> LiveCluster::bring_up(std::string& note) {
  std::string error;
  network::NetworkOptions options;
  options.backend = setup_.backend;
  options.link_faults = setup_.interpose_all;
  for (const auto& f : plan_.faults) {
    const faults::KindSpec* spec = faults::find_kind(f.kind);
    if (spec != nullptr && spec->targets == faults::TargetKind::links) {
      options.link_faults = true;
      if (f.params.value("clients", false)) options.client_links = true;
    }
  }
  options.seed = setup_.seed;
  // Members run with their own folder as the working directory, and their
  // configuration files name paths under it: a relative run folder (`--out
  // runs/x`) would resolve twice, so every target gets it absolute.
  std::error_code ec;
  const std::filesystem::path members_dir = std::filesystem::absolute(setup_.members_dir, ec);
  if (ec) return "cannot resolve the members' folder " + setup_.members_dir.string() + ": " + ec.message();
  target_ = targets::make_target(plan_, {members_dir, setup_.binary, setup_.seed, options.link_faults}, supervisor_,
                                 error);
  if (!target_) return error;
  for (const auto& [id, voter] : target_->member_ids()) options.members.push_back({id, voter});
  network_ = network::make_network(options, note, error);
  if (!network_) return error;
  if (!note.empty()) journal_.write("note", Json{{"text", note}});
  if (auto refused = check_kinds()) return *refused + (note.empty() ? "" : ": " + note);
  journal_.write("network", Json{{"backend", network_->backend()}, {"describe", network_->describe()}});
  target_->set_observer_address(network_->observer_address());
  Json not_promised = Json::array();
  for (const auto& n : target_->not_promised()) not_promised.push_back(Json{{"check", n.check}, {"why", n.why}});
  const targets::StatusReports reports = target_->reports();
  journal_.write("target", Json{{"target", target_->kind()},
                                {"roles", reports.roles},
                                {"commit_index", reports.commit_index},
                                {"not_promised", not_promised}});
  journal_.write("phase", Json{{"phase", "setup"}});
  if (process::stop_requested()) return interrupted_text();
  if (!target_->prepare(*network_, error)) return error;
  if (auto failed = network_->finish_setup()) return failed;
  if (process::stop_requested()) return interrupted_text();
  if (!target_->start_all(SteadyClock::now() + kStartTimeout, error)) {
    return process::stop_requested() ? interrupted_text() : error;
  }
  for (const auto& m : target_->members()) {
    Json start{{m.is_worker() ? "worker" : "member", m.id},
               {"pid", supervisor_.pid(m.id).value_or(-1)},
               {"url", m.url},
               {"address", m.host},
               {"restart", false}};
    if (!m.is_worker()) start["voter"] = m.voter;
    journal_.write(m.is_worker() ? "worker.start" : "member.start", std::move(start));
  }
  if (process::stop_requested()) return interrupted_text();
  journal_.write("phase", Json{{"phase", "warmup"}});
  // Without roles there is no leader to wait for: healthy members are all
  // this target can say.
  if (target_->reports().roles && !target_->wait_for_leader(SteadyClock::now() + kLeaderTimeout)) {
    if (process::stop_requested()) return interrupted_text();
    return "no leader was elected within 15 s; see the members' logs";
  }
  if (!target_->wait_ready(SteadyClock::now() + kLeaderTimeout, error)) {
    return process::stop_requested() ? interrupted_text() : error;
  }
  return std::nullopt;
}

void LiveCluster::stop_members() {
  if (target_) target_->stop_all();
  supervisor_.shutdown_all();
}

}  // namespace faultline::runner
