// ProcessControl: the seam through which the drill runner starts, signals and
// observes the members of a cluster, each of which is a separate OS process.
//
// `Supervisor` (supervisor.hpp) is the one implementation. The runner's
// EmbeddedCluster takes this interface, not the Supervisor, so that a fake
// could record calls and script exits; none exists yet: the runner's and the
// cluster's tests drive real processes through a Supervisor.
//
// Conventions for every implementation:
//  - Members are named by the caller's id ("c1", "n2"); an id is bound to at
//    most one live process at a time.
//  - Errors are values: a result whose `error` is non-empty failed, and the
//    message names the member, the pid and the system call that failed.
//  - Signals go to the member's whole process group (each member leads its own
//    group), so a member that is a shell wrapper takes its children with it.
//  - Every wait is bounded by a deadline or a grace period.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace faultline::process {

using Clock = std::chrono::steady_clock;

// What to run for one member.
struct MemberSpec {
  std::string id;                 // member id, unique within one ProcessControl
  std::vector<std::string> argv;  // argv[0]: executable (absolute path, or looked up on PATH)
  std::string log_file;           // stdout and stderr are appended here; empty: /dev/null
  std::string working_dir;        // empty: inherit the caller's
  std::vector<std::pair<std::string, std::string>> env;  // added to the inherited environment
  // A network namespace (an open fd of it) the member enters before exec;
  // -1: the spawning thread's own. The fd must stay open while the member
  // may be (re)started.
  int netns_fd = -1;
};

// How a process ended: exactly one of `code` and `signal` is set.
struct ExitStatus {
  std::optional<int> code;    // exited normally with this status
  std::optional<int> signal;  // terminated by this signal number

  bool killed_by(int sig) const { return signal.has_value() && *signal == sig; }
  bool exited_with(int c) const { return code.has_value() && *code == c; }
  // "exited with code 3" / "killed by signal 9"
  std::string describe() const;

  friend bool operator==(const ExitStatus&, const ExitStatus&) = default;
};

// Decodes a status word from waitpid(2). Returns nullopt for stop/continue
// reports, which are not exits.
std::optional<ExitStatus> decode_wait_status(int wait_status);

struct SpawnResult {
  int pid = -1;       // valid when ok()
  std::string error;  // non-empty on failure
  bool ok() const { return error.empty(); }
};

// Outcome of an operation that ends with the member's exit (SIGKILL, stop,
// wait_exit). `exit` is set once the process has been reaped.
struct ExitResult {
  int pid = -1;                     // the pid the operation acted on
  std::optional<ExitStatus> exit;   // set when reaped
  bool timed_out = false;           // deadline passed with the process still alive
  bool escalated = false;           // stop(): SIGKILL was needed after the grace period
  std::string error;                // non-empty on failure (unknown member, syscall error)
  bool ok() const { return error.empty() && !timed_out && exit.has_value(); }
  // For the journal's `confirmed` field: "pid 4242 reaped: killed by signal 9".
  std::string confirmation() const;
};

// Outcome of a signal that does not end the process (SIGSTOP, SIGCONT, ...).
struct SignalResult {
  int pid = -1;
  std::string confirmed;  // what was checked, e.g. "pid 4242 state T (stopped)"
  std::string error;      // non-empty on failure
  bool ok() const { return error.empty(); }
};

class ProcessControl {
 public:
  virtual ~ProcessControl() = default;

  // Starts the member. Fails if `spec.id` already has a live process.
  virtual SpawnResult spawn(const MemberSpec& spec) = 0;

  // Sends `signal` to the member's process group. For SIGKILL it returns only
  // after the member has been reaped (or `deadline` passed), so the caller can
  // timestamp the confirmed kill from `ExitResult::exit`. For other signals it
  // returns after delivery with `exit` unset unless the process had already
  // exited: check `error.empty()` there, since ok() also requires a reaped exit.
  virtual ExitResult kill(const std::string& id, int signal, Clock::time_point deadline) = 0;

  // SIGSTOP to the group; confirmed when the member's state reads 'T'.
  virtual SignalResult pause(const std::string& id, Clock::time_point deadline) = 0;
  // SIGCONT to the group; confirmed when the member's state is no longer 'T'.
  virtual SignalResult resume(const std::string& id, Clock::time_point deadline) = 0;

  // SIGTERM (and SIGCONT, so a paused member can act on it), wait up to
  // `grace`, then SIGKILL and reap. `escalated` says whether SIGKILL was needed.
  virtual ExitResult stop(const std::string& id, std::chrono::milliseconds grace) = 0;

  // stop() if running, then spawn the same spec again (new pid).
  virtual SpawnResult restart(const std::string& id, std::chrono::milliseconds grace) = 0;

  // Waits until the member exits or `deadline` passes. A member that already
  // exited (on its own or by an earlier signal) reports its recorded status.
  virtual ExitResult wait_exit(const std::string& id, Clock::time_point deadline) = 0;

  // Reaps the member if it exited on its own, then answers. A paused member is
  // running.
  virtual bool is_running(const std::string& id) = 0;

  // The member's current pid, or its last pid if it exited; nullopt if the id
  // was never spawned.
  virtual std::optional<int> pid(const std::string& id) const = 0;

  // SIGKILLs every live process group and reaps the leaders. Idempotent.
  // Returns one message per member that could not be confirmed dead (empty:
  // everything is gone).
  virtual std::vector<std::string> shutdown_all() = 0;
};

}  // namespace faultline::process
