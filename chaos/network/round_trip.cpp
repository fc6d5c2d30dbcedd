#include "chaos/network/round_trip.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace faultline::network {
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// One sample, or a negative value with `error` set.
double one_trip(const std::string& address, int port, const std::string& payload,
                std::chrono::milliseconds timeout, std::string& error) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = std::string("socket: ") + std::strerror(errno);
    return -1;
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<std::uint16_t>(port));
  ::inet_pton(AF_INET, address.c_str(), &to.sin_addr);
  double sample = -1;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof(to)) != 0) {
    error = "connect to " + address + ":" + std::to_string(port) + ": " + std::strerror(errno);
  } else {
    const auto start = Clock::now();
    if (::send(fd, payload.data(), payload.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(payload.size())) {
      error = std::string("send: ") + std::strerror(errno);
    } else {
      pollfd p{fd, POLLIN, 0};
      const int ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
      if (ready == 1) {
        char byte = 0;
        ::recv(fd, &byte, 1, 0);  // a byte, or the end of the stream: either answers
        sample = ms_since(start);
      } else {
        error = "no answer from " + address + ":" + std::to_string(port) + " within " +
                std::to_string(timeout.count()) + " ms";
      }
    }
  }
  ::close(fd);
  return sample;
}

}  // namespace

RoundTrips round_trips(const netns::Namespace* from, const std::string& address, int port,
                       const std::string& payload, int count, std::chrono::milliseconds timeout) {
  RoundTrips out;
  auto take = [&] {
    for (int i = 0; i < count; ++i) {
      std::string error;
      const double sample = one_trip(address, port, payload, timeout, error);
      if (sample < 0) {
        if (out.error.empty()) out.error = error;
        continue;
      }
      out.samples_ms.push_back(sample);
    }
  };
  if (from == nullptr) {
    take();
  } else if (auto error = netns::run_on_thread_in(*from, take)) {
    out.error = *error;
  }
  return out;
}

}  // namespace faultline::network
