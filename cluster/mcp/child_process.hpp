// A child process with pipes on its standard input and output: how a node
// starts an MCP server of the stdio transport. Its standard error is the
// node's (its log). The child must never outlive the node:
//
//  - it stays in the node's process group, so whatever signals the node's
//    group (the drill supervisor's kill, stop and pause, a terminal's Ctrl-C)
//    reaches it and everything it started (npx starts node);
//  - PR_SET_PDEATHSIG(SIGKILL): the kernel kills it when the thread that
//    started it ends, including when the node alone is SIGKILLed. Start
//    children from a thread that lives as long as they should (HostedServer's
//    supervisor thread does). A grandchild (the node that npx starts) is not
//    covered by this one: it dies with the group, or when its standard input
//    closes, as stdio servers do.
//
// The child starts with an empty signal mask and default dispositions (the
// node blocks SIGINT/SIGTERM and ignores SIGPIPE; neither may be inherited),
// and with no file descriptor of the node's but its three standard ones.
//
// Thread-safety: start/stop/reap from one thread; write_all and the reads of
// out_fd() from any one thread each.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace faultline::mcp {

struct ChildSpec {
  std::string program;  // found on PATH when it has no '/'
  std::vector<std::string> args;
  std::map<std::string, std::string> env;  // added to (or replacing in) the node's environment
};

class ChildProcess {
 public:
  ChildProcess() = default;
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Forks and execs; false with `error` when the program cannot be run (the
  // exec failure is reported through a close-on-exec pipe, so "no such
  // program" is an error here rather than an exit status later).
  bool start(const ChildSpec& spec, std::string& error);
  pid_t pid() const { return pid_; }
  int out_fd() const { return out_fd_; }
  // Writes every byte to the child's standard input; false once it is gone.
  bool write_all(const std::string& data);
  // Closes its standard input, waits up to `grace` for it to exit, then
  // SIGTERM, then SIGKILL; reaps it. Idempotent.
  void stop(std::chrono::milliseconds grace);
  // SIGKILL and reap; the exit as text ("exit 1", "signal 9").
  std::string kill_and_reap();

 private:
  std::optional<std::string> try_reap(bool block);
  pid_t pid_ = -1;
  int in_fd_ = -1;
  int out_fd_ = -1;
  std::string exit_;
};

}  // namespace faultline::mcp
