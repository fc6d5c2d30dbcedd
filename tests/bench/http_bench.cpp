// Per-request latency of the reference cluster's HTTP layer on loopback:
// one http::Client (one libcurl handle) sends PUTs to an http::Server whose
// handler answers at once, over kept-alive connections. What it shows is the
// cost of the HTTP path alone (no Raft, no fsync): with TCP_NODELAY and
// keep-alive a request takes tens of microseconds; without TCP_NODELAY a
// kept-alive connection would take ~40 ms (Nagle meets delayed ACK).
//
//   http_bench [REQUESTS]   (default 5000, at most 100000, and 30 s)
//
// Prints the latency percentiles and how many connections carried them.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "cluster/http/client.hpp"
#include "cluster/http/server.hpp"

int main(int argc, char** argv) {
  using Clock = std::chrono::steady_clock;
  namespace http = faultline::http;
  const long requested = argc > 1 ? std::atol(argv[1]) : 5000;
  const std::size_t requests = static_cast<std::size_t>(std::clamp(requested, 1L, 100'000L));
  const auto time_limit = std::chrono::seconds(30);

  std::mutex mu;
  std::set<std::string> connections;  // client addresses seen by the server
  http::Server server(4);
  server.put("/api/kv/(.+)", [&](const http::Request& request) {
    {
      std::lock_guard lock(mu);
      connections.insert(request.remote);
    }
    return http::json_response(200, R"({"success":true,"index":1})");
  });
  std::string error;
  if (!server.start(faultline::net::Endpoint{"127.0.0.1", 0}, error)) {
    std::fprintf(stderr, "http_bench: %s\n", error.c_str());
    return 1;
  }
  const std::string url = "http://" + server.bound().to_string() + "/api/kv/bench";
  http::Client client;
  for (int i = 0; i < 100; ++i) client.request("PUT", url, "warm-up", 2000);  // connection, caches
  {
    std::lock_guard lock(mu);
    connections.clear();
  }

  std::vector<double> micros;
  micros.reserve(requests);
  std::size_t failed = 0;
  const auto started = Clock::now();
  for (std::size_t i = 0; i < requests && Clock::now() - started < time_limit; ++i) {
    const auto t0 = Clock::now();
    const auto response = client.request("PUT", url, "value-" + std::to_string(i), 2000);
    const auto t1 = Clock::now();
    if (!response.ok() || response.status != 200) ++failed;
    micros.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
  const double total_s = std::chrono::duration<double>(Clock::now() - started).count();
  server.stop();

  std::sort(micros.begin(), micros.end());
  const auto at = [&](double q) {
    return micros[std::min(micros.size() - 1, static_cast<std::size_t>(q * static_cast<double>(micros.size())))];
  };
  std::printf("http_bench: %zu PUTs on loopback, one client, %.2f s (%.0f requests/s), %zu failed\n",
              micros.size(), total_s, static_cast<double>(micros.size()) / total_s, failed);
  std::printf("  latency us: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f\n", at(0.50), at(0.90), at(0.99),
              micros.back());
  std::printf("  connections used: %zu (keep-alive closes one after %zu requests or %d s idle)\n",
              connections.size(), http::Server::kKeepAliveMaxRequests, http::Server::kKeepAliveIdleSeconds);
  return failed == 0 ? 0 : 1;
}
