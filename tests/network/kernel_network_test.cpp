// The kernel backend end to end, on real processes: three members, each a
// socat echo server in its own namespace, every link interposed by a proxy,
// and each kind of link effect set through LinkControl and observed from
// inside the members' namespaces — latency within 10 % + 2 ms of what was
// configured, a partition's measured matrix equal to the planned one, a
// one-way cut in one direction only, loss within binomial bounds, bandwidth
// within 10 % — and the host's namespaces, links and ruleset untouched after.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <thread>

#include "chaos/netns/probe.hpp"
#include "chaos/network/kernel.hpp"
#include "chaos/network/round_trip.hpp"
#include "chaos/process/supervisor.hpp"
#include "tests/support/cli_process.hpp"

namespace faultline::network {
namespace {

using faults::Link;
using faults::LinkEffect;
using faults::LinkEffects;

// What the host shows of namespaces, links and rules, read from the host's
// namespace (`host`; the test's main thread moves into the run's hub).
std::string host_state(const netns::Namespace& host) {
  std::string all;
  netns::run_on_thread_in(host, [&] {
    for (const char* cmd : {"ip netns list", "ip -o link", "nft list ruleset"}) {
      FILE* p = ::popen(cmd, "r");
      char buf[4096];
      std::size_t n;
      while (p && (n = std::fread(buf, 1, sizeof buf, p)) > 0) all.append(buf, n);
      if (p) ::pclose(p);
    }
  });
  return all;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? -1 : v[v.size() / 2];
}

class KernelNetworkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const auto probe = netns::probe(); !probe.available) GTEST_SKIP() << probe.reason;
    host_ = netns::Namespace::current("host").ns;
    host_before_ = host_state(host_);
    dir_ = testing::scratch_dir("kernel-network");
    NetworkOptions options;
    options.backend = NetworkOptions::Backend::kernel;
    for (const std::string id : {"a", "b", "c"}) options.members.push_back({id, true});
    options.link_faults = true;
    std::string error;
    net_ = KernelNetwork::create(options, error);
    ASSERT_NE(net_, nullptr) << error;
    for (const std::string id : {"a", "b", "c"}) {
      const int port = net_->port(id, "echo");
      process::MemberSpec spec;
      spec.id = id;
      spec.argv = {
          "socat",
          "TCP-LISTEN:" + std::to_string(port) + ",bind=" + net_->address(id) + ",reuseaddr,fork",
          "PIPE"};
      spec.log_file = (dir_ / (id + ".log")).string();
      spec.netns_fd = net_->netns_fd(id);
      ASSERT_TRUE(supervisor_.spawn(spec).ok());
    }
    net_->probe_with("echo", "ping\n");
    ASSERT_FALSE(net_->finish_setup());
    ASSERT_TRUE(testing::wait_until(
        [&] {
          for (const auto& p : net_->reachability({"a", "b", "c"})) {
            if (!p.reachable) return false;
          }
          return true;
        },
        std::chrono::seconds(10)));
  }

  void TearDown() override {
    supervisor_.shutdown_all();
    net_.reset();
    if (!host_before_.empty()) {
      EXPECT_EQ(host_state(host_), host_before_) << "the host's namespaces, links or rules changed";
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // Median round trip of a small echo from inside `from` to `to`.
  double round_trip(const std::string& from, const std::string& to, int count = 15) {
    const auto trips =
        round_trips(net_->fabric().member(from), net_->address(to), net_->port(to, "echo"),
                    "ping\n", count, std::chrono::seconds(5));
    EXPECT_EQ(trips.samples_ms.size(), static_cast<std::size_t>(count)) << trips.error;
    return median(trips.samples_ms);
  }

  bool reachable(const std::string& from, const std::string& to) {
    for (const auto& p : net_->reachability({"a", "b", "c"})) {
      if (p.from == from && p.to == to) return p.reachable;
    }
    return false;
  }

  netns::Namespace host_;
  std::string host_before_;
  std::filesystem::path dir_;
  std::unique_ptr<KernelNetwork> net_;
  process::Supervisor supervisor_;
};

TEST_F(KernelNetworkTest, LatencyIsObservedWithinTenPercentPlusTwoMilliseconds) {
  const double base = round_trip("a", "b");
  for (const double delay : {20.0, 100.0}) {
    LinkEffect e;
    e.latency_ms = delay;
    ASSERT_FALSE(net_->set(0, {{Link{"a", "b"}, e}}));  // one direction only
    EXPECT_NEAR(round_trip("a", "b") - base, delay, delay * 0.10 + 2.0);
    ASSERT_FALSE(net_->set(0, {{Link{"a", "b"}, e}, {Link{"b", "a"}, e}}));  // both
    EXPECT_NEAR(round_trip("a", "b") - base, 2 * delay, 2 * delay * 0.10 + 2.0);
    // The round trip the network itself measures agrees.
    const auto probe = net_->rtt(Link{"a", "b"}, 5);
    ASSERT_TRUE(probe.median_ms()) << probe.error;
    EXPECT_NEAR(*probe.median_ms() - base, 2 * delay, 2 * delay * 0.10 + 2.0);
  }
  ASSERT_FALSE(net_->clear(0));
  EXPECT_NEAR(round_trip("a", "b"), base, 2.0);
}

TEST_F(KernelNetworkTest, APartitionsMeasuredMatrixIsThePlannedOne) {
  LinkEffect cut;
  cut.blocked = true;
  LinkEffects effects;
  for (const std::string other : {"b", "c"}) {
    effects[{"a", other}] = cut;
    effects[{other, "a"}] = cut;
  }
  ASSERT_FALSE(net_->set(0, effects));
  for (const auto& p : net_->reachability({"a", "b", "c"})) {
    const bool planned = !effects.count({p.from, p.to});
    EXPECT_EQ(p.reachable, planned) << p.from << "->" << p.to << " " << p.outcome;
  }
  ASSERT_FALSE(net_->verify(0));
  ASSERT_FALSE(net_->clear(0));
  for (const auto& p : net_->reachability({"a", "b", "c"}))
    EXPECT_TRUE(p.reachable) << p.from << "->" << p.to;
}

TEST_F(KernelNetworkTest, OneWayCutsOneDirectionOnly) {
  LinkEffect cut;
  cut.blocked = true;
  ASSERT_FALSE(net_->set(0, {{Link{"a", "b"}, cut}}));
  EXPECT_FALSE(reachable("a", "b"));
  EXPECT_TRUE(reachable("b", "a"));
  // b opens connections to a and gets a's answers on them.
  EXPECT_GT(round_trip("b", "a", 3), 0.0);
  EXPECT_TRUE(reachable("a", "c"));
}

TEST_F(KernelNetworkTest, LossIsWithinBinomialBoundsAndCounted) {
  LinkEffect lossy;
  lossy.loss = 0.2;
  ASSERT_FALSE(net_->set(0, {{Link{"a", "b"}, lossy}}));
  // UDP datagrams from inside a to b: each one is dropped or not, and a drop
  // in the sender's output hook fails its send (EPERM), so failed sends count
  // the drops and nft's counters count them again.
  constexpr int kSent = 4000;
  int failed = 0;
  ASSERT_FALSE(netns::run_on_thread_in(*net_->fabric().member("a"), [&] {
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(9);
    ::inet_pton(AF_INET, net_->address("b").c_str(), &to.sin_addr);
    for (int i = 0; i < kSent; ++i) {
      if (::sendto(fd, "x", 1, 0, reinterpret_cast<sockaddr*>(&to), sizeof to) != 1) ++failed;
    }
    ::close(fd);
  }));
  const double sd = std::sqrt(kSent * 0.2 * 0.8);
  EXPECT_NEAR(failed, kSent * 0.2, 4 * sd);
  const auto counted = net_->counters(0);
  ASSERT_TRUE(counted.contains("nftables")) << counted.dump();
  const auto& link = counted["nftables"][0];
  EXPECT_GE(link.at("packets_seen").get<std::uint64_t>(), static_cast<std::uint64_t>(kSent));
  EXPECT_NEAR(link.at("drop_rate").get<double>(), 0.2, 4 * sd / kSent + 0.01) << link.dump();
}

TEST_F(KernelNetworkTest, BandwidthIsWithinTenPercent) {
  LinkEffect slow;
  slow.bandwidth_bytes_per_s = 200'000;
  ASSERT_FALSE(net_->set(0, {{Link{"a", "b"}, slow}}));
  // 400 kB from a to b's echo, timed from the first byte sent to the last
  // byte echoed back (b -> a is not limited).
  constexpr std::size_t kBytes = 400'000;
  double seconds = 0;
  ASSERT_FALSE(netns::run_on_thread_in(*net_->fabric().member("a"), [&] {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<std::uint16_t>(net_->port("b", "echo")));
    ::inet_pton(AF_INET, net_->address("b").c_str(), &to.sin_addr);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to), 0);
    const std::string chunk(8192, 'x');
    const auto start = std::chrono::steady_clock::now();
    std::thread writer([&] {
      for (std::size_t sent = 0; sent < kBytes; sent += chunk.size())
        ::send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL);
      ::shutdown(fd, SHUT_WR);
    });
    std::size_t got = 0;
    char buf[65536];
    for (ssize_t n; got < kBytes && (n = ::recv(fd, buf, sizeof buf, 0)) > 0;)
      got += static_cast<std::size_t>(n);
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    writer.join();
    ::close(fd);
    EXPECT_GE(got, kBytes);
  }));
  EXPECT_NEAR(kBytes / seconds, 200'000.0, 20'000.0) << seconds << " s";
}

