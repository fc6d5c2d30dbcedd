#include "drills/runner/rollbacks.hpp"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <random>

#include "chaos/faults/selector.hpp"
#include "drills/verify/objectives.hpp"

namespace faultline::runner {
namespace {

using Json = journal::Json;
using SteadyClock = std::chrono::steady_clock;

constexpr auto kRestartTimeout = std::chrono::seconds(15);
constexpr auto kKillWait = std::chrono::seconds(5);

struct Done {
  bool ok = true;
  std::string detail;
};

bool contains(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

Done heal_all(RollbackContext& c) {
  if (c.registry == nullptr || c.registry->count_in_force() == 0) return {true, "no fault was in force"};
  const std::size_t in_force = c.registry->count_in_force();
  const auto errors = c.registry->heal_all("rollback");
  if (!errors.empty()) return {false, errors.front()};
  return {true, "healed what was in force of " + std::to_string(in_force) + " fault(s)"};
}

// The members the selector names: by id, every voter ("all"), every worker;
// a role selector names members that hold the role, and so are up.
std::vector<std::string> restart_ids(const std::string& selector, faults::FaultEnvironment& env) {
  const auto voters = env.voters(), workers = env.workers(), others = env.others();
  if (selector == "all") return voters;
  if (selector == "workers") return workers;
  if (selector == "worker") {
    if (auto busiest = env.busiest_worker()) return {*busiest};
    return workers.empty() ? std::vector<std::string>{} : std::vector<std::string>{workers.front()};
  }
  if (contains(voters, selector) || contains(workers, selector) || contains(others, selector)) return {selector};
  std::mt19937_64 rng(1);
  return faults::select_members(selector, env.observe(), rng, env.busiest_worker()).ids;
}

Done restart(const plan::RollbackSpec& r, RollbackContext& c) {
  if (c.environment == nullptr) return {true, "the members never came up: nothing to restart"};
  faults::FaultEnvironment& env = *c.environment;
  std::vector<std::string> restarted, failed;
  for (const std::string& id : restart_ids(r.target, env)) {
    if (env.processes().is_running(id)) continue;
    std::string error;
    if (env.restart(id, SteadyClock::now() + kRestartTimeout, error)) {
      restarted.push_back(id);
    } else {
      failed.push_back(id + ": " + error);
    }
  }
  std::string detail;
  for (const auto& id : restarted) detail += (detail.empty() ? "restarted " : ", ") + id;
  for (const auto& f : failed) detail += (detail.empty() ? "" : "; ") + std::string("could not restart ") + f;
  if (detail.empty()) detail = "no member of " + r.target + " was down";
  return {failed.empty(), detail};
}

Done command(const plan::RollbackSpec& r, std::size_t index, RollbackContext& c) {
  if (r.argv.empty()) return {false, "the command is empty"};
  std::error_code ec;
  std::filesystem::create_directories(c.dir / "rollbacks", ec);
  process::MemberSpec spec;
  spec.id = "rollback-" + std::to_string(index);
  spec.argv = r.argv;
  spec.log_file = (c.dir / "rollbacks" / (std::to_string(index) + ".log")).string();
  const process::SpawnResult spawned = c.processes.spawn(spec);
  if (!spawned.ok()) return {false, "cannot run " + r.argv.front() + ": " + spawned.error};
  const process::ExitResult waited =
      c.processes.wait_exit(spec.id, SteadyClock::now() + std::chrono::milliseconds(r.timeout_ms));
  if (!waited.exit) {
    c.processes.kill(spec.id, SIGKILL, SteadyClock::now() + kKillWait);
    return {false, "no exit within " + std::to_string(r.timeout_ms) + " ms: killed; output in " + spec.log_file};
  }
  const bool ok = waited.exit->exited_with(0);
  return {ok, waited.exit->describe() + "; output in " + spec.log_file};
}

}  // namespace

int run_rollbacks(const std::vector<plan::RollbackSpec>& rollbacks, RollbackContext& c) {
  int failed = 0;
  for (std::size_t i = 0; i < rollbacks.size(); ++i) {
    const plan::RollbackSpec& r = rollbacks[i];
    const auto began = SteadyClock::now();
    Done done;
    if (r.action == "heal_all") {
      done = heal_all(c);
    } else if (r.action == "restart") {
      done = restart(r, c);
    } else if (r.action == "command") {
      done = command(r, i, c);
    } else {
      done = {false, "unknown rollback action " + r.action};
    }
    const double ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - began).count();
    Json event{{"rollback", i}, {"action", r.action}, {"ok", done.ok}, {"detail", done.detail}, {"duration_ms", ms}};
    if (r.action == "restart") event["target"] = r.target;
    if (r.action == "command") event["argv"] = r.argv;
    c.journal.write("rollback", std::move(event));
    failed += done.ok ? 0 : 1;
  }
  return failed;
}

}  // namespace faultline::runner
