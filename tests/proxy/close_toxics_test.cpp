// Connection-level toxics, on real sockets: reset, blackhole, timeout,
// limit_bytes and slow_close, on new and on open connections.
#include <gtest/gtest.h>

#include <cerrno>

#include "chaos/proxy/proxy_engine.hpp"
#include "tests/proxy/net_util.hpp"

namespace faultline::proxy {
namespace {

using namespace test;

struct Fixture {
  TestServer server;
  ProxyEngine engine;
  std::unique_ptr<LinkProxy> link = open_link(engine, server.port());
};

TEST(ProxyCloseToxics, ResetRefusesNewConnectionsAtOnce) {
  Fixture f;
  ASSERT_TRUE(f.link);
  Toxics t;
  t.reset = true;
  ASSERT_FALSE(f.link->set_toxics(Direction::upstream, t).has_value());
  Client client(f.link->port());
  ASSERT_TRUE(client.ok());
  const auto start = Clock::now();
  const Client::Read r = client.read_to_end(in(2s));
  EXPECT_TRUE(r.error == ECONNRESET || r.eof) << "error " << r.error;
  EXPECT_LT(ms_since(start), 500);
  EXPECT_TRUE(eventually([&] { return f.link->stats().resets_sent >= 1; }));
  EXPECT_EQ(f.server.connections(), 0u) << "a reset connection never reaches upstream";
}

TEST(ProxyCloseToxics, ResetEndsAnOpenConnectionWithRst) {
  Fixture f;
  ASSERT_TRUE(f.link);
  Client client(f.link->port());
  ASSERT_GT(client.round_trip_ms(64, soon()), 0);
  Toxics t;
  t.reset = true;
  ASSERT_FALSE(f.link->set_toxics(Direction::downstream, t).has_value());
  const Client::Read r = client.read_to_end(in(2s));
  EXPECT_EQ(r.error, ECONNRESET);
  EXPECT_EQ(f.link->stats().resets_sent, 2u) << "client and server side";
}

TEST(ProxyCloseToxics, BlackholeSwallowsBytesUntilLifted) {
  Fixture f;
  ASSERT_TRUE(f.link);
  Toxics t;
  t.blackhole = true;
  ASSERT_FALSE(f.link->set_toxics(Direction::upstream, t).has_value());
  ASSERT_FALSE(f.link->set_toxics(Direction::downstream, t).has_value());
  Client client(f.link->port());
  ASSERT_TRUE(client.send_all(std::string(1000, 'x')));
  EXPECT_TRUE(client.quiet_for(300ms)) << "nothing comes back, not even a close";
  EXPECT_EQ(f.server.bytes_received(), 0u) << "the server saw nothing";
  // Lifted on the open connection: new bytes flow again, the old ones are gone.
  ASSERT_FALSE(f.link->set_toxics(Direction::upstream, Toxics{}).has_value());
  ASSERT_FALSE(f.link->set_toxics(Direction::downstream, Toxics{}).has_value());
  EXPECT_GT(client.round_trip_ms(64, soon()), 0);
  EXPECT_EQ(f.server.bytes_received(), 64u);
}

TEST(ProxyCloseToxics, BlackholeSwallowsTheCloseUntilLifted) {
  Fixture f;
  ASSERT_TRUE(f.link);
  Client client(f.link->port());
  ASSERT_GT(client.round_trip_ms(64, soon()), 0);
  Toxics t;
  t.blackhole = true;
  ASSERT_FALSE(f.link->set_toxics(Direction::upstream, t).has_value());
  client.shutdown_write();
  EXPECT_TRUE(client.quiet_for(300ms));
  EXPECT_EQ(f.server.ends_seen(), 0u) << "the FIN was swallowed";
  ASSERT_FALSE(f.link->set_toxics(Direction::upstream, Toxics{}).has_value());
  EXPECT_TRUE(eventually([&] { return f.server.ends_seen() == 1; })) << "and passed on when lifted";
  const Client::Read r = client.read_to_end(soon());
  EXPECT_TRUE(r.eof) << "the server's close comes back";
}

TEST(ProxyCloseToxics, TimeoutStopsDataThenCloses) {
  Fixture f;
  ASSERT_TRUE(f.link);
  Toxics t;
  t.timeout_ms = 300;
  ASSERT_FALSE(f.link->set_toxics(Direction::upstream, t).has_value());
  const auto start = Clock::now();
  Client client(f.link->port());
  ASSERT_TRUE(client.send_all("hello"));
  const Client::Read r = client.read_to_end(in(5s));
  const double ended = ms_since(start);
  EXPECT_TRUE(r.eof) << "closed with FIN, error " << r.error;
  EXPECT_TRUE(r.data.empty()) << "no data passed";
  EXPECT_GE(ended, 290);
  EXPECT_LT(ended, 2000);
  EXPECT_EQ(f.server.bytes_received(), 0u);
}

TEST(ProxyCloseToxics, TimeoutZeroStopsDataAndNeverCloses) {
  Fixture f;
  ASSERT_TRUE(f.link);
  Client client(f.link->port());
  ASSERT_GT(client.round_trip_ms(64, soon()), 0);
  Toxics t;
  t.timeout_ms = 0;
  ASSERT_FALSE(f.link->set_toxics(Direction::downstream, t).has_value());
  ASSERT_TRUE(client.send_all("lost"));
  EXPECT_TRUE(client.quiet_for(400ms));
  EXPECT_TRUE(eventually([&] { return f.server.bytes_received() == 68; }))
      << "upstream still flows";
  EXPECT_EQ(f.link->stats().connections_active, 1u);
}

TEST(ProxyCloseToxics, LimitPassesExactlyNBytesDownstreamThenCloses) {
  Fixture f;
  ASSERT_TRUE(f.link);
  Toxics t;
  t.limit_bytes = 1000;
  ASSERT_FALSE(f.link->set_toxics(Direction::downstream, t).has_value());
  Client client(f.link->port());
  const std::string payload = random_bytes(5000, 4);
  ASSERT_TRUE(client.send_all(payload));
  const Client::Read r = client.read_to_end(in(5s));
  EXPECT_TRUE(r.eof) << "FIN, not RST: error " << r.error;
  ASSERT_EQ(r.data.size(), 1000u);
  EXPECT_EQ(r.data, payload.substr(0, 1000));
  EXPECT_TRUE(eventually([&] { return f.link->stats().connections_active == 0; }));
  EXPECT_EQ(f.link->stats().bytes_downstream, 1000u);
}

TEST(ProxyCloseToxics, LimitPassesExactlyNBytesUpstream) {
  TestServer sink(TestServer::Mode::sink);
  ProxyEngine engine;
  auto link = open_link(engine, sink.port());
  ASSERT_TRUE(link);
  Toxics t;
  t.limit_bytes = 777;
  ASSERT_FALSE(link->set_toxics(Direction::upstream, t).has_value());
  Client client(link->port());
  ASSERT_TRUE(client.send_all(std::string(3000, 'u')));
  const Client::Read r = client.read_to_end(in(5s));
  EXPECT_TRUE(r.eof) << "error " << r.error;
  // The sink may count after the client saw the close; it must reach 777
  // and never pass it.
  EXPECT_TRUE(eventually([&] { return sink.bytes_received() >= 777; }));
  EXPECT_EQ(sink.bytes_received(), 777u);
  EXPECT_EQ(link->stats().bytes_upstream, 777u);
}

// Half-closes the client and returns how long the close took to come back
// through the echo server and the proxy.
double close_round_trip_ms(LinkProxy& link) {
  Client client(link.port());
  if (client.round_trip_ms(8, soon()) < 0) return -1;
  const auto start = Clock::now();
  client.shutdown_write();
  const Client::Read r = client.read_to_end(in(5s));
  return r.eof ? ms_since(start) : -1;
}

TEST(ProxyCloseToxics, SlowCloseDelaysTheClose) {
  Fixture f;
  ASSERT_TRUE(f.link);
  const double prompt = close_round_trip_ms(*f.link);
  ASSERT_GE(prompt, 0);
  EXPECT_LT(prompt, 200);
  Toxics t;
  t.slow_close_ms = 400;
  ASSERT_FALSE(f.link->set_toxics(Direction::downstream, t).has_value());
  const double slow = close_round_trip_ms(*f.link);
  EXPECT_GE(slow, 400);
  EXPECT_LT(slow, 2000);
}

}  // namespace
}  // namespace faultline::proxy
