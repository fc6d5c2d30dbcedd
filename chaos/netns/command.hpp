// Running one of the kernel tools (`ip -batch -`, `nft -f -`, `tc ...`)
// inside a network namespace.
//
// The command is an argument vector, never a shell string. The child is forked,
// enters the namespace with setns(2), arms PR_SET_PDEATHSIG (SIGKILL) so it
// cannot outlive this process, gets `stdin_text` on its standard input and
// has its standard output and error captured; a command still running at its
// deadline is SIGKILLed and reaped. Between fork and exec the child makes only
// async-signal-safe system calls, so this may be called from any thread of a
// multi-threaded process.
//
// CAUTION: PR_SET_PDEATHSIG fires when the forking *thread* exits. run_command
// waits for the child before it returns, so that never matters here; do not
// reuse this to start long-lived processes from short-lived threads.
//
// Thread-safety: run_command and find_program may be called concurrently.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "chaos/netns/namespace.hpp"

namespace faultline::netns {

struct Command {
  // argv[0] is a program name, looked up with find_program, or an absolute path.
  std::vector<std::string> argv;
  std::string stdin_text;  // written to the child's stdin, which is then closed
  std::chrono::milliseconds timeout{5000};
};

struct CommandResult {
  int exit_code = -1;  // the child's exit status; -1 if it did not exit normally
  std::string out;     // captured standard output
  std::string err;     // captured standard error
  // Non-empty when the command could not be started, timed out, died of a
  // signal or exited non-zero. It names the namespace, the command and the
  // child's stderr.
  std::string error;
  bool ok() const { return error.empty(); }
};

// Runs `command` inside `ns`, or in the calling thread's own namespace when
// `ns` is null (the host, for a thread that never entered one).
CommandResult run_command(const Namespace* ns, const Command& command);

// The absolute path of an executable called `name`, searched in $PATH and
// then in /usr/sbin, /sbin, /usr/bin and /bin (where Debian puts iproute2 and
// nftables, and which a non-root $PATH often lacks). Empty when not found.
std::string find_program(const std::string& name);

// "ip -batch -" for messages: the argument vector joined with spaces.
std::string describe_argv(const std::vector<std::string>& argv);

}  // namespace faultline::netns