TEST_F(KernelNetworkTest, ResetRefusesAtOnceAndClearingRestores) {
  LinkEffect reset;
  reset.reset = true;
  ASSERT_FALSE(net_->set(0, {{Link{"a", "c"}, reset}}));
  for (const auto& p : net_->reachability({"a", "c"})) {
    if (p.from == "a") {
      EXPECT_FALSE(p.reachable);
      EXPECT_EQ(p.outcome, "refused");
      EXPECT_LT(p.elapsed_ms, 100.0);
    }
  }
  ASSERT_FALSE(net_->clear(0));
  EXPECT_TRUE(reachable("a", "c"));
}

// Connects from inside `from` to `to`'s echo port, sends `payload`, shuts its
// side down when `half_close`, and reads until the end of the stream or
// `timeout`. Returns the ms it took and what came back.
std::pair<double, std::string> exchange(KernelNetwork& net, const std::string& from, const std::string& to,
                                        const std::string& payload, bool half_close,
                                        std::chrono::milliseconds timeout) {
  double ms = -1;
  std::string got;
  netns::run_on_thread_in(*net.fabric().member(from), [&] {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    timeval tv{static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(net.port(to, "echo")));
    ::inet_pton(AF_INET, net.address(to).c_str(), &addr.sin_addr);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
      const auto start = std::chrono::steady_clock::now();
      ::send(fd, payload.data(), payload.size(), MSG_NOSIGNAL);
      if (half_close) ::shutdown(fd, SHUT_WR);
      char buf[4096];
      for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) got.append(buf, static_cast<std::size_t>(n));
      ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    }
    ::close(fd);
  });
  return {ms, got};
}

