#include "cluster/net/socket.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

namespace faultline::net {

namespace {

constexpr int kListenBacklog = 128;

sockaddr_in to_sockaddr(const Endpoint& endpoint) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(endpoint.port);
  ::inet_pton(AF_INET, endpoint.host.c_str(), &address.sin_addr);
  return address;
}

Endpoint from_sockaddr(const sockaddr_in& address) {
  char text[INET_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET, &address.sin_addr, text, sizeof(text));
  return Endpoint{text, ntohs(address.sin_port)};
}

int poll_timeout_ms(std::chrono::milliseconds timeout) {
  if (timeout.count() < 0) return -1;
  return static_cast<int>(std::min<std::chrono::milliseconds::rep>(timeout.count(), 1'000'000'000));
}

}  // namespace

std::string errno_text() { return std::strerror(errno); }

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    reset();
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

void Fd::reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

WakeFd::WakeFd() : fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

void WakeFd::wake() {
  const std::uint64_t one = 1;
  // A full counter (never reached) would still leave the fd readable.
  [[maybe_unused]] const auto written = ::write(fd_.get(), &one, sizeof(one));
}

bool set_reuse_address_and_port(int fd) {
  const int yes = 1;
  return ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes)) == 0 &&
         ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &yes, sizeof(yes)) == 0;
}

Fd listen_tcp(const Endpoint& at, Endpoint& bound, std::string& error) {
  const std::string where = "cannot listen on " + at.to_string() + ": ";
  Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) {
    error = where + "socket: " + errno_text();
    return {};
  }
  if (!set_reuse_address_and_port(fd.get())) {
    error = where + "setsockopt: " + errno_text();
    return {};
  }
  sockaddr_in address = to_sockaddr(at);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    error = where + errno_text() + " (is the address this machine's, or the port taken?)";
    return {};
  }
  if (::listen(fd.get(), kListenBacklog) != 0) {
    error = where + "listen: " + errno_text();
    return {};
  }
  socklen_t length = sizeof(address);
  if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    error = where + "getsockname: " + errno_text();
    return {};
  }
  bound = from_sockaddr(address);
  return fd;
}

PortProbe probe_port(const Endpoint& to, std::chrono::milliseconds timeout, const WakeFd& wake,
                     std::string* why) {
  std::string error;
  int code = 0;
  if (connect_tcp(to, timeout, wake, error, &code)) return PortProbe::accepted;
  if (why != nullptr) *why = error;
  return code == ECONNREFUSED ? PortProbe::refused : PortProbe::unknown;
}

Fd connect_tcp(const Endpoint& to, std::chrono::milliseconds timeout, const WakeFd& wake,
               std::string& error, int* failure_errno) {
  const std::string where = "cannot connect to " + to.to_string() + ": ";
  if (failure_errno != nullptr) *failure_errno = 0;
  Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd) {
    error = where + "socket: " + errno_text();
    return {};
  }
  const int yes = 1;
  ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
  sockaddr_in address = to_sockaddr(to);
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    if (errno != EINPROGRESS) {
      if (failure_errno != nullptr) *failure_errno = errno;
      error = where + errno_text();
      return {};
    }
    switch (wait_for(fd.get(), POLLOUT, timeout, wake)) {
      case Wait::ready:
        break;
      case Wait::timeout:
        error = where + "no answer within " + std::to_string(timeout.count()) + " ms";
        return {};
      case Wait::woken:
        error = where + "stopped";
        return {};
      case Wait::failed:
        error = where + "poll: " + errno_text();
        return {};
    }
    int so_error = 0;
    socklen_t length = sizeof(so_error);
    ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &so_error, &length);
    if (so_error != 0) {
      if (failure_errno != nullptr) *failure_errno = so_error;
      error = where + std::strerror(so_error);
      return {};
    }
  }
  return fd;
}

Wait wait_for(int fd, short events, std::chrono::milliseconds timeout, const WakeFd& wake) {
  pollfd fds[2] = {{fd, events, 0}, {wake.get(), POLLIN, 0}};
  while (true) {
    const int n = ::poll(fds, 2, poll_timeout_ms(timeout));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Wait::failed;
    if (n == 0) return Wait::timeout;
    if (fds[1].revents != 0) return Wait::woken;
    return Wait::ready;
  }
}

std::string peer_address(int fd) {
  sockaddr_in address{};
  socklen_t length = sizeof(address);
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return "?";
  return from_sockaddr(address).to_string();
}

}  // namespace faultline::net
