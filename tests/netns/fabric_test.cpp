// A fabric of real namespaces: its shape, who reaches whom, and that the
// host's own network is untouched during and after.
#include "chaos/netns/fabric.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <thread>

#include "chaos/netns/command.hpp"
#include "chaos/netns/connect_probe.hpp"
#include "tests/netns/netns_support.hpp"

namespace faultline::netns {
namespace {

using std::chrono::milliseconds;
using test::GreetingServer;
using test::host_network;

std::string in_namespace(const Namespace& ns, const std::vector<std::string>& argv) {
  const auto ran = run_command(&ns, Command{argv, "", milliseconds(5000)});
  EXPECT_TRUE(ran.ok()) << ran.error;
  return ran.out;
}

TEST(NetnsFabric, ReachedFromTheHubAndFromEveryMemberWithTheHostUntouched) {
  FAULTLINE_REQUIRE_NETNS();
  const auto before = host_network();
  const auto caller = current_thread_namespace_inode();

  const std::vector<std::string> ids = {"c1", "c2", "c3", "c4"};
  auto created = Fabric::create({ids});
  ASSERT_TRUE(created.ok()) << created.error;
  const Fabric& fabric = *created.fabric;
  EXPECT_EQ(current_thread_namespace_inode(), caller) << "create() moved the calling thread";
  EXPECT_NE(fabric.hub().inode(), caller);

  {
    std::vector<std::unique_ptr<GreetingServer>> servers;
    std::vector<Endpoint> targets;
    std::vector<ProbeSource> froms = {{&fabric.hub(), fabric.client_address()},
                                      {&fabric.hub(), fabric.observer_address()}};
    for (const auto& id : ids) {
      EXPECT_NE(fabric.member(id)->inode(), caller);
      servers.push_back(
          std::make_unique<GreetingServer>(*fabric.member(id), fabric.member_address(id)));
      ASSERT_TRUE(servers.back()->ok());
      targets.push_back({fabric.member_address(id), servers.back()->port()});
      froms.push_back({fabric.member(id), ""});
    }
    const auto matrix = reachability(froms, targets, milliseconds(2000));
    for (std::size_t i = 0; i < froms.size(); ++i)
      for (std::size_t j = 0; j < targets.size(); ++j)
        EXPECT_TRUE(matrix.cells[i][j].connected())
            << froms[i].ns->name() << " -> " << targets[j].address << ": "
            << outcome_name(matrix.cells[i][j].outcome) << " " << matrix.cells[i][j].error;

    // Each member's server saw the client, the observer and every member by
    // their own addresses.
    const auto peers = [&] {
      auto seen = servers[1]->peers();
      std::sort(seen.begin(), seen.end());
      return seen;
    };
    ASSERT_TRUE(test::eventually([&] { return peers().size() == froms.size(); }));
    EXPECT_EQ(peers(), (std::vector<std::string>{"10.77.0.1", "10.77.0.11", "10.77.0.12",
                                                 "10.77.0.13", "10.77.0.14", "10.77.0.2"}));
    EXPECT_EQ(host_network(), before) << "the fabric leaked into the host while alive";
  }
  created.fabric.reset();
  EXPECT_EQ(host_network(), before) << "the fabric left something on the host";
}

TEST(NetnsFabric, AddressesLinksAndNoRouteOut) {
  FAULTLINE_REQUIRE_NETNS();
  auto created = Fabric::create({{"x", "y"}, "192.168.50.0/24"});
  ASSERT_TRUE(created.ok()) << created.error;
  const Fabric& fabric = *created.fabric;
  EXPECT_EQ(fabric.member_address("x"), "192.168.50.11");
  EXPECT_EQ(fabric.member_address("y"), "192.168.50.12");
  EXPECT_EQ(fabric.member_address("z"), "");
  EXPECT_EQ(fabric.member("z"), nullptr);
  EXPECT_EQ(fabric.client_address(), "192.168.50.1");
  EXPECT_EQ(fabric.observer_address(), "192.168.50.2");
  EXPECT_EQ(fabric.proxy_address(), "192.168.50.3");

  const auto hub_links = in_namespace(fabric.hub(), {"ip", "-o", "link"});
  EXPECT_NE(hub_links.find("br0"), std::string::npos) << hub_links;
  EXPECT_NE(hub_links.find("veth0@"), std::string::npos) << hub_links;
  EXPECT_NE(hub_links.find("master br0"), std::string::npos) << hub_links;
  const auto hub_addresses =
      in_namespace(fabric.hub(), {"ip", "-o", "-4", "addr", "show", "dev", "br0"});
  for (const char* address : {"192.168.50.1/24", "192.168.50.2/24", "192.168.50.3/24"})
    EXPECT_NE(hub_addresses.find(address), std::string::npos) << hub_addresses;

  const Namespace& y = *fabric.member("y");
  EXPECT_NE(
      in_namespace(y, {"ip", "-o", "-4", "addr", "show", "dev", "eth0"}).find("192.168.50.12/24"),
      std::string::npos);
  // One connected /24 and nothing else: no default route, nothing routed out.
  EXPECT_EQ(in_namespace(y, {"ip", "-4", "route", "show"}),
            "192.168.50.0/24 dev eth0 proto kernel scope link src 192.168.50.12 \n");
  EXPECT_EQ(in_namespace(fabric.hub(), {"ip", "-4", "route", "show"}),
            "192.168.50.0/24 dev br0 proto kernel scope link src 192.168.50.1 \n");
  // No IPv6 addresses anywhere on the fabric.
  EXPECT_EQ(in_namespace(y, {"ip", "-o", "-6", "addr", "show", "dev", "eth0"}), "");

  // Outside the /24 nothing is reachable, not even an address of the host.
  const auto out = connect_probe({&y, ""}, {"10.1.2.3", 80}, milliseconds(500));
  EXPECT_EQ(out.outcome, ConnectOutcome::unreachable) << outcome_name(out.outcome) << out.error;
}

TEST(NetnsFabric, TwoFabricsUseTheSameSubnetSideBySide) {
  FAULTLINE_REQUIRE_NETNS();
  auto first = Fabric::create({{"a", "b"}});
  auto second = Fabric::create({{"a", "b"}});
  ASSERT_TRUE(first.ok()) << first.error;
  ASSERT_TRUE(second.ok()) << second.error;
  // Only the first has a server on 10.77.0.12: the second fabric's b, with
  // the same address, refuses, so each hub reaches its own fabric only.
  GreetingServer server(*first.fabric->member("b"), "10.77.0.12");
  ASSERT_TRUE(server.ok());
  const Endpoint b{"10.77.0.12", server.port()};
  EXPECT_TRUE(connect_probe({&first.fabric->hub(), ""}, b, milliseconds(2000)).connected());
  EXPECT_EQ(connect_probe({&second.fabric->hub(), ""}, b, milliseconds(2000)).outcome,
            ConnectOutcome::refused);
}

TEST(NetnsFabric, EnteringTheHubMovesOnlyThatThread) {
  FAULTLINE_REQUIRE_NETNS();
  auto created = Fabric::create({{"a"}});
  ASSERT_TRUE(created.ok()) << created.error;
  const auto caller = current_thread_namespace_inode();
  std::uint64_t inside = 0;
  std::thread client([&] {
    if (!created.fabric->enter_hub_on_this_thread()) inside = current_thread_namespace_inode();
  });
  client.join();
  EXPECT_EQ(inside, created.fabric->hub().inode());
  EXPECT_EQ(current_thread_namespace_inode(), caller);
}

TEST(NetnsFabric, OptionsAreCheckedBeforeAnythingIsCreated) {
  EXPECT_NE(Fabric::create({{}}).error.find("at least one member"), std::string::npos);
  EXPECT_NE(Fabric::create({{"a", "a"}}).error.find("'a' is given twice"), std::string::npos);
  EXPECT_NE(Fabric::create({{"a"}, "10.77.0.0/16"}).error.find("/24"), std::string::npos);
  EXPECT_NE(Fabric::create({{"a"}, "8.8.8.0/24"}).error.find("not private"), std::string::npos);
  EXPECT_NE(Fabric::create({std::vector<std::string>(245, "m")}).error.find("do not fit"),
            std::string::npos);
}

TEST(NetnsCommand, ErrorsNameTheNamespaceTheCommandAndStderr) {
  FAULTLINE_REQUIRE_NETNS();
  auto ns = Namespace::create("scratch");
  ASSERT_TRUE(ns.ok()) << ns.error;
  const auto failed = run_command(
      &ns.ns, Command{{"ip", "-batch", "-"}, "link set nosuchlink up\n", milliseconds(5000)});
  EXPECT_FALSE(failed.ok());
  for (const char* part :
       {"namespace 'scratch'", "`ip -batch -`", "exited with code", "nosuchlink"})
    EXPECT_NE(failed.error.find(part), std::string::npos) << failed.error;

  const auto started = std::chrono::steady_clock::now();
  const auto slow = run_command(&ns.ns, Command{{"sleep", "30"}, "", milliseconds(200)});
  EXPECT_NE(slow.error.find("did not finish within 200 ms"), std::string::npos) << slow.error;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));

