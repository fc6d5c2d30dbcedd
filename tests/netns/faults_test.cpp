// Loss, reset, redirect and bandwidth on a real fabric, measured with real
// sockets.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <thread>

#include "chaos/netns/connect_probe.hpp"
#include "chaos/netns/fabric_policy.hpp"
#include "tests/netns/netns_support.hpp"

namespace faultline::netns {
namespace {

using std::chrono::milliseconds;
using test::Fd;
using SteadyClock = std::chrono::steady_clock;

class NetnsFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    FAULTLINE_REQUIRE_NETNS();
    auto created = Fabric::create({{"a", "b"}});
    ASSERT_TRUE(created.ok()) << created.error;
    fabric_ = std::move(created.fabric);
  }
  const Namespace& ns(const char* id) const { return *fabric_->member(id); }
  std::string address(const char* id) const { return fabric_->member_address(id); }

  std::unique_ptr<Fabric> fabric_;
};

struct UdpCount {
  int sent = 0;
  int rejected = 0;  // sendto failed with EPERM: dropped in the sender's own output hook
  int received = 0;
};

// `count` numbered datagrams from `from` to `to`, bounded in count and time.
UdpCount send_datagrams(const Namespace& from, const std::string& from_address, const Namespace& to,
                        const std::string& to_address, int count) {
  UdpCount result;
  Fd receiver(test::udp_socket(to, to_address));
  Fd sender(test::udp_socket(from, from_address));
  if (!receiver || !sender) return result;
  // Root may exceed rmem_max: the whole burst fits, so the receiver's buffer
  // loses nothing and every missing datagram is the fault's.
  const int buffer = 16 << 20;
  ::setsockopt(receiver.get(), SOL_SOCKET, SO_RCVBUFFORCE, &buffer, sizeof buffer);
  sockaddr_in target{};
  socklen_t len = sizeof target;
  ::getsockname(receiver.get(), reinterpret_cast<sockaddr*>(&target), &len);
  for (int i = 0; i < count; ++i) {
    const std::string payload = std::to_string(i);
    const ssize_t n = ::sendto(sender.get(), payload.data(), payload.size(), 0,
                               reinterpret_cast<sockaddr*>(&target), len);
    ++result.sent;
    if (n < 0 && errno == EPERM) ++result.rejected;
  }
  // Everything that will arrive has arrived within moments; stop at the
  // first quiet 300 ms.
  while (result.received < count && test::read_within(receiver.get(), milliseconds(300)))
    ++result.received;
  return result;
}

TEST_F(NetnsFaults, LossStaysWithinBinomialBoundsAndOnlyOneWay) {
  constexpr int kDatagrams = 4000;
  constexpr double kLoss = 0.05;
  FabricPolicy policy;
  policy.links[{"a", "b"}].loss = kLoss;
  ASSERT_EQ(apply_policy(*fabric_, policy), std::nullopt);

  const auto a_to_b = send_datagrams(ns("a"), address("a"), ns("b"), address("b"), kDatagrams);
  const double mean = kDatagrams * kLoss;
  const double sd = std::sqrt(kDatagrams * kLoss * (1 - kLoss));
  const int lost = a_to_b.sent - a_to_b.received;
  EXPECT_GE(lost, mean - 4 * sd) << "lost " << lost << " of " << kDatagrams;
  EXPECT_LE(lost, mean + 4 * sd) << "lost " << lost << " of " << kDatagrams;
  // Every loss was the rule's: each dropped datagram failed its sendto.
  EXPECT_EQ(lost, a_to_b.rejected);

  const auto b_to_a = send_datagrams(ns("b"), address("b"), ns("a"), address("a"), kDatagrams);
  EXPECT_EQ(b_to_a.received, kDatagrams);
  EXPECT_EQ(b_to_a.rejected, 0);
}

TEST_F(NetnsFaults, ResetRefusesAtOnceAndResetsEstablishedConnections) {
  test::GreetingServer server(ns("b"), address("b"));
  ASSERT_TRUE(server.ok());
  Fd listener(test::tcp_listen(ns("b"), address("b")));
  Fd held(test::tcp_connect(ns("a"), address("b"), test::local_port(listener.get()),
                            milliseconds(2000)));
  Fd held_peer(test::accept_within(listener.get(), milliseconds(2000)));
  ASSERT_TRUE(held && held_peer);

  FabricPolicy policy;
  policy.links[{"a", "b"}].reset = true;
  ASSERT_EQ(apply_policy(*fabric_, policy), std::nullopt);

  const auto refused =
      connect_probe({&ns("a"), ""}, {address("b"), server.port()}, milliseconds(5000));
  EXPECT_EQ(refused.outcome, ConnectOutcome::refused) << outcome_name(refused.outcome);
  EXPECT_LT(refused.elapsed, milliseconds(1000)) << "a reset must not wait for a timeout";

  // The held connection dies on a's next packet.
  ASSERT_EQ(::send(held.get(), "x", 1, MSG_NOSIGNAL), 1);
  int err = 0;
  const auto got = test::read_within(held.get(), milliseconds(2000), &err);
  EXPECT_EQ(err, ECONNRESET) << (got ? "read '" + *got + "'" : std::string("nothing"));

  // b -> a is untouched.
  test::GreetingServer a_server(ns("a"), address("a"));
  EXPECT_TRUE(connect_probe({&ns("b"), ""}, {address("a"), a_server.port()}, milliseconds(2000))
                  .connected());
}

