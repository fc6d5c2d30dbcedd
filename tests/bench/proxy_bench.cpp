// The link proxy against a direct connection, socat and haproxy, side by side
// on loopback against the same echo and sink servers (run by this process):
//  - round trip of a small request and its echo: p50 and p99, and what each
//    proxy adds to the direct path;
//  - throughput with 64 KiB writes into a sink that discards;
//  - precision of configured latency (1, 10, 100 ms upstream): the observed
//    added latency's mean and p99 against the proxy's own healthy round trip.
//
//   proxy_bench free-ports N
//   proxy_bench run [--echo-port P --sink-port P] [--socat-echo P --socat-sink P]
//                   [--haproxy-echo P --haproxy-sink P] [--trips N] [--seconds S] [--size B]
//                   [--buffer B (the proxy's LinkSpec::buffer_bytes)] [--precision 0 (skip it)]
// scripts/bench-proxy.sh starts socat and haproxy on free ports and runs it.
// Every loop is bounded by a count and a time.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "chaos/proxy/proxy_engine.hpp"
#include "tests/proxy/net_util.hpp"

namespace {

using namespace faultline::proxy;
using namespace faultline::proxy::test;

struct Percentiles {
  double p50_us = 0;
  double p99_us = 0;
  double mean_us = 0;
  std::size_t n = 0;
};

Percentiles percentiles(std::vector<double> us) {
  Percentiles p;
  if (us.empty()) return p;
  std::sort(us.begin(), us.end());
  p.n = us.size();
  p.p50_us = us[us.size() / 2];
  p.p99_us = us[std::min(us.size() - 1, us.size() * 99 / 100)];
  double sum = 0;
  for (double x : us) sum += x;
  p.mean_us = sum / static_cast<double>(us.size());
  return p;
}

// Blocking send and recv, no poll: the tightest loop a client can run.
bool trip(int fd, const std::string& request, std::string& buffer) {
  if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    return false;
  }
  std::size_t got = 0;
  while (got < request.size()) {
    const ssize_t n = ::recv(fd, buffer.data() + got, request.size() - got, 0);
    if (n <= 0) return false;
    got += static_cast<std::size_t>(n);
  }
  return true;
}

// `trips` round trips after `warmup` more, bounded by `budget`; in
// microseconds.
std::vector<double> round_trips(std::uint16_t port, std::size_t size, int trips, int warmup,
                                std::chrono::seconds budget) {
  std::vector<double> us;
  Client client(port);
  if (!client.ok()) return us;
  const std::string request(size, 'q');
  std::string buffer(size, '\0');
  const auto end = Clock::now() + budget;
  for (int i = 0; i < warmup && Clock::now() < end; ++i) {
    if (!trip(client.fd(), request, buffer)) return {};
  }
  us.reserve(static_cast<std::size_t>(trips));
  for (int i = 0; i < trips && Clock::now() < end; ++i) {
    const auto t0 = Clock::now();
    if (!trip(client.fd(), request, buffer)) break;
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  return us;
}

// MB/s (10^6 bytes) of 64 KiB writes for `seconds`, measured where the sink
// has received the last byte.
double throughput(std::uint16_t port, const TestServer& sink, double seconds) {
  Client client(port);
  if (!client.ok()) return 0;
  const std::uint64_t before = sink.bytes_received();
  const std::string block(64 * 1024, 't');
  std::uint64_t sent = 0;
  const auto t0 = Clock::now();
  const auto stop = t0 + std::chrono::duration<double>(seconds);
  constexpr std::uint64_t kCap = 200ULL << 30;  // far beyond any loopback
  while (Clock::now() < stop && sent < kCap) {
    if (!client.send_all(block)) return 0;
    sent += block.size();
  }
  if (!eventually([&] { return sink.bytes_received() - before >= sent; }, in(20s))) return 0;
  const double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
  return static_cast<double>(sent) / elapsed / 1e6;
}

bool wait_listening(std::uint16_t port) {
  return eventually([&] { return Client(port).ok(); }, in(10s));
}

int free_ports(int n) {
  std::vector<int> fds;
  for (int i = 0; i < n && i < 64; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
      return 1;
    }
    std::printf("%d\n", ntohs(a.sin_port));
    fds.push_back(fd);
  }
  for (int fd : fds) ::close(fd);
  return 0;
}