  const auto missing = run_command(&ns.ns, Command{{"no-such-tool-here"}, "", milliseconds(1000)});
  EXPECT_NE(missing.error.find("not in $PATH"), std::string::npos) << missing.error;
}

TEST(NetnsCommand, LargeInputAndOutputDoNotDeadlock) {
  FAULTLINE_REQUIRE_NETNS();
  auto ns = Namespace::create("scratch");
  ASSERT_TRUE(ns.ok()) << ns.error;
  std::string big(1 << 20, 'x');
  for (std::size_t i = 0; i < big.size(); i += 64) big[i] = '\n';
  const auto echoed = run_command(&ns.ns, Command{{"cat"}, big, milliseconds(10000)});
  ASSERT_TRUE(echoed.ok()) << echoed.error;
  EXPECT_EQ(echoed.out, big);
  // The child really runs inside the namespace: it sees only its own lo.
  const auto links = run_command(&ns.ns, Command{{"ip", "-o", "link"}, "", milliseconds(5000)});
  ASSERT_TRUE(links.ok()) << links.error;
  EXPECT_EQ(links.out.find("eth0"), std::string::npos) << links.out;
  EXPECT_NE(links.out.find("lo:"), std::string::npos) << links.out;
}

}  // namespace
}  // namespace faultline::netns
