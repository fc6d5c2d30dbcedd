// Real sockets on 127.0.0.1 for the proxy's integration tests: a test server
// (echo or sink) on a free port, blocking clients, and waits that are all
// bounded by deadlines (never bare sleeps).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "chaos/process/proc_state.hpp"
#include "chaos/proxy/proxy_engine.hpp"

namespace faultline::proxy::test {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

inline Clock::time_point in(std::chrono::milliseconds d) {
  return Clock::now() + d;
}
// Generous: the machine may be busy running other suites.
inline Clock::time_point soon() {
  return in(10s);
}

template <class Pred>
bool eventually(Pred pred, Clock::time_point deadline = soon()) {
  for (int step = 0;; ++step) {
    if (pred()) return true;
    if (Clock::now() >= deadline) return false;
    process::poll_pause(step, deadline);
  }
}

inline double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// A TCP server on 127.0.0.1 (port 0: a free one), one thread per connection. Echo sends every
// byte back; sink discards. On EOF from the client it shuts down its own
// write side (after echoing everything); sockets close with the server.
class TestServer {
 public:
  enum class Mode { echo, sink };
  explicit TestServer(Mode mode = Mode::echo, std::uint16_t port = 0);
  bool ok() const { return port_ != 0; }
  ~TestServer();

  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::uint64_t bytes_received() const { return received_.load(); }
  std::uint64_t connections() const { return connections_.load(); }
  // Connections whose client ended its stream with FIN.
  std::uint64_t ends_seen() const { return ends_.load(); }
  std::vector<std::string> peer_addresses() const;

 private:
  void accept_loop();
  void serve(int fd);

  Mode mode_;
  int listen_fd_ = -1;
  int stop_pipe_[2] = {-1, -1};
  std::uint16_t port_ = 0;
  std::atomic<std::uint64_t> received_{0};
  std::atomic<std::uint64_t> connections_{0};
  std::atomic<std::uint64_t> ends_{0};
  mutable std::mutex mu_;
  std::vector<int> client_fds_;
  std::vector<std::string> peers_;
  std::vector<std::thread> workers_;
  std::thread acceptor_;
};

// A connected client socket (blocking, TCP_NODELAY), closed on destruction.
class Client {
 public:
  explicit Client(std::uint16_t port);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool ok() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  bool send_all(const std::string& data);
  void shutdown_write();

  // Reads until `n` bytes came, the stream ended, or the deadline passed.
  struct Read {
    std::string data;
    bool eof = false;  // orderly end of stream
    int error = 0;     // errno of a failed read (ECONNRESET)
    bool timed_out = false;
  };
  Read read_exact(std::size_t n, Clock::time_point deadline);
  // Reads (and keeps) everything until the stream ends or the deadline passes.
  Read read_to_end(Clock::time_point deadline);
  // True when nothing at all (no byte, no close) arrives for `quiet`.
  bool quiet_for(std::chrono::milliseconds quiet);
  // One request of `size` bytes and its echo; the round trip in ms, or a
  // negative number when the echo did not come back whole by the deadline.
  double round_trip_ms(std::size_t size, Clock::time_point deadline);

 private:
  int fd_ = -1;
};

// An engine's link from a free port on 127.0.0.1 to 127.0.0.1:upstream.
std::unique_ptr<LinkProxy> open_link(ProxyEngine& engine, std::uint16_t upstream,
                                     std::uint64_t seed = 1);

std::string random_bytes(std::size_t n, std::uint64_t seed);
std::uint64_t fnv1a(const std::string& data);

}  // namespace faultline::proxy::test
