// Helpers of the netns tests: skipping without privileges, sockets opened
// inside a namespace, a greeting server, and snapshots of the host's own
// network state (which no test may change).
//
// Every wait has a deadline; nothing sleeps to wait for a condition.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "chaos/netns/namespace.hpp"
#include "chaos/netns/probe.hpp"

namespace faultline::netns::test {

using std::chrono::milliseconds;

// Skips the test, with probe()'s reason, when namespaces cannot be used here.
#define FAULTLINE_REQUIRE_NETNS()                                                         \
  do {                                                                                    \
    const auto probed = ::faultline::netns::probe();                                      \
    if (!probed.available) GTEST_SKIP() << "needs network namespaces: " << probed.reason; \
  } while (0)

// Polls `condition` until it holds or `timeout` passes; the pause between
// polls grows from 1 ms to 20 ms.
template <class Pred>
bool eventually(Pred condition, milliseconds timeout = milliseconds(5000)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (int pause = 1;; pause = std::min(pause * 2, 20)) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(milliseconds(pause));
  }
}

// What must never change on the host: `ip netns list`, the names and indices
// of `ip -o link`, and `nft list ruleset`.
struct HostNetwork {
  std::string netns_list;
  std::string links;
  std::string ruleset;
  friend bool operator==(const HostNetwork&, const HostNetwork&) = default;
};
HostNetwork host_network();
std::ostream& operator<<(std::ostream& out, const HostNetwork& host);

// A TCP listening socket on address:port inside `ns` (port 0: any free one).
// Returns -1 on failure (the test fails with the reason).
int tcp_listen(const Namespace& ns, const std::string& address, std::uint16_t port = 0);
std::uint16_t local_port(int fd);
std::string peer_address(int fd);
std::uint16_t peer_port(int fd);

// A blocking connect from inside `ns`, bounded by `timeout`. Returns the fd,
// or -1 with `*err` set to the errno (ETIMEDOUT when the deadline passed).
int tcp_connect(const Namespace& ns, const std::string& address, std::uint16_t port,
                milliseconds timeout, int* err = nullptr, const std::string& bind_address = "");

// Accepts one connection on `listen_fd` within `timeout`; -1 if none came.
int accept_within(int listen_fd, milliseconds timeout);

// Reads what arrives on `fd` within `timeout`: nullopt if nothing did, "" at
// end of stream. `*err` gets the errno of a failed read (ECONNRESET).
std::optional<std::string> read_within(int fd, milliseconds timeout, int* err = nullptr);

// True when `fd` becomes readable within `timeout` (data, end of stream or
// an error); consumes nothing.
bool wait_readable(int fd, milliseconds timeout);

// A UDP socket bound to address:port inside `ns` (port 0: any free one).
int udp_socket(const Namespace& ns, const std::string& address, std::uint16_t port = 0);

// Accepts connections inside a namespace, answers each with `greeting` and
// closes it. Records the peer address of each connection.
class GreetingServer {
 public:
  GreetingServer(const Namespace& ns, const std::string& address, std::uint16_t port = 0,
                 std::string greeting = "hello\n");
  ~GreetingServer();
  GreetingServer(const GreetingServer&) = delete;
  GreetingServer& operator=(const GreetingServer&) = delete;

  bool ok() const { return listen_fd_ >= 0; }
  std::uint16_t port() const { return port_; }
  std::vector<std::string> peers() const;

 private:
  void serve();
  int listen_fd_ = -1;
  int stop_fd_ = -1;  // eventfd that ends serve()
  std::uint16_t port_ = 0;
  std::string greeting_;
  mutable std::mutex mutex_;
  std::vector<std::string> peers_;  // guarded by mutex_
  std::thread thread_;
};

// Closes the descriptor when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd();
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_;
};

}  // namespace faultline::netns::test
