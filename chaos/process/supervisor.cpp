#include "chaos/process/supervisor.hpp"

#include <signal.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>

#include "chaos/process/proc_state.hpp"
#include "chaos/process/spawn.hpp"

namespace faultline::process {
namespace {

struct Member {
  MemberSpec spec;
  int pid = -1;
  bool alive = false;                   // spawned and not yet reaped
  std::optional<ExitStatus> last_exit;  // of the most recent process
};

std::string label(const std::string& id) { return "member '" + id + "'"; }

std::string not_running(const std::string& id, const Member& m) {
  std::string text = label(id) + " is not running";
  if (m.last_exit) text += " (pid " + std::to_string(m.pid) + " " + m.last_exit->describe() + ")";
  return text;
}

// Signals the member's whole group: it leads its own group (pgid == pid).
std::string signal_group(int pgid, int sig) {
  if (::kill(-pgid, sig) == 0) return {};
  return "kill(-" + std::to_string(pgid) + ", " + std::to_string(sig) +
         ") failed: " + std::strerror(errno);
}

}  // namespace

struct Supervisor::Impl {
  // Constant after construction.
  SupervisorOptions options;
  std::thread::id owner = std::this_thread::get_id();

  // State below is protected by mu.
  mutable std::mutex mu;
  std::map<std::string, Member> members;

  Member* find(const std::string& id) {
    auto it = members.find(id);
    return it == members.end() ? nullptr : &it->second;
  }

  // Records an observed exit. The leader is gone, but anything it started in
  // its group may not be: a member that is down must be down entirely.
  void on_reaped(Member& m, const ExitStatus& status) {
    m.alive = false;
    m.last_exit = status;
    ::kill(-m.pid, SIGKILL);  // ESRCH when the group is already empty
  }

  // Non-blocking check of a member believed alive.
  void poll(Member& m) {
    if (!m.alive) return;
    const ReapOutcome r = try_reap(m.pid);
    if (r.exit) on_reaped(m, *r.exit);
    if (r.not_our_child) lost(m);
  }

  // waitpid says the pid is not our child any more (SIGCHLD ignored, or reaped
  // by someone else): the process is gone but its status is unknown.
  void lost(Member& m) {
    m.alive = false;
    m.last_exit.reset();
    ::kill(-m.pid, SIGKILL);
  }

  ExitResult reap(Member& m, Clock::time_point deadline) {
    ExitResult result;
    result.pid = m.pid;
    const ReapOutcome r = reap_until(m.pid, deadline);
    if (r.exit) {
      on_reaped(m, *r.exit);
      result.exit = r.exit;
    } else if (!r.error.empty()) {
      if (r.not_our_child) lost(m);
      result.error = r.error;
    } else {
      result.timed_out = true;
    }
    return result;
  }

  std::string check_owner_thread(const std::string& id) const {
    if (std::this_thread::get_id() == owner) return {};
    return label(id) +
           ": spawn and restart must run on the thread that created the Supervisor "
           "(PR_SET_PDEATHSIG kills a child when its forking thread exits)";
  }

  SpawnResult spawn_locked(const MemberSpec& spec) {
    if (auto err = check_owner_thread(spec.id); !err.empty()) return {-1, err};
    if (spec.id.empty()) return {-1, "member spec has an empty id"};
    Member* existing = find(spec.id);
    if (existing) {
      poll(*existing);
      if (existing->alive)
        return {-1, label(spec.id) + " is already running as pid " + std::to_string(existing->pid)};
    }
    SpawnResult result = spawn_member(spec);
    if (!result.ok()) return result;
    Member& m = members[spec.id];
    m.spec = spec;
    m.pid = result.pid;
    m.alive = true;
    m.last_exit.reset();
    return result;
  }