TEST_F(NetnsFaults, RedirectReachesTheProxyWhileThePeerAddressStays) {
  // b's real server, and a "proxy" listener on the hub's proxy address.
  Fd b_listener(test::tcp_listen(ns("b"), address("b")));
  Fd proxy(test::tcp_listen(fabric_->hub(), fabric_->proxy_address()));
  ASSERT_TRUE(b_listener && proxy);
  const auto b_port = test::local_port(b_listener.get());

  // Opened before the redirect: stays direct (NAT is decided on a
  // connection's first packet).
  Fd direct(test::tcp_connect(ns("a"), address("b"), b_port, milliseconds(2000)));
  Fd direct_peer(test::accept_within(b_listener.get(), milliseconds(2000)));
  ASSERT_TRUE(direct && direct_peer);

  FabricPolicy policy;
  policy.redirects.push_back(MemberRedirect{"a", "b", b_port, test::local_port(proxy.get()), ""});
  ASSERT_EQ(apply_policy(*fabric_, policy), std::nullopt);

  Fd redirected(test::tcp_connect(ns("a"), address("b"), b_port, milliseconds(2000)));
  ASSERT_TRUE(redirected);
  Fd at_proxy(test::accept_within(proxy.get(), milliseconds(2000)));
  ASSERT_TRUE(at_proxy) << "the redirected connection did not reach the proxy";
  EXPECT_EQ(test::peer_address(redirected.get()), address("b"));
  EXPECT_EQ(test::peer_port(redirected.get()), b_port);
  EXPECT_EQ(test::peer_address(at_proxy.get()), address("a"));
  ASSERT_EQ(::send(at_proxy.get(), "via proxy", 9, MSG_NOSIGNAL), 9);
  EXPECT_EQ(test::read_within(redirected.get(), milliseconds(2000)), "via proxy");
  EXPECT_EQ(test::accept_within(b_listener.get(), milliseconds(100)), -1);

  ASSERT_EQ(::send(direct.get(), "d", 1, MSG_NOSIGNAL), 1);
  EXPECT_EQ(test::read_within(direct_peer.get(), milliseconds(2000)), "d");

  // Removing the redirect does not un-NAT a connection that goes through
  // the proxy: it keeps using it until it closes.
  ASSERT_EQ(apply_policy(*fabric_, FabricPolicy{}), std::nullopt);
  ASSERT_EQ(::send(redirected.get(), "still", 5, MSG_NOSIGNAL), 5);
  EXPECT_EQ(test::read_within(at_proxy.get(), milliseconds(2000)), "still");
  ASSERT_EQ(::send(at_proxy.get(), "back", 4, MSG_NOSIGNAL), 4);
  EXPECT_EQ(test::read_within(redirected.get(), milliseconds(2000)), "back");
  // New connections go straight to b again.
  Fd after(test::tcp_connect(ns("a"), address("b"), b_port, milliseconds(2000)));
  EXPECT_TRUE(after);
  Fd after_peer(test::accept_within(b_listener.get(), milliseconds(2000)));
  EXPECT_TRUE(after_peer);

  // A block of a -> b also stops the DNATed connections: the rule matches
  // the original destination.
  policy.block("a", "b");
  ASSERT_EQ(apply_policy(*fabric_, policy), std::nullopt);
  int err = 0;
  Fd blocked(test::tcp_connect(ns("a"), address("b"), b_port, milliseconds(400), &err));
  EXPECT_FALSE(blocked);
  EXPECT_EQ(err, ETIMEDOUT) << std::strerror(err);
  EXPECT_EQ(test::accept_within(proxy.get(), milliseconds(100)), -1);

  // So does loss: at p = 1 not one packet of a's, DNATed or not, gets out.
  policy.links[{"a", "b"}] = LinkFault{false, false, 1.0};
  ASSERT_EQ(apply_policy(*fabric_, policy), std::nullopt);
  Fd lost(test::tcp_connect(ns("a"), address("b"), b_port, milliseconds(400), &err));
  EXPECT_FALSE(lost);
  EXPECT_EQ(err, ETIMEDOUT) << std::strerror(err);
  EXPECT_EQ(test::accept_within(proxy.get(), milliseconds(100)), -1);
}

