// A link without toxics, on real sockets: bytes pass unchanged, stats count
// them, the listener is bound, adopted or refused as asked, and closing the
// link frees its port.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "chaos/proxy/proxy_engine.hpp"
#include "tests/proxy/net_util.hpp"

namespace faultline::proxy {
namespace {

using namespace test;

// Sends `payload` from one thread while reading the echo on this one, so
// neither side's buffers fill up and stall.
std::string echo_through(std::uint16_t port, const std::string& payload) {
  Client client(port);
  if (!client.ok()) return {};
  std::thread writer([&] {
    client.send_all(payload);
    client.shutdown_write();
  });
  const Client::Read r = client.read_to_end(soon());
  writer.join();
  return r.eof ? r.data : std::string();
}

TEST(ProxyLink, PassesALargeRandomPayloadUnchanged) {
  TestServer server;
  ProxyEngine engine;
  auto link = open_link(engine, server.port());
  ASSERT_TRUE(link);
  const std::string payload = random_bytes(16 << 20, 1);
  const std::string echoed = echo_through(link->port(), payload);
  ASSERT_EQ(echoed.size(), payload.size());
  EXPECT_EQ(fnv1a(echoed), fnv1a(payload));
  EXPECT_TRUE(echoed == payload);
  EXPECT_TRUE(eventually([&] {
    const LinkStats s = link->stats();
    return s.bytes_upstream == payload.size() && s.bytes_downstream == payload.size() &&
           s.connections_active == 0;
  }));
  const LinkStats s = link->stats();
  EXPECT_EQ(s.connections_accepted, 1u);
  EXPECT_EQ(s.chunks_delayed, 0u);
  EXPECT_EQ(s.resets_sent, 0u);
}

TEST(ProxyLink, SeveralConnectionsOnSeveralThreads) {
  TestServer server;
  ProxyEngine engine(EngineOptions{2});
  EXPECT_EQ(engine.threads(), 2u);
  auto link = open_link(engine, server.port());
  ASSERT_TRUE(link);
  std::vector<std::thread> clients;
  std::vector<int> intact(4, 0);
  for (int i = 0; i < 4; ++i) {
    clients.emplace_back([&, i] {
      const std::string payload = random_bytes(2 << 20, 10 + static_cast<std::uint64_t>(i));
      intact[static_cast<std::size_t>(i)] = echo_through(link->port(), payload) == payload;
    });
  }
  for (auto& c : clients) c.join();
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(intact[static_cast<std::size_t>(i)]) << "client " << i;
  EXPECT_EQ(link->stats().connections_accepted, 4u);
}

TEST(ProxyLink, CountsActiveConnections) {
  TestServer server;
  ProxyEngine engine;
  auto link = open_link(engine, server.port());
  ASSERT_TRUE(link);
  {
    Client a(link->port());
    Client b(link->port());
    ASSERT_GT(a.round_trip_ms(64, soon()), 0);
    ASSERT_GT(b.round_trip_ms(64, soon()), 0);
    EXPECT_EQ(link->stats().connections_active, 2u);
    EXPECT_EQ(server.connections(), 2u);
  }
  EXPECT_TRUE(eventually([&] { return link->stats().connections_active == 0; }));
  EXPECT_EQ(link->stats().connections_accepted, 2u);
  EXPECT_EQ(link->stats().bytes_upstream, 128u);
}

TEST(ProxyLink, ClosingTheLinkClosesItsConnectionsAndFreesThePort) {
  TestServer server;
  ProxyEngine engine;
  auto link = open_link(engine, server.port());
  ASSERT_TRUE(link);
  const std::uint16_t port = link->port();
  Client client(port);
  ASSERT_GT(client.round_trip_ms(64, soon()), 0);
  const auto start = Clock::now();
  link->close();
  EXPECT_TRUE(link->closed());
  const Client::Read r = client.read_to_end(in(2s));
  EXPECT_TRUE(r.eof || r.error != 0) << "the open connection ends";
  EXPECT_LT(ms_since(start), 1000);
  // Nobody listens there any more...
  Client refused(port);
  EXPECT_FALSE(refused.ok());
  // ...and a new listener can take the port at once.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0) << std::strerror(errno);
  ::close(fd);
  // A closed link refuses new toxics.
  EXPECT_TRUE(link->set_toxics(Direction::upstream, Toxics{}).has_value());
  link->close();  // idempotent
}

TEST(ProxyLink, ListensOnAnAdoptedSocket) {
  TestServer server;
  ProxyEngine engine;
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(::listen(fd, 16), 0);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  LinkSpec spec;
  spec.name = "adopted";
  spec.listen_fd = fd;
  spec.upstream = {"127.0.0.1", server.port()};
  LinkResult r = engine.create_link(spec);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.link->port(), ntohs(a.sin_port));
  const std::string payload = random_bytes(1 << 20, 3);
  EXPECT_TRUE(echo_through(r.link->port(), payload) == payload);
}

TEST(ProxyLink, RefusesAnAdoptedDescriptorThatIsNotATcpSocket) {
  ProxyEngine engine;
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  LinkSpec spec;
  spec.name = "bad";
  spec.listen_fd = fds[0];
  spec.upstream = {"127.0.0.1", 9};
  LinkResult r = engine.create_link(spec);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("not a bound TCP socket"), std::string::npos) << r.error;
  // The link owned the descriptor and closed it.
  EXPECT_EQ(::fcntl(fds[0], F_GETFD), -1);
  ::close(fds[1]);
}

