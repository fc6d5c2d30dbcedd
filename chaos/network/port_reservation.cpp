#include "chaos/network/port_reservation.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace faultline::network {

PortReservation PortReservation::reserve(const std::string& address, int port) {
  PortReservation r;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::inet_pton(AF_INET, address.c_str(), &addr.sin_addr) != 1) {
    r.error_ = "not an IPv4 address: " + address;
    return r;
  }
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    r.error_ = std::string("socket: ") + std::strerror(errno);
    return r;
  }
  const int one = 1;
  socklen_t length = sizeof(addr);
  if (::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) != 0 ||
      ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length) != 0) {
    r.error_ = "cannot reserve a port on " + address + ": " + std::strerror(errno);
    ::close(fd);
    return r;
  }
  // Set after the bind, so that it does not let this bind share a port:
  // programs that bind with SO_REUSEADDR and not SO_REUSEPORT (Go's
  // listeners, so etcd; Redis) may then bind the port while this socket
  // holds it without listening. A listening socket on it still excludes
  // everyone else.
  if (::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0) {
    r.error_ = std::string("setsockopt SO_REUSEADDR: ") + std::strerror(errno);
    ::close(fd);
    return r;
  }
  r.fd_ = fd;
  r.port_ = ntohs(addr.sin_port);
  return r;
}

PortReservation::~PortReservation() {
  if (fd_ >= 0) ::close(fd_);
}

PortReservation::PortReservation(PortReservation&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), port_(other.port_), error_(std::move(other.error_)) {}

PortReservation& PortReservation::operator=(PortReservation&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    port_ = other.port_;
    error_ = std::move(other.error_);
  }
  return *this;
}

}  // namespace faultline::network