struct Path {
  std::string name;
  std::uint16_t echo = 0;
  std::uint16_t sink = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 3 && std::string(argv[1]) == "free-ports") return free_ports(std::stoi(argv[2]));
  if (argc < 2 || std::string(argv[1]) != "run") {
    std::fprintf(stderr, "usage: proxy_bench free-ports N | proxy_bench run [options]\n");
    return 2;
  }
  std::map<std::string, std::string> opt;
  for (int i = 2; i + 1 < argc; i += 2) opt[argv[i]] = argv[i + 1];
  auto num = [&](const char* key, double fallback) {
    return opt.count(key) ? std::stod(opt[key]) : fallback;
  };
  const int trips = static_cast<int>(num("--trips", 20000));
  const double seconds = num("--seconds", 3);
  const auto size = static_cast<std::size_t>(num("--size", 64));

  TestServer echo(TestServer::Mode::echo, static_cast<std::uint16_t>(num("--echo-port", 0)));
  TestServer sink(TestServer::Mode::sink, static_cast<std::uint16_t>(num("--sink-port", 0)));
  if (!echo.ok() || !sink.ok()) {
    std::fprintf(stderr, "proxy_bench: cannot listen on the echo or sink port\n");
    return 3;
  }
  ProxyEngine engine;
  const auto buffer = static_cast<std::size_t>(num("--buffer", 1 << 20));
  auto proxied = [&](std::uint16_t upstream) {
    LinkSpec spec;
    spec.name = "bench";
    spec.upstream = {"127.0.0.1", upstream};
    spec.buffer_bytes = buffer;
    return std::move(engine.create_link(spec).link);
  };
  auto proxied_echo = proxied(echo.port());
  auto proxied_sink = proxied(sink.port());
  if (!proxied_echo || !proxied_sink) {
    std::fprintf(stderr, "proxy_bench: cannot open the links\n");
    return 3;
  }
  std::vector<Path> paths = {{"direct", echo.port(), sink.port()},
                             {"faultline", proxied_echo->port(), proxied_sink->port()}};
  for (const char* other : {"socat", "haproxy"}) {
    const std::string e = std::string("--") + other + "-echo";
    const std::string s = std::string("--") + other + "-sink";
    if (!opt.count(e) || !opt.count(s)) continue;
    Path p{other, static_cast<std::uint16_t>(std::stoi(opt[e])),
           static_cast<std::uint16_t>(std::stoi(opt[s]))};
    if (!wait_listening(p.echo) || !wait_listening(p.sink)) {
      std::fprintf(stderr, "proxy_bench: %s does not listen on %u/%u; skipped\n", other, p.echo,
                   p.sink);
      continue;
    }
    paths.push_back(p);
  }

  std::printf(
      "round trip of %zu B request + echo, %d trips; throughput: 64 KiB writes for %.0f s\n", size,
      trips, seconds);
  std::printf("%-10s %9s %9s %11s %11s %10s\n", "path", "p50 us", "p99 us", "added p50",
              "added p99", "MB/s");
  Percentiles direct;
  double faultline_p50_us = 0;
  for (const Path& p : paths) {
    const Percentiles r =
        percentiles(round_trips(p.echo, size, trips, 1000, std::chrono::seconds(60)));
    if (p.name == "direct") direct = r;
    if (p.name == "faultline") faultline_p50_us = r.p50_us;
    const double mbps = throughput(p.sink, sink, seconds);
    if (p.name == "direct") {
      std::printf("%-10s %9.1f %9.1f %11s %11s %10.0f\n", p.name.c_str(), r.p50_us, r.p99_us, "-",
                  "-", mbps);
    } else {
      std::printf("%-10s %9.1f %9.1f %11.1f %11.1f %10.0f\n", p.name.c_str(), r.p50_us, r.p99_us,
                  r.p50_us - direct.p50_us, r.p99_us - direct.p99_us, mbps);
    }
    std::fflush(stdout);
  }

  if (num("--precision", 1) == 0) return 0;
  std::printf(
      "\nlatency precision (faultline, upstream latency; added = round trip - %.1f us,\n"
      "the healthy proxied p50)\n",
      faultline_p50_us);
  std::printf("%-12s %8s %14s %12s %14s\n", "configured", "samples", "mean added ms", "error ms",
              "p99 added ms");
  for (const double ms : {1.0, 10.0, 100.0}) {
    auto link = proxied(echo.port());
    Toxics t;
    t.latency_ms = ms;
    if (!link || link->set_toxics(Direction::upstream, t)) return 3;
    const int n = ms < 5 ? 2000 : ms < 50 ? 300 : 40;
    std::vector<double> added = round_trips(link->port(), size, n, 3, std::chrono::seconds(30));
    for (double& x : added) x -= faultline_p50_us;
    const Percentiles r = percentiles(added);
    std::printf("%-12s %8zu %14.3f %+12.3f %14.3f\n",
                (std::to_string(static_cast<int>(ms)) + " ms").c_str(), r.n, r.mean_us / 1000,
                r.mean_us / 1000 - ms, r.p99_us / 1000);
  }
  return 0;
}
