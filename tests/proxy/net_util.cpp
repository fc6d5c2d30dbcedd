#include "tests/proxy/net_util.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

namespace faultline::proxy::test {

namespace {

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

int poll_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(left.count()) + 1;
}

}  // namespace

TestServer::TestServer(Mode mode, std::uint16_t port) : mode_(mode) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a = loopback(port);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::listen(listen_fd_, 64) != 0) {
    return;
  }
  socklen_t len = sizeof a;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
  port_ = ntohs(a.sin_port);
  if (::pipe2(stop_pipe_, O_CLOEXEC) != 0) return;
  acceptor_ = std::thread([this] { accept_loop(); });
}

TestServer::~TestServer() {
  if (stop_pipe_[1] >= 0) {
    [[maybe_unused]] const ssize_t n = ::write(stop_pipe_[1], "x", 1);
  }
  if (acceptor_.joinable()) acceptor_.join();
  {
    std::lock_guard lock(mu_);
    for (int fd : client_fds_) ::shutdown(fd, SHUT_RDWR);
  }
  for (auto& w : workers_) w.join();
  for (int fd : client_fds_) ::close(fd);
  if (listen_fd_ >= 0) ::close(listen_fd_);
  for (int fd : stop_pipe_) {
    if (fd >= 0) ::close(fd);
  }
}

std::vector<std::string> TestServer::peer_addresses() const {
  std::lock_guard lock(mu_);
  return peers_;
}

void TestServer::accept_loop() {
  for (;;) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) return;
    sockaddr_in peer{};
    socklen_t len = sizeof peer;
    const int fd = ::accept4(listen_fd_, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_CLOEXEC);
    if (fd < 0) continue;
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    char text[INET_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET, &peer.sin_addr, text, sizeof text);
    std::lock_guard lock(mu_);
    connections_.fetch_add(1);
    peers_.emplace_back(text);
    client_fds_.push_back(fd);
    workers_.emplace_back([this, fd] { serve(fd); });
  }
}

void TestServer::serve(int fd) {
  std::vector<char> buffer(256 * 1024);
  for (;;) {
    const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), 0);
    if (n == 0) ends_.fetch_add(1);
    if (n <= 0) break;
    received_.fetch_add(static_cast<std::uint64_t>(n));
    if (mode_ == Mode::sink) continue;
    for (ssize_t sent = 0; sent < n;) {
      const ssize_t w =
          ::send(fd, buffer.data() + sent, static_cast<std::size_t>(n - sent), MSG_NOSIGNAL);
      if (w <= 0) return;
      sent += w;
    }
  }
  ::shutdown(fd, SHUT_WR);
}

Client::Client(std::uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in a = loopback(port);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

Client::~Client() {
  if (fd_ >= 0) ::close(fd_);
}

bool Client::send_all(const std::string& data) {
  for (std::size_t sent = 0; sent < data.size();) {
    const ssize_t w = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (w <= 0) return false;
    sent += static_cast<std::size_t>(w);
  }
  return true;
}

void Client::shutdown_write() {
  ::shutdown(fd_, SHUT_WR);
}

Client::Read Client::read_exact(std::size_t n, Clock::time_point deadline) {
  Read r;
  std::vector<char> buffer(64 * 1024);
  while (r.data.size() < n) {
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, poll_ms(deadline));
    if (ready == 0) {
      r.timed_out = true;
      return r;
    }
    if (ready < 0) {
      if (errno == EINTR) continue;
      r.error = errno;
      return r;
    }
    const ssize_t got = ::recv(fd_, buffer.data(), std::min(buffer.size(), n - r.data.size()), 0);
    if (got == 0) {
      r.eof = true;
      return r;
    }
    if (got < 0) {
      r.error = errno;
      return r;
    }
    r.data.append(buffer.data(), static_cast<std::size_t>(got));
  }
  return r;
}

Client::Read Client::read_to_end(Clock::time_point deadline) {
  Read r;
  for (int rounds = 0; rounds < 1'000'000 && !r.eof && r.error == 0 && !r.timed_out; ++rounds) {
    Read part = read_exact(64 * 1024, deadline);
    r.data += part.data;
    r.eof = part.eof;
    r.error = part.error;
    r.timed_out = part.timed_out;
  }
  return r;
}

bool Client::quiet_for(std::chrono::milliseconds quiet) {
  pollfd p{fd_, POLLIN, 0};
  return ::poll(&p, 1, static_cast<int>(quiet.count())) == 0;
}

double Client::round_trip_ms(std::size_t size, Clock::time_point deadline) {
  const std::string request(size, 'r');
  const auto start = Clock::now();
  if (!send_all(request)) return -1;
  const Read r = read_exact(size, deadline);
  if (r.data.size() != size) return -1;
  return ms_since(start);
}

std::unique_ptr<LinkProxy> open_link(ProxyEngine& engine, std::uint16_t upstream,
                                     std::uint64_t seed) {
  LinkSpec spec;
  spec.name = "test";
  spec.upstream = {"127.0.0.1", upstream};
  spec.seed = seed;
  LinkResult r = engine.create_link(spec);
  return std::move(r.link);
}

std::string random_bytes(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; i += 8) {
    const std::uint64_t x = rng();
    std::memcpy(s.data() + i, &x, std::min<std::size_t>(8, n - i));
  }
  return s;
}

std::uint64_t fnv1a(const std::string& data) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : data) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace faultline::proxy::test
