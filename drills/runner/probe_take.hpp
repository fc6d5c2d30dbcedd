// Taking one sample of one sampled probe (internal to the prober): the
// request to the selected member's HTTP API from the observer's address,
// the voters' latest reports from the observer (Monitor), or the command,
// each bounded by the probe's timeout_ms, then judged (probe_judge.hpp).
//
// The member a probe asks (`member`, a target selector) is resolved at each
// sample from the observer's latest view, as a fault's target is when it
// fires (a member named by id is asked whether it answers the observer or
// not); several selected members must all hold.
//
// Thread-safety: one ProbeTaker per thread, made and used on the probe's
// own thread: its HTTP client is that thread's, and a command probe's
// supervisor must spawn from the thread that made it (PR_SET_PDEATHSIG).
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <random>

#include "chaos/process/supervisor.hpp"
#include "cluster/http/client.hpp"
#include "drills/plan/model.hpp"
#include "drills/runner/monitor.hpp"
#include "drills/runner/probe_judge.hpp"
#include "drills/targets/target.hpp"

namespace faultline::runner {

class ProbeTaker {
 public:
  // `out_file`: where a command's output goes. `stopping`: true once the
  // run stops sampling (a running command is then killed at once).
  ProbeTaker(const plan::ProbeSpec& spec, targets::Target& target, const Monitor& monitor,
             std::filesystem::path out_file, std::uint64_t seed, std::function<bool()> stopping);

  ProbeOutcome take();

 private:
  ProbeOutcome take_http();
  ProbeOutcome take_raft();
  ProbeOutcome take_command();
  std::vector<const targets::MemberInfo*> selected(std::string& why);

  const plan::ProbeSpec& spec_;
  targets::Target& target_;
  const Monitor& monitor_;
  const std::filesystem::path out_file_;
  const std::function<bool()> stopping_;
  const long timeout_ms_;
  std::mt19937_64 rng_;
  http::Client client_;
  std::unique_ptr<process::Supervisor> supervisor_;  // command probes only
};

}  // namespace faultline::runner
