// Thin POSIX TCP helpers for the reference cluster's streams: an owning file
// descriptor, a wake-up descriptor, listening and connecting with a timeout,
// and waiting on a socket that a stop can interrupt.
//
// Errors are values: functions return an empty Fd (or a Wait outcome) and set
// `error` to what failed, where, and the system's reason.
//
// Thread-safety: Fd and WakeFd are values owned by one thread at a time,
// except WakeFd::wake(), which any thread may call. The free functions share
// no state.
#pragma once

#include <chrono>
#include <string>

#include "cluster/net/endpoint.hpp"

namespace faultline::net {

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;

  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  void reset();

 private:
  int fd_ = -1;
};

// An eventfd that stays readable once woken: every wait given it returns
// `woken` from then on, in any number of threads.
class WakeFd {
 public:
  WakeFd();
  bool valid() const { return static_cast<bool>(fd_); }
  int get() const { return fd_.get(); }
  void wake();

 private:
  Fd fd_;
};

// SO_REUSEADDR and SO_REUSEPORT. The drill runner reserves a member's port
// by holding a bound (never listening) SO_REUSEPORT socket on it for the
// whole run; a member binds the same port beside it, and since only
// listening sockets receive connections, every connection reaches the member.
// Returns false when the options cannot be set.
bool set_reuse_address_and_port(int fd);

// A listening socket bound to exactly `at` (port 0: any free port) with the
// reuse options above. `bound` receives the address actually bound.
Fd listen_tcp(const Endpoint& at, Endpoint& bound, std::string& error);

// A connected, non-blocking socket with TCP_NODELAY, or an empty Fd when the
// connection failed, did not complete within `timeout`, or `wake` was woken.
// `failure_errno`, when given, receives the errno of a refused or failed
// connection (ECONNREFUSED: nothing listens there), 0 for a timeout or a wake.
Fd connect_tcp(const Endpoint& to, std::chrono::milliseconds timeout, const WakeFd& wake,
               std::string& error, int* failure_errno = nullptr);

// What one connection attempt says of `to`: something accepts connections
// there; nothing listens (refused: the kernel, or a firewall rule, answered
// with a reset); or nothing can be told (no answer in time, unreachable,
// woken). The connection, if made, is closed at once.
enum class PortProbe { accepted, refused, unknown };
// `why`, when given, receives the reason of a refused or unknown answer.
PortProbe probe_port(const Endpoint& to, std::chrono::milliseconds timeout, const WakeFd& wake,
                     std::string* why = nullptr);

enum class Wait { ready, timeout, woken, failed };

// Waits until `fd` has one of `events` (POLLIN, POLLOUT), `timeout` passes
// (negative: no limit), or `wake` is woken. An error or hang-up on `fd`
// counts as ready: the next read or write reports it.
Wait wait_for(int fd, short events, std::chrono::milliseconds timeout, const WakeFd& wake);

// The remote end of a connected socket, "A.B.C.D:PORT" ("?" if unknown).
std::string peer_address(int fd);

// strerror(errno) as a string, for messages.
std::string errno_text();

}  // namespace faultline::net