  ExitResult stop_locked(const std::string& id, std::chrono::milliseconds grace) {
    ExitResult result;
    Member* m = find(id);
    if (!m) {
      result.error = label(id) + " was never spawned";
      return result;
    }
    poll(*m);
    result.pid = m->pid;
    if (!m->alive) {
      result.exit = m->last_exit;
      result.error = not_running(id, *m);
      return result;
    }
    // SIGCONT after SIGTERM: a paused member would otherwise sit on the
    // pending SIGTERM until the grace period ran out.
    if (auto err = signal_group(m->pid, SIGTERM); !err.empty()) {
      result.error = label(id) + ": " + err;
      return result;
    }
    signal_group(m->pid, SIGCONT);
    result = reap(*m, Clock::now() + grace);
    if (!result.timed_out) return result;

    if (auto err = signal_group(m->pid, SIGKILL); !err.empty()) {
      result.error = label(id) + ": " + err;
      return result;
    }
    result = reap(*m, Clock::now() + options.kill_timeout);
    result.escalated = true;
    return result;
  }
};

Supervisor::Supervisor(SupervisorOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
}

Supervisor::~Supervisor() { shutdown_all(); }

SpawnResult Supervisor::spawn(const MemberSpec& spec) {
  std::lock_guard lock(impl_->mu);
  return impl_->spawn_locked(spec);
}

ExitResult Supervisor::kill(const std::string& id, int signal, Clock::time_point deadline) {
  std::lock_guard lock(impl_->mu);
  ExitResult result;
  Member* m = impl_->find(id);
  if (!m) {
    result.error = label(id) + " was never spawned";
    return result;
  }
  impl_->poll(*m);
  result.pid = m->pid;
  if (!m->alive) {
    result.exit = m->last_exit;
    result.error = not_running(id, *m);
    return result;
  }
  if (auto err = signal_group(m->pid, signal); !err.empty()) {
    result.error = label(id) + ": " + err;
    return result;
  }
  if (signal == SIGKILL) return impl_->reap(*m, deadline);
  impl_->poll(*m);
  result.exit = m->last_exit;
  return result;
}

SignalResult Supervisor::pause(const std::string& id, Clock::time_point deadline) {
  std::lock_guard lock(impl_->mu);
  SignalResult result;
  Member* m = impl_->find(id);
  if (!m) return {-1, {}, label(id) + " was never spawned"};
  impl_->poll(*m);
  result.pid = m->pid;
  if (!m->alive) return {m->pid, {}, not_running(id, *m)};
  if (auto err = signal_group(m->pid, SIGSTOP); !err.empty()) return {m->pid, {}, label(id) + ": " + err};
  const bool stopped = wait_for_state(
      m->pid, [](std::optional<char> s) { return !s || *s == 'T' || *s == 'Z'; }, deadline);
  const auto state = proc_state(m->pid);
  if (!stopped || !state || *state != 'T') {
    result.error = label(id) + ": pid " + std::to_string(m->pid) + " did not reach state T (state " +
                   (state ? std::string(1, *state) : std::string("gone")) + ")";
    return result;
  }
  result.confirmed = "pid " + std::to_string(m->pid) + " state T (stopped)";
  return result;
}

SignalResult Supervisor::resume(const std::string& id, Clock::time_point deadline) {
  std::lock_guard lock(impl_->mu);
  SignalResult result;
  Member* m = impl_->find(id);
  if (!m) return {-1, {}, label(id) + " was never spawned"};
  impl_->poll(*m);
  result.pid = m->pid;
  if (!m->alive) return {m->pid, {}, not_running(id, *m)};
  if (auto err = signal_group(m->pid, SIGCONT); !err.empty()) return {m->pid, {}, label(id) + ": " + err};
  const bool running = wait_for_state(
      m->pid, [](std::optional<char> s) { return !s || *s != 'T'; }, deadline);
  const auto state = proc_state(m->pid);
  if (!running || !state || *state == 'Z') {
    result.error = label(id) + ": pid " + std::to_string(m->pid) + " did not resume (state " +
                   (state ? std::string(1, *state) : std::string("gone")) + ")";
    return result;
  }
  result.confirmed = "pid " + std::to_string(m->pid) + " state " + std::string(1, *state) + " (running)";
  return result;
}

ExitResult Supervisor::stop(const std::string& id, std::chrono::milliseconds grace) {
  std::lock_guard lock(impl_->mu);
  return impl_->stop_locked(id, grace);
}

SpawnResult Supervisor::restart(const std::string& id, std::chrono::milliseconds grace) {
  std::lock_guard lock(impl_->mu);
  // Checked before stopping: refusing only the spawn would leave it down.
  if (auto err = impl_->check_owner_thread(id); !err.empty()) return {-1, err};
  Member* m = impl_->find(id);
  if (!m) return {-1, label(id) + " was never spawned"};
  impl_->poll(*m);
  if (m->alive) {
    const ExitResult stopped = impl_->stop_locked(id, grace);
    if (!stopped.ok())
      return {-1, label(id) + ": restart could not stop pid " + std::to_string(stopped.pid) + ": " +
                      stopped.confirmation()};
  }
  const MemberSpec spec = m->spec;  // copy: spawn_locked overwrites the entry it came from
  return impl_->spawn_locked(spec);
}

ExitResult Supervisor::wait_exit(const std::string& id, Clock::time_point deadline) {
  std::lock_guard lock(impl_->mu);
  ExitResult result;
  Member* m = impl_->find(id);
  if (!m) {
    result.error = label(id) + " was never spawned";
    return result;
  }
  if (!m->alive) {
    result.pid = m->pid;
    result.exit = m->last_exit;
    return result;
  }
  return impl_->reap(*m, deadline);
}

bool Supervisor::is_running(const std::string& id) {
  std::lock_guard lock(impl_->mu);
  Member* m = impl_->find(id);
  if (!m) return false;
  impl_->poll(*m);
  return m->alive;
}

std::optional<int> Supervisor::pid(const std::string& id) const {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->members.find(id);
  if (it == impl_->members.end()) return std::nullopt;
  return it->second.pid;
}

std::vector<std::string> Supervisor::shutdown_all() {
  std::lock_guard lock(impl_->mu);
  // Signal every group first so the members die in parallel, then reap.
  for (auto& [id, m] : impl_->members) {
    if (m.alive) ::kill(-m.pid, SIGKILL);
  }
  std::vector<std::string> errors;
  const auto deadline = Clock::now() + impl_->options.kill_timeout;
  for (auto& [id, m] : impl_->members) {
    if (!m.alive) continue;
    const ExitResult r = impl_->reap(m, deadline);
    if (!r.ok()) errors.push_back(label(id) + ": " + r.confirmation());
  }
  return errors;
}

}  // namespace faultline::process
