#include "drills/runner/probe_take.hpp"

#include <signal.h>

#include <fstream>
#include <iterator>

#include "chaos/faults/selector.hpp"

namespace faultline::runner {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr std::size_t kMaxOutputBytes = 64 * 1024;
constexpr auto kExitPoll = std::chrono::milliseconds(10);
constexpr auto kKillWait = std::chrono::seconds(2);

std::string transport_text(const http::ClientResponse& r, long timeout_ms) {
  switch (r.transport) {
    case http::ClientResponse::Transport::timeout:
      return "no answer within " + std::to_string(timeout_ms) + " ms";
    case http::ClientResponse::Transport::refused:
      return "connection refused";
    default:
      return r.error.empty() ? "request failed" : r.error;
  }
}

std::string read_head(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string text;
  text.resize(kMaxOutputBytes);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

}  // namespace

ProbeTaker::ProbeTaker(const plan::ProbeSpec& spec, targets::Target& target, const Monitor& monitor,
                       std::filesystem::path out_file, std::uint64_t seed, std::function<bool()> stopping)
    : spec_(spec),
      target_(target),
      monitor_(monitor),
      out_file_(std::move(out_file)),
      stopping_(std::move(stopping)),
      timeout_ms_(spec.params.value("timeout_ms", 200L)),
      rng_(seed) {
  client_.set_source_address(target.observer_address());
  if (spec.kind == "command") supervisor_ = std::make_unique<process::Supervisor>();
}

ProbeOutcome ProbeTaker::take() {
  if (spec_.kind == "raft") return take_raft();
  if (spec_.kind == "command") return take_command();
  return take_http();
}

std::vector<const targets::MemberInfo*> ProbeTaker::selected(std::string& why) {
  const std::string selector = spec_.params.value("member", std::string("leader"));
  // A member named by id is asked whatever the observer last saw of it:
  // whether it answers is what the probe is for.
  if (const targets::MemberInfo* named = target_.member(selector)) return {named};
  std::vector<faults::MemberView> views;
  const auto latest = monitor_.latest();
  for (const targets::MemberInfo* m : target_.voters()) {
    const auto it = latest.find(m->id);
    const bool up = it != latest.end() && it->second.up;
    views.push_back({m->id, true, up, up ? it->second.role : "", up ? it->second.term : 0});
  }
  // Workers and other members count as up: the request itself says
  // whether they answer.
  for (const targets::MemberInfo* m : target_.workers()) views.push_back({m->id, false, true, "", 0});
  for (const targets::MemberInfo* m : target_.others()) views.push_back({m->id, false, true, "", 0, true});
  const faults::Selection selection = faults::select_members(selector, views, rng_, std::nullopt);
  std::vector<const targets::MemberInfo*> out;
  for (const auto& id : selection.ids) {
    if (const targets::MemberInfo* m = target_.member(id)) out.push_back(m);
  }
  if (out.empty()) why = "no member is " + selector + " now (as the observer last saw the members)";
  return out;
}

ProbeOutcome ProbeTaker::take_http() {
  std::string why;
  const auto members = selected(why);
  if (members.empty()) return failed_sample(why);
  const std::string path = spec_.kind == "cluster" ? "/api/cluster/status"
                                                   : spec_.params.value("path", std::string(spec_.kind == "metric"
                                                                                                ? "/metrics"
                                                                                                : "/health"));
  ProbeOutcome all;
  all.pass = true;
  Json values = Json::object();
  for (const targets::MemberInfo* m : members) {
    ProbeOutcome one;
    if (m->url.empty()) {
      one = failed_sample("it has no HTTP address");
    } else {
      const auto response = client_.get(m->url + path, timeout_ms_);
      if (!response.ok()) {
        one = failed_sample("GET " + path + ": " + transport_text(response, timeout_ms_));
      } else if (spec_.kind == "metric") {
        one = judge_metric(spec_.params, response.status, response.body);
      } else if (spec_.kind == "cluster") {
        one = judge_cluster(spec_.params, response.status, response.body);
      } else {
        one = judge_http(spec_.params, response.status, response.body);
      }
    }
    values[m->id] = one.value;
    if (!one.pass && all.pass) {
      all.pass = false;
      all.detail = m->id + ": " + one.detail;
    }
    if (members.size() == 1) all.value = one.value;
  }
  if (members.size() > 1) all.value = values;
  return all;
}

ProbeOutcome ProbeTaker::take_raft() {
  const auto latest = monitor_.latest();
  std::vector<std::pair<std::string, targets::MemberStatus>> voters;
  for (const targets::MemberInfo* m : target_.voters()) {
    const auto it = latest.find(m->id);
    voters.emplace_back(m->id, it == latest.end() ? targets::MemberStatus{} : it->second);
  }
  if (!target_.reports().roles) return failed_sample("the " + target_.kind() + " target's members report no role");
  return judge_raft(spec_.params, voters);
}

ProbeOutcome ProbeTaker::take_command() {
  process::MemberSpec spec;
  spec.id = "probe";
  spec.argv = spec_.params.value("argv", std::vector<std::string>{});
  spec.log_file = out_file_.string();
  if (spec.argv.empty()) return failed_sample("the command is empty");
  std::error_code ec;
  std::filesystem::remove(out_file_, ec);
  const auto began = SteadyClock::now();
  const auto deadline = began + std::chrono::milliseconds(timeout_ms_);
  const process::SpawnResult spawned = supervisor_->spawn(spec);
  if (!spawned.ok()) return failed_sample("cannot run " + spec.argv.front() + ": " + spawned.error);
  std::optional<process::ExitStatus> exit;
  while (!exit) {
    const auto slice = std::min(deadline, SteadyClock::now() + kExitPoll);
    const process::ExitResult r = supervisor_->wait_exit(spec.id, slice);
    if (r.exit) {
      exit = r.exit;
      break;
    }
    if (!r.error.empty()) return failed_sample(r.error);
    if (SteadyClock::now() >= deadline || stopping_()) break;
  }
  if (!exit) {
    supervisor_->kill(spec.id, SIGKILL, SteadyClock::now() + kKillWait);
    return failed_sample(stopping_() ? "stopped with the run"
                                     : "no exit within " + std::to_string(timeout_ms_) + " ms (killed)");
  }
  return judge_command(spec_.params, *exit, read_head(out_file_));
}

}  // namespace faultline::runner
