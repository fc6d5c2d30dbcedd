// Port reservations on loopback, without the race of "bind port 0, read it,
// close, hope nobody takes it": the runner binds a free port with
// SO_REUSEPORT and keeps that socket, bound but not listening, for the whole
// run. Nothing else on the machine can bind the port meanwhile (a plain bind
// fails with EADDRINUSE; only a process of the same user that also sets
// SO_REUSEPORT, or a bind with SO_REUSEADDR while nothing listens on the
// port, may share it), and the member binds it with SO_REUSEPORT or with
// SO_REUSEADDR (Go's listeners: etcd) — only listening sockets receive
// connections, so the member alone serves it, across its restarts too.
//
// Thread-safety: a value type; not shared.
#pragma once

#include <string>

namespace faultline::network {

class PortReservation {
 public:
  PortReservation() = default;
  // Reserves a free port on `address` (port 0 picks one). Check ok().
  static PortReservation reserve(const std::string& address, int port = 0);
  ~PortReservation();
  PortReservation(PortReservation&& other) noexcept;
  PortReservation& operator=(PortReservation&& other) noexcept;
  PortReservation(const PortReservation&) = delete;
  PortReservation& operator=(const PortReservation&) = delete;

  bool ok() const { return fd_ >= 0; }
  int port() const { return port_; }
  const std::string& error() const { return error_; }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::string error_;
};

}  // namespace faultline::network