TEST_F(NetnsFaults, NftAcceptsEveryRuleTheRendererMakes) {
  NamespacePolicy policy;
  policy.client_address = fabric_->client_address();
  const LinkFault everything{true, true, 0.05};
  policy.to_peers[address("b")] = everything;
  policy.to_peers["10.77.0.99"] = LinkFault{false, false, 1.0};
  policy.to_peers["10.77.0.98"] = LinkFault{false, false, 1e-9};
  policy.to_client = everything;
  policy.from_client = LinkFault{true, true, 1.0};
  policy.redirects.push_back(Redirect{address("b"), 7000, fabric_->proxy_address(), 40000});
  policy.redirects.push_back(Redirect{address("b"), 7001, fabric_->proxy_address(), 40001});
  ASSERT_EQ(fabric_->apply_rules("a", policy), std::nullopt) << render_rules(policy).text;

  std::string listed;
  ASSERT_EQ(fabric_->run_in_member("a", {"nft", "list", "table", "inet", "faultline"}, &listed),
            std::nullopt);
  for (const char* part : {"chain output", "chain input", "chain to_proxy", "reject with tcp reset",
                           "numgen random mod 1000000 < 50000", "dnat ip to 10.77.0.3:40001"})
    EXPECT_NE(listed.find(part), std::string::npos) << part << " missing in:\n" << listed;
  // Replacing it again, and removing it, work on a table that exists.
  ASSERT_EQ(fabric_->apply_rules("a", policy), std::nullopt);
  ASSERT_EQ(fabric_->apply_rules("a", NamespacePolicy{}), std::nullopt);
  ASSERT_EQ(fabric_->apply_rules("a", NamespacePolicy{}), std::nullopt);
  ASSERT_EQ(fabric_->run_in_member("a", {"nft", "list", "tables"}, &listed), std::nullopt);
  EXPECT_EQ(listed, "table inet faultline_anchor\n");
}

// Bytes per second of a bulk transfer from `from` to a receiver in the hub.
double measure_throughput(const Fabric& fabric, const Namespace& from, std::size_t total) {
  Fd listener(test::tcp_listen(fabric.hub(), fabric.observer_address()));
  Fd sender(test::tcp_connect(from, fabric.observer_address(), test::local_port(listener.get()),
                              milliseconds(2000)));
  Fd receiver(test::accept_within(listener.get(), milliseconds(2000)));
  if (!sender || !receiver) return 0;
  std::thread writer([&] {
    const std::string chunk(16 * 1024, 'x');
    for (std::size_t sent = 0; sent < total;) {
      const ssize_t n =
          ::send(sender.get(), chunk.data(), std::min(chunk.size(), total - sent), MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<std::size_t>(n);
    }
  });
  // The clock starts at the first byte, so the bucket's initial burst is
  // all that skews the figure.
  std::size_t received = 0;
  SteadyClock::time_point first{};
  char buffer[64 * 1024];
  const auto deadline = SteadyClock::now() + std::chrono::seconds(30);
  while (received < total && SteadyClock::now() < deadline) {
    if (!test::wait_readable(receiver.get(), milliseconds(2000))) break;
    const ssize_t n = ::recv(receiver.get(), buffer, sizeof buffer, MSG_DONTWAIT);
    if (n <= 0) continue;
    if (received == 0) first = SteadyClock::now();
    received += static_cast<std::size_t>(n);
  }
  const auto seconds = std::chrono::duration<double>(SteadyClock::now() - first).count();
  ::shutdown(receiver.get(), SHUT_RDWR);
  writer.join();
  return received < total ? 0 : static_cast<double>(received) / seconds;
}

TEST_F(NetnsFaults, BandwidthFollowsTbfWithinTenPercent) {
  constexpr std::uint64_t kRate = 2'000'000;  // bytes per second
  ASSERT_EQ(fabric_->set_bandwidth("a", kRate), std::nullopt);
  std::string qdisc;
  ASSERT_EQ(fabric_->run_in_member("a", {"tc", "qdisc", "show", "dev", "eth0"}, &qdisc),
            std::nullopt);
  EXPECT_NE(qdisc.find("tbf"), std::string::npos) << qdisc;

  const double limited = measure_throughput(*fabric_, ns("a"), 3 * kRate / 2);
  EXPECT_NEAR(limited, static_cast<double>(kRate), 0.10 * kRate);
  // b is not limited.
  EXPECT_GT(measure_throughput(*fabric_, ns("b"), 3 * kRate / 2), 3.0 * kRate);

  ASSERT_EQ(fabric_->clear_bandwidth("a"), std::nullopt);
  ASSERT_EQ(fabric_->clear_bandwidth("a"), std::nullopt) << "clearing twice must succeed";
  ASSERT_EQ(fabric_->run_in_member("a", {"tc", "qdisc", "show", "dev", "eth0"}, &qdisc),
            std::nullopt);
  EXPECT_EQ(qdisc.find("tbf"), std::string::npos) << qdisc;
  EXPECT_GT(measure_throughput(*fabric_, ns("a"), 3 * kRate / 2), 3.0 * kRate);
}

}  // namespace
}  // namespace faultline::netns
