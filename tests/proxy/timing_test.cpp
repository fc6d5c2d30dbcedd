// Toxics that shape time, on real sockets: latency per direction, order kept
// under jitter, a latency change on an open connection, bandwidth of one and
// of several connections. Bounds are the brief's: latency within 10 % + 2 ms,
// bandwidth within 10 %.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "chaos/proxy/proxy_engine.hpp"
#include "tests/proxy/net_util.hpp"

namespace faultline::proxy {
namespace {

using namespace test;

double median_round_trip(Client& client, int n) {
  std::vector<double> ms;
  for (int i = 0; i < n; ++i) ms.push_back(client.round_trip_ms(64, soon()));
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

struct LatencyCase {
  Direction direction;
  double latency_ms;
};

class ProxyLatency : public ::testing::TestWithParam<LatencyCase> {};

TEST_P(ProxyLatency, AddsTheConfiguredDelayInOneDirection) {
  const LatencyCase c = GetParam();
  TestServer server;
  ProxyEngine engine;
  auto link = open_link(engine, server.port());
  ASSERT_TRUE(link);
  Client client(link->port());
  ASSERT_TRUE(client.ok());
  const double baseline = median_round_trip(client, 20);
  ASSERT_GT(baseline, 0);

  Toxics t;
  t.latency_ms = c.latency_ms;
  ASSERT_FALSE(link->set_toxics(c.direction, t).has_value());
  double sum = 0;
  double fastest = 1e9;
  constexpr int kTrips = 10;
  for (int i = 0; i < kTrips; ++i) {
    const double ms = client.round_trip_ms(64, soon());
    ASSERT_GT(ms, 0);
    sum += ms;
    fastest = std::min(fastest, ms);
  }
  const double added = sum / kTrips - baseline;
  EXPECT_NEAR(added, c.latency_ms, 0.1 * c.latency_ms + 2)
      << to_string(c.direction) << " " << c.latency_ms << " ms, baseline " << baseline << " ms";
  EXPECT_GE(fastest, c.latency_ms) << "no chunk leaves before its delay";
  const LinkStats s = link->stats();
  EXPECT_EQ(s.chunks_delayed, static_cast<std::uint64_t>(kTrips));
}

INSTANTIATE_TEST_SUITE_P(Directions, ProxyLatency,
                         ::testing::Values(LatencyCase{Direction::upstream, 10},
                                           LatencyCase{Direction::upstream, 50},
                                           LatencyCase{Direction::downstream, 10},
                                           LatencyCase{Direction::downstream, 50}),
                         [](const auto& param_info) {
                           return std::string(to_string(param_info.param.direction)) + "_" +
                                  std::to_string(static_cast<int>(param_info.param.latency_ms)) +
                                  "ms";
                         });

TEST(ProxyTiming, JitterNeverReordersBytes) {
  TestServer server;
  ProxyEngine engine;
  auto link = open_link(engine, server.port(), 99);
  ASSERT_TRUE(link);
  Toxics up;
  up.latency_ms = 5;
  up.jitter_ms = 5;
  Toxics down;
  down.latency_ms = 3;
  down.jitter_ms = 6;
  down.distribution = Distribution::paretonormal;
  ASSERT_FALSE(link->set_toxics(Direction::upstream, up).has_value());
  ASSERT_FALSE(link->set_toxics(Direction::downstream, down).has_value());

  Client client(link->port());
  ASSERT_TRUE(client.ok());
  std::string expected;
  for (int i = 0; i < 400; ++i) expected += "message " + std::to_string(i) + ";";
  std::thread writer([&] {
    // Small writes on a 1 ms schedule, so the proxy reads them as separate
    // chunks, each with its own delay, many of them in flight at once.
    auto next = Clock::now();
    for (std::size_t at = 0; at < expected.size(); at += 37) {
      if (!client.send_all(expected.substr(at, 37))) return;
      next += 1ms;
      std::this_thread::sleep_until(next);
    }
  });
  const Client::Read r = client.read_exact(expected.size(), soon());
  writer.join();
  EXPECT_TRUE(r.data == expected) << "got " << r.data.size() << " of " << expected.size();
  EXPECT_GT(link->stats().chunks_delayed, 100u);
}

TEST(ProxyTiming, ALatencyChangeReachesAnOpenConnection) {
  TestServer server;
  ProxyEngine engine;
  auto link = open_link(engine, server.port());
  ASSERT_TRUE(link);
  Client client(link->port());
  ASSERT_TRUE(client.ok());
  const double baseline = median_round_trip(client, 10);
  EXPECT_LT(baseline, 10);
  Toxics t;
  t.latency_ms = 50;
  ASSERT_FALSE(link->set_toxics(Direction::downstream, t).has_value());
  const double slowed = median_round_trip(client, 5);
  EXPECT_GE(slowed, 50);
  EXPECT_LT(slowed, 50 * 1.1 + 2 + baseline);
  ASSERT_FALSE(link->set_toxics(Direction::downstream, Toxics{}).has_value());
  EXPECT_LT(median_round_trip(client, 5), 10) << "healed";
}

// Writes `total` bytes in 64 KiB writes; returns when written or refused.
void write_bytes(Client& client, std::size_t total) {
  const std::string block(64 * 1024, 'b');
  for (std::size_t sent = 0; sent < total; sent += block.size()) {
    if (!client.send_all(block.substr(0, std::min(block.size(), total - sent)))) return;
  }
}

// Rate observed by `count` over `span` bytes: from the first observation of
// any byte to the first at which `span` more have come.
template <class Count>
double observed_rate(Count count, std::uint64_t span) {
  std::uint64_t first = 0;
  Clock::time_point t0;
  if (!eventually([&] { return (first = count()) > 0; })) return 0;
  t0 = Clock::now();
  std::uint64_t last = first;
  if (!eventually([&] { return (last = count()) >= first + span; }, in(30s))) return 0;
  return static_cast<double>(last - first) / (ms_since(t0) / 1000);
}

TEST(ProxyTiming, BandwidthOfOneConnection) {
  TestServer sink(TestServer::Mode::sink);
  ProxyEngine engine;
  auto link = open_link(engine, sink.port());
  ASSERT_TRUE(link);
  Toxics t;
  t.bandwidth_bytes_per_s = 1'000'000;
  ASSERT_FALSE(link->set_toxics(Direction::upstream, t).has_value());
  Client client(link->port());
  ASSERT_TRUE(client.ok());
  std::thread writer([&] { write_bytes(client, 2'300'000); });
  const double rate = observed_rate([&] { return sink.bytes_received(); }, 2'000'000);
  client.shutdown_write();
  ::shutdown(client.fd(), SHUT_RDWR);
  writer.join();
  EXPECT_NEAR(rate, 1'000'000, 100'000);
}

TEST(ProxyTiming, BandwidthIsSharedByTheConnectionsOfTheLink) {
  TestServer sink(TestServer::Mode::sink);
  ProxyEngine engine;
  auto link = open_link(engine, sink.port());
  ASSERT_TRUE(link);
  Toxics t;
  t.bandwidth_bytes_per_s = 1'000'000;
  ASSERT_FALSE(link->set_toxics(Direction::upstream, t).has_value());
  Client a(link->port());
  Client b(link->port());
  ASSERT_TRUE(a.ok() && b.ok());
  std::thread wa([&] { write_bytes(a, 1'200'000); });
  std::thread wb([&] { write_bytes(b, 1'200'000); });
  const double rate = observed_rate([&] { return sink.bytes_received(); }, 2'000'000);
  ::shutdown(a.fd(), SHUT_RDWR);
  ::shutdown(b.fd(), SHUT_RDWR);
  wa.join();
  wb.join();
  EXPECT_NEAR(rate, 1'000'000, 100'000);
}

TEST(ProxyTiming, BandwidthDownstream) {
  TestServer server;
  ProxyEngine engine;
  auto link = open_link(engine, server.port());
  ASSERT_TRUE(link);
  Toxics t;
  t.bandwidth_bytes_per_s = 500'000;
  ASSERT_FALSE(link->set_toxics(Direction::downstream, t).has_value());
  Client client(link->port());
  ASSERT_TRUE(client.ok());
  std::thread writer([&] { write_bytes(client, 1'100'000); });
  std::atomic<std::uint64_t> got{0};
  std::thread reader([&] {
    for (int i = 0; i < 100'000 && got < 1'100'000; ++i) {
      const Client::Read r =
          client.read_exact(std::min<std::size_t>(16 * 1024, 1'100'000 - got), soon());
      got += r.data.size();
      if (r.eof || r.error || r.timed_out) break;
    }
  });
  const double rate = observed_rate([&] { return got.load(); }, 1'000'000);
  writer.join();
  reader.join();
  EXPECT_NEAR(rate, 500'000, 50'000);
}

}  // namespace
}  // namespace faultline::proxy