TEST(ProxyLink, RefusesATakenPortAndBadAddressesWithTheirNames) {
  TestServer server;
  ProxyEngine engine;
  auto first = open_link(engine, server.port());
  ASSERT_TRUE(first);
  LinkSpec spec;
  spec.name = "m1->m2";
  spec.listen = {"127.0.0.1", first->port()};
  spec.upstream = {"127.0.0.1", server.port()};
  LinkResult taken = engine.create_link(spec);
  EXPECT_FALSE(taken.ok());
  EXPECT_NE(taken.error.find("m1->m2"), std::string::npos) << taken.error;
  EXPECT_NE(taken.error.find("cannot listen on 127.0.0.1:" + std::to_string(first->port())),
            std::string::npos)
      << taken.error;
  spec.listen.port = 0;
  spec.upstream.address = "localhost";
  LinkResult bad = engine.create_link(spec);
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.error.find("upstream.address"), std::string::npos) << bad.error;
  spec.upstream = {"127.0.0.1", 0};
  EXPECT_NE(engine.create_link(spec).error.find("upstream.port"), std::string::npos);
}

TEST(ProxyLink, BindsUpstreamConnectionsToTheSourceAddress) {
  TestServer server;
  ProxyEngine engine;
  LinkSpec spec;
  spec.name = "sourced";
  spec.upstream = {"127.0.0.1", server.port()};
  spec.source_address = "127.0.0.2";
  LinkResult r = engine.create_link(spec);
  ASSERT_TRUE(r.ok()) << r.error;
  Client client(r.link->port());
  ASSERT_GT(client.round_trip_ms(64, soon()), 0);
  ASSERT_EQ(server.peer_addresses().size(), 1u);
  EXPECT_EQ(server.peer_addresses()[0], "127.0.0.2");
}

TEST(ProxyLink, AnUpstreamThatRefusesResetsTheClient) {
  int port = 0;
  {
    TestServer gone;  // a port that was free a moment ago and is closed now
    port = gone.port();
  }
  ProxyEngine engine;
  auto link = open_link(engine, static_cast<std::uint16_t>(port));
  ASSERT_TRUE(link);
  Client client(link->port());
  ASSERT_TRUE(client.ok());
  const auto start = Clock::now();
  const Client::Read r = client.read_to_end(in(2s));
  EXPECT_TRUE(r.error == ECONNRESET || r.eof) << "error " << r.error;
  EXPECT_LT(ms_since(start), 1000);
  EXPECT_TRUE(eventually([&] { return link->stats().resets_sent == 1; }));
}

TEST(ProxyLink, HandlesOutliveTheEngineInert) {
  TestServer server;
  std::unique_ptr<LinkProxy> link;
  std::unique_ptr<Client> client;
  {
    ProxyEngine engine;
    link = open_link(engine, server.port());
    ASSERT_TRUE(link);
    client = std::make_unique<Client>(link->port());
    ASSERT_GT(client->round_trip_ms(64, soon()), 0);
  }
  EXPECT_TRUE(link->closed());
  EXPECT_TRUE(link->set_toxics(Direction::downstream, Toxics{}).has_value());
  EXPECT_EQ(link->stats().bytes_upstream, 64u);
  const Client::Read r = client->read_to_end(in(2s));
  EXPECT_TRUE(r.eof || r.error != 0);
}

}  // namespace
}  // namespace faultline::proxy
