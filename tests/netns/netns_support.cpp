#include "tests/netns/netns_support.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "chaos/netns/command.hpp"

namespace faultline::netns::test {
namespace {

sockaddr_in make_address(const std::string& address, std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  ::inet_pton(AF_INET, address.c_str(), &a.sin_addr);
  return a;
}

std::string host_output(const std::vector<std::string>& argv) {
  const auto ran = run_command(nullptr, Command{argv, "", milliseconds(5000)});
  EXPECT_TRUE(ran.ok()) << ran.error;
  return ran.out;
}

// "4: eth0: <BROADCAST,..." -> "4: eth0"; state and counters may change.
std::string link_names(const std::string& text) {
  std::istringstream lines(text);
  std::string line, names;
  while (std::getline(lines, line)) {
    const auto first = line.find(": ");
    const auto second = first == std::string::npos ? first : line.find(':', first + 2);
    names += line.substr(0, second) + "\n";
  }
  return names;
}

bool wait_fd(int fd, short events, milliseconds timeout) {
  pollfd p{fd, events, 0};
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto left =
        std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
    const int ready = ::poll(&p, 1, static_cast<int>(std::max<long long>(0, left.count())));
    if (ready > 0) return true;
    if (ready == 0 || errno != EINTR) return false;
  }
}

}  // namespace

HostNetwork host_network() {
  HostNetwork host;
  host.netns_list = host_output({"ip", "netns", "list"});
  host.links = link_names(host_output({"ip", "-o", "link"}));
  host.ruleset = host_output({"nft", "list", "ruleset"});
  return host;
}

std::ostream& operator<<(std::ostream& out, const HostNetwork& host) {
  return out << "netns: [" << host.netns_list << "] links: [" << host.links << "] ruleset: ["
             << host.ruleset << "]";
}

int tcp_listen(const Namespace& ns, const std::string& address, std::uint16_t port) {
  int fd = -1;
  const auto entered = run_on_thread_in(ns, [&] {
    fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    const auto a = make_address(address, port);
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0 ||
        ::listen(fd, 256) != 0) {
      ADD_FAILURE() << "listen on " << address << ":" << port << " in " << ns.name() << ": "
                    << std::strerror(errno);
      ::close(fd);
      fd = -1;
    }
  });
  EXPECT_FALSE(entered) << *entered;
  return fd;
}

std::uint16_t local_port(int fd) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  return ntohs(a.sin_port);
}

std::string peer_address(int fd) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) return "";
  char text[INET_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET, &a.sin_addr, text, sizeof text);
  return text;
}

std::uint16_t peer_port(int fd) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) return 0;
  return ntohs(a.sin_port);
}

int tcp_connect(const Namespace& ns, const std::string& address, std::uint16_t port,
                milliseconds timeout, int* err, const std::string& bind_address) {
  int fd = -1;
  int error = 0;
  const auto entered = run_on_thread_in(ns, [&] {
    fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (!bind_address.empty()) {
      const auto source = make_address(bind_address, 0);
      if (::bind(fd, reinterpret_cast<const sockaddr*>(&source), sizeof source) != 0) {
        error = errno;
        return;
      }
    }
    const auto a = make_address(address, port);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
      if (errno != EINPROGRESS) {
        error = errno;
        return;
      }
      if (!wait_fd(fd, POLLOUT, timeout)) {
        error = ETIMEDOUT;
        return;
      }
      socklen_t len = sizeof error;
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
    }
  });
  EXPECT_FALSE(entered) << *entered;
  if (err) *err = error;
  if (error != 0 && fd >= 0) {
    ::close(fd);
    fd = -1;
  }
  if (fd >= 0) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

int accept_within(int listen_fd, milliseconds timeout) {
  if (!wait_fd(listen_fd, POLLIN, timeout)) return -1;
  return ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
}

std::optional<std::string> read_within(int fd, milliseconds timeout, int* err) {
  if (err) *err = 0;
  if (!wait_fd(fd, POLLIN, timeout)) return std::nullopt;
  char buffer[4096];
  const ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
  if (n < 0) {
    if (err) *err = errno;
    return std::nullopt;
  }
  return std::string(buffer, static_cast<std::size_t>(n));
}

bool wait_readable(int fd, milliseconds timeout) {
  return wait_fd(fd, POLLIN, timeout);
}

int udp_socket(const Namespace& ns, const std::string& address, std::uint16_t port) {
  int fd = -1;
  const auto entered = run_on_thread_in(ns, [&] {
    fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    const auto a = make_address(address, port);
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
      ADD_FAILURE() << "bind udp " << address << " in " << ns.name() << ": "
                    << std::strerror(errno);
      ::close(fd);
      fd = -1;
    }
  });
  EXPECT_FALSE(entered) << *entered;
  return fd;
}

GreetingServer::GreetingServer(const Namespace& ns, const std::string& address, std::uint16_t port,
                               std::string greeting)
    : greeting_(std::move(greeting)) {
  listen_fd_ = tcp_listen(ns, address, port);
  if (listen_fd_ < 0) return;
  port_ = local_port(listen_fd_);
  stop_fd_ = ::eventfd(0, EFD_CLOEXEC);
  thread_ = std::thread([this] { serve(); });
}

GreetingServer::~GreetingServer() {
  if (thread_.joinable()) {
    const std::uint64_t one = 1;
    if (::write(stop_fd_, &one, sizeof one) < 0) ADD_FAILURE() << "cannot stop the server";
    thread_.join();
  }
  if (stop_fd_ >= 0) ::close(stop_fd_);
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

void GreetingServer::serve() {
  while (true) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0 && errno != EINTR) return;
    if (fds[1].revents) return;
    if (!fds[0].revents) continue;
    const int conn = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (conn < 0) continue;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      peers_.push_back(peer_address(conn));
    }
    ::send(conn, greeting_.data(), greeting_.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    ::close(conn);
  }
}

std::vector<std::string> GreetingServer::peers() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return peers_;
}

Fd::~Fd() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace faultline::netns::test
