#include "chaos/netns/connect_probe.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <thread>

namespace faultline::netns {
namespace {

using SteadyClock = std::chrono::steady_clock;

struct Attempt {
  int fd = -1;
  SteadyClock::time_point started;
  bool done = false;
};

std::string where(const ProbeSource& from, const Endpoint& to) {
  return "probe from namespace '" + (from.ns ? from.ns->name() : std::string("?")) + "' to " +
         to.address + ":" + std::to_string(to.port);
}

ConnectResult classify(int err, const ProbeSource& from, const Endpoint& to) {
  ConnectResult result;
  switch (err) {
    case 0:
      result.outcome = ConnectOutcome::connected;
      break;
    case ECONNREFUSED:
      result.outcome = ConnectOutcome::refused;
      break;
    case ECONNRESET:
      result.outcome = ConnectOutcome::reset;
      break;
    case ETIMEDOUT:
      result.outcome = ConnectOutcome::timed_out;
      break;
    case EHOSTUNREACH:
    case ENETUNREACH:
      result.outcome = ConnectOutcome::unreachable;
      break;
    default:
      result.outcome = ConnectOutcome::error;
      result.error = where(from, to) + ": " + std::strerror(err);
  }
  return result;
}

bool to_sockaddr(const std::string& address, std::uint16_t port, sockaddr_in& out) {
  out = sockaddr_in{};
  out.sin_family = AF_INET;
  out.sin_port = htons(port);
  return ::inet_pton(AF_INET, address.c_str(), &out.sin_addr) == 1;
}

// Starts one non-blocking connect. Returns a finished result when it failed
// or completed at once; otherwise leaves attempt.fd pending.
std::optional<ConnectResult> start(const ProbeSource& from, const Endpoint& to, Attempt& attempt) {
  attempt.started = SteadyClock::now();
  sockaddr_in target{};
  if (!to_sockaddr(to.address, to.port, target)) {
    ConnectResult bad;
    bad.error = where(from, to) + ": not a dotted IPv4 address";
    return bad;
  }
  attempt.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (attempt.fd < 0) return classify(errno, from, to);
  if (!from.bind_address.empty()) {
    sockaddr_in source{};
    if (!to_sockaddr(from.bind_address, 0, source)) {
      ConnectResult bad;
      bad.error = where(from, to) + ": bind address '" + from.bind_address + "' is not IPv4";
      return bad;
    }
    if (::bind(attempt.fd, reinterpret_cast<sockaddr*>(&source), sizeof source) != 0) {
      const int err = errno;
      ConnectResult bad;
      bad.error = where(from, to) + ": bind to " + from.bind_address + ": " + std::strerror(err);
      return bad;
    }
  }
  if (::connect(attempt.fd, reinterpret_cast<sockaddr*>(&target), sizeof target) == 0)
    return classify(0, from, to);
  if (errno != EINPROGRESS) return classify(errno, from, to);
  return std::nullopt;
}

// All probes of one source, on the calling thread (already in its namespace).
void probe_all(const ProbeSource& from, const std::vector<Endpoint>& targets,
               std::chrono::milliseconds timeout, std::vector<ConnectResult>& results) {
  std::vector<Attempt> attempts(targets.size());
  results.assign(targets.size(), ConnectResult{});
  auto finish = [&](std::size_t i, ConnectResult result) {
    result.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() -
                                                                           attempts[i].started);
    results[i] = std::move(result);
    attempts[i].done = true;
    if (attempts[i].fd >= 0) ::close(attempts[i].fd);
    attempts[i].fd = -1;
  };
  for (std::size_t i = 0; i < targets.size(); ++i)
    if (auto now = start(from, targets[i], attempts[i])) finish(i, std::move(*now));

  const auto deadline = SteadyClock::now() + timeout;
  while (true) {
    std::vector<pollfd> fds;
    std::vector<std::size_t> index;
    for (std::size_t i = 0; i < attempts.size(); ++i) {
      if (attempts[i].done) continue;
      fds.push_back(pollfd{attempts[i].fd, POLLOUT, 0});
      index.push_back(i);
    }
    if (fds.empty()) break;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
    if (left.count() <= 0) {
      for (std::size_t i : index) finish(i, classify(ETIMEDOUT, from, targets[i]));
      break;
    }
    if (::poll(fds.data(), fds.size(), static_cast<int>(left.count()) + 1) < 0 && errno != EINTR)
      break;
    for (std::size_t k = 0; k < fds.size(); ++k) {
      if (fds[k].revents == 0) continue;
      int err = 0;
      socklen_t len = sizeof err;
      if (::getsockopt(fds[k].fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
      finish(index[k], classify(err, from, targets[index[k]]));
    }
  }
  for (std::size_t i = 0; i < attempts.size(); ++i)
    if (!attempts[i].done) finish(i, classify(errno ? errno : EIO, from, targets[i]));
}

void probe_from(const ProbeSource& from, const std::vector<Endpoint>& targets,
                std::chrono::milliseconds timeout, std::vector<ConnectResult>& results) {
  if (!from.ns || !from.ns->valid()) {
    results.assign(targets.size(), ConnectResult{});
    for (std::size_t i = 0; i < targets.size(); ++i)
      results[i].error = where(from, targets[i]) + ": no namespace";
    return;
  }
  if (auto error = from.ns->enter_on_this_thread()) {
    results.assign(targets.size(), ConnectResult{});
    for (auto& r : results) r.error = *error;
    return;
  }
  probe_all(from, targets, timeout, results);
}

}  // namespace

const char* outcome_name(ConnectOutcome outcome) {
  switch (outcome) {
    case ConnectOutcome::connected:
      return "connected";
    case ConnectOutcome::refused:
      return "refused";
    case ConnectOutcome::reset:
      return "reset";
    case ConnectOutcome::timed_out:
      return "timed out";
    case ConnectOutcome::unreachable:
      return "unreachable";
    case ConnectOutcome::error:
      return "error";
  }
  return "error";
}

ConnectResult connect_probe(const ProbeSource& from, const Endpoint& to,
                            std::chrono::milliseconds timeout) {
  std::vector<ConnectResult> results;
  std::thread prober([&] { probe_from(from, {to}, timeout, results); });
  prober.join();
  return results.front();
}

ReachabilityMatrix reachability(const std::vector<ProbeSource>& froms,
                                const std::vector<Endpoint>& targets,
                                std::chrono::milliseconds timeout) {
  ReachabilityMatrix matrix;
  matrix.cells.resize(froms.size());
  const auto started = SteadyClock::now();
  {
    std::vector<std::thread> probers;
    for (std::size_t i = 0; i < froms.size(); ++i)
      probers.emplace_back([&, i] { probe_from(froms[i], targets, timeout, matrix.cells[i]); });
    for (auto& prober : probers) prober.join();
  }
  matrix.elapsed =
      std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - started);
  return matrix;
}

}  // namespace faultline::netns