TEST_F(KernelNetworkTest, BlackholeAnswersNothing) {
  LinkEffect hole;
  hole.blackhole = true;
  ASSERT_FALSE(net_->set(0, {{Link{"a", "b"}, hole}}));
  const auto [ms, got] = exchange(*net_, "a", "b", "ping\n", false, std::chrono::milliseconds(800));
  EXPECT_EQ(got, "") << "a blackholed link answered";
  EXPECT_GE(ms, 700.0);  // the read waited for its timeout
  ASSERT_FALSE(net_->clear(0));
  EXPECT_EQ(exchange(*net_, "a", "b", "ping\n", true, std::chrono::seconds(5)).second, "ping\n");
}

TEST_F(KernelNetworkTest, TimeoutClosesAfterItsTime) {
  LinkEffect stop;
  stop.timeout_ms = 300;
  ASSERT_FALSE(net_->set(0, {{Link{"a", "b"}, stop}}));
  const auto [ms, got] = exchange(*net_, "a", "b", "ping\n", false, std::chrono::seconds(5));
  EXPECT_EQ(got, "");
  EXPECT_GE(ms, 250.0);   // closed by the toxic, not at once
  EXPECT_LT(ms, 3000.0);  // and not by the read's own timeout
}

TEST_F(KernelNetworkTest, SlowCloseHoldsTheCloseBack) {
  const auto quick = exchange(*net_, "a", "b", "ping\n", true, std::chrono::seconds(5));
  LinkEffect slow;
  slow.slow_close_ms = 400;
  ASSERT_FALSE(net_->set(0, {{Link{"b", "a"}, slow}}));  // b's close reaches a late
  const auto held = exchange(*net_, "a", "b", "ping\n", true, std::chrono::seconds(5));
  EXPECT_EQ(held.second, "ping\n");
  EXPECT_GE(held.first - quick.first, 350.0);
}

}  // namespace
}  // namespace faultline::network
