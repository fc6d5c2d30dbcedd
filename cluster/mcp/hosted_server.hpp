// One MCP server of a node's `mcpServers` map, run as a child process that
// speaks JSON-RPC 2.0 over stdio (MCP's stdio transport: one JSON message a
// line, UTF-8, no embedded newlines; its stderr goes to the node's log).
//
// A supervisor thread starts the child, performs MCP's handshake with it
// (initialize, then notifications/initialized, as an MCP client), then reads
// its standard output and hands each response to the call waiting for it.
// When the child exits it is restarted after a backoff (100 ms, doubling to
// 5 s, reset once a life lasted 10 s), with a log line each time; calls made
// meanwhile fail at once. stop() ends the child (stdin closed, SIGTERM,
// SIGKILL) and the thread; see child_process.hpp for why the child cannot
// outlive the node.
//
// Every client session of the node shares the one child: the node gives
// each call an id of its own (so sessions never collide), and tells the
// server the session in params._meta["faultline/session"]. Requests the
// server sends to the client (sampling, elicitation, roots) are answered
// with "method not found"; its notifications (progress, logging) are not
// forwarded (the node answers requests with JSON, not streams).
//
// Thread-safety: call(), notify() and the accessors from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "cluster/mcp/child_process.hpp"
#include "cluster/mcp/jsonrpc.hpp"

namespace faultline::mcp {

struct CallResult {
  bool ok = false;     // the server answered (with a result or a JSON-RPC error)
  Json message;        // its response, id as the server saw it
  std::string error;   // why there is no answer
};

class HostedServer {
 public:
  // `spec`: what to run; `log_prefix` starts every log line ("faultline node n1: ").
  HostedServer(std::string name, ChildSpec spec, std::string log_prefix);
  ~HostedServer();
  HostedServer(const HostedServer&) = delete;
  HostedServer& operator=(const HostedServer&) = delete;

  void start();
  void stop();

  const std::string& name() const { return name_; }
  // The handshake is done and the child is running.
  bool ready() const { return ready_.load(); }
  // Blocks until ready or the deadline; false at the deadline.
  bool wait_ready(std::chrono::milliseconds timeout);
  // The child's InitializeResult (capabilities, serverInfo); null before.
  Json initialize_result() const;
  std::uint64_t restarts() const { return restarts_.load(); }
  // The running child's pid; -1 when none runs.
  int pid() const { return pid_.load(); }

  // Sends a request and waits for its response.
  CallResult call(const std::string& method, const Json& params, std::chrono::milliseconds timeout);
  // Sends a notification; false when the child is not running.
  bool notify(const std::string& method, const Json& params);

 private:
  struct Waiter {
    bool done = false;
    Json message;
  };
  void supervise();
  // One life of the child: start, handshake, read until it ends.
  void run_once();
  void handle_line(const std::string& line);
  bool send(const Json& message);
  void fail_pending(const std::string& why);

  // Constant after construction.
  const std::string name_;
  const ChildSpec spec_;
  const std::string log_prefix_;

  std::atomic<bool> stopping_{false};
  std::atomic<bool> ready_{false};
  std::atomic<std::uint64_t> restarts_{0};
  std::atomic<int> pid_{-1};
  std::thread supervisor_;

  // The child's stdin and its life; written under write_mu_ so that a stop
  // never closes the pipe under a writer.
  std::mutex write_mu_;
  ChildProcess child_;  // started, stopped and read by the supervisor thread only

  mutable std::mutex mu_;
  std::condition_variable cv_;  // a waiter is done, ready_ changed, or stopping
  std::int64_t next_id_ = 1;                              // guarded by mu_
  std::map<std::int64_t, std::shared_ptr<Waiter>> pending_;  // guarded by mu_
  Json init_result_;                                        // guarded by mu_
  std::int64_t init_id_ = 0;                                // guarded by mu_
};

}  // namespace faultline::mcp
