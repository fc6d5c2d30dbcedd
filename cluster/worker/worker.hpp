// A worker node of the reference cluster: it serves the calls that the
// coordinators route to it and keeps session state (a call count per
// session), which is why the coordinators pin each session to one worker.
//
//   GET  /health       {"status":"ok","worker":"w1"}
//   POST /api/call     {"session":"s1","call":"17","payload":...}
//                      -> {"worker":"w1","session":"s1","calls":N}, N the number
//                         of calls this worker has served for the session
//
// The worker announces itself to the coordinators' leader every heartbeat_ms
// (POST /api/nodes/heartbeat {"name","url"}); a 421 answer names the leader,
// a refused or failed one moves on to the next coordinator of the list.
//
// Config (JSON file):
//   {"name": "w1", "listen": "10.77.0.21:7000",
//    "coordinators": ["http://10.77.0.11:7000", ...], "heartbeat_ms": 100}
// `listen` follows the coordinators' rules (http::parse_address): any IPv4
// address but 0.0.0.0, bound exactly; port 0 picks a free port. The worker
// advertises http://<listen host>:<bound port>.
//
// Thread-safety: the HTTP server's workers and one heartbeat thread; the
// session table has its own mutex.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cluster/http/server.hpp"

namespace faultline::worker {

struct Config {
  std::string name;
  net::Endpoint listen;
  std::vector<std::string> coordinators;  // base URLs
  std::int64_t heartbeat_ms = 100;
};

// Reads and checks a config file; nullopt with `error` naming the file and
// the field when it cannot.
std::optional<Config> load_config(const std::string& file, std::string& error);

class Worker {
 public:
  explicit Worker(Config config);
  ~Worker();
  // Binds the port and starts heartbeating; false with `error` when it cannot.
  bool start(std::string& error);
  void stop();
  // The address bound by start().
  std::string listening() const { return server_.bound().to_string(); }

 private:
  void heartbeat_loop();
  std::string url() const;

  const Config config_;
  // One pool thread per open connection (server.hpp). Routed calls come from
  // the leader's HTTP pool threads, one kept-alive client each, and a client
  // connection to the leader stays on one of its pool threads: at most one
  // connection here per workload client (a drill has up to 64), plus the
  // previous leader's for the keep-alive idle time after a change of leader.
  static constexpr std::size_t kHttpThreads = 128;
  http::Server server_{kHttpThreads};
  std::mutex mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;                           // guarded by mu_
  std::map<std::string, std::uint64_t> sessions_;   // guarded by mu_
  std::thread heartbeat_;
};

// Runs a worker until SIGINT or SIGTERM: 0 after a clean stop, 2 for a bad
// config, 3 when it cannot start.
int run_worker(const std::string& config_file);

}  // namespace faultline::worker
