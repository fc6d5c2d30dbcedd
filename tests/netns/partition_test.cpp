// Partitions as nftables policies on a real fabric: the measured matrix of
// TCP connects equals the planned one, the hub keeps reaching everyone, a
// heal restores the full matrix, and one-way and two-way blocks mean exactly
// what nft_rules.hpp says.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <cstring>
#include <memory>

#include "chaos/netns/connect_probe.hpp"
#include "chaos/netns/fabric_policy.hpp"
#include "tests/netns/netns_support.hpp"

namespace faultline::netns {
namespace {

using std::chrono::milliseconds;
using test::Fd;
using test::GreetingServer;
using Matrix = std::vector<std::vector<bool>>;

// A blocked connect is a dropped SYN: it shows as a timeout, so the probe
// timeout bounds each matrix. Generous enough for a loaded machine.
constexpr milliseconds kProbeTimeout{400};

class NetnsPartition : public ::testing::Test {
 protected:
  void SetUp() override {
    FAULTLINE_REQUIRE_NETNS();
    auto created = Fabric::create({ids_});
    ASSERT_TRUE(created.ok()) << created.error;
    fabric_ = std::move(created.fabric);
    for (const auto& id : ids_) {
      servers_.push_back(
          std::make_unique<GreetingServer>(*fabric_->member(id), fabric_->member_address(id)));
      ASSERT_TRUE(servers_.back()->ok());
    }
  }

  Endpoint server_of(std::size_t i) const {
    return {fabric_->member_address(ids_[i]), servers_[i]->port()};
  }

  // members x members, from the members' own namespaces.
  Matrix measure_members() const {
    std::vector<ProbeSource> froms;
    std::vector<Endpoint> targets;
    for (std::size_t i = 0; i < ids_.size(); ++i) {
      froms.push_back({fabric_->member(ids_[i]), ""});
      targets.push_back(server_of(i));
    }
    const auto matrix = reachability(froms, targets, kProbeTimeout);
    Matrix connected(ids_.size(), std::vector<bool>(ids_.size()));
    for (std::size_t i = 0; i < ids_.size(); ++i)
      for (std::size_t j = 0; j < ids_.size(); ++j) {
        const auto& cell = matrix.cells[i][j];
        EXPECT_TRUE(cell.connected() || cell.outcome == ConnectOutcome::timed_out)
            << ids_[i] << " -> " << ids_[j] << ": " << outcome_name(cell.outcome) << " "
            << cell.error;
        connected[i][j] = cell.connected();
      }
    return connected;
  }

  // The hub, as a client and as the observer, to every member.
  void expect_hub_reaches_everyone() const {
    std::vector<Endpoint> targets;
    for (std::size_t i = 0; i < ids_.size(); ++i) targets.push_back(server_of(i));
    const auto matrix = reachability({{&fabric_->hub(), fabric_->client_address()},
                                      {&fabric_->hub(), fabric_->observer_address()}},
                                     targets, milliseconds(2000));
    for (const auto& row : matrix.cells)
      for (std::size_t j = 0; j < row.size(); ++j)
        EXPECT_TRUE(row[j].connected())
            << "hub -> " << ids_[j] << ": " << outcome_name(row[j].outcome);
  }

  const std::vector<std::string> ids_ = {"a", "b", "c", "d", "e"};
  std::unique_ptr<Fabric> fabric_;
  std::vector<std::unique_ptr<GreetingServer>> servers_;
};

std::string show(const Matrix& m) {
  std::string text;
  for (const auto& row : m) {
    for (bool cell : row) text += cell ? '1' : '.';
    text += '\n';
  }
  return text;
}

TEST_F(NetnsPartition, MeasuredMatrixEqualsThePlannedOneForEveryShape) {
  const Matrix full(ids_.size(), std::vector<bool>(ids_.size(), true));
  ASSERT_EQ(show(measure_members()), show(full));

  const std::vector<std::pair<std::string, std::vector<std::vector<std::string>>>> shapes = {
      {"isolate a", {{"a"}, {"b", "c", "d", "e"}}},
      {"two halves", {{"a", "b"}, {"c", "d", "e"}}},
      {"bridge c", {{"a", "b", "c"}, {"c", "d", "e"}}},
  };
  for (const auto& [name, groups] : shapes) {
    SCOPED_TRACE(name);
    const auto policy = partition(ids_, groups);
    const auto error = apply_policy(*fabric_, policy);
    ASSERT_FALSE(error) << *error;
    EXPECT_EQ(show(measure_members()), show(planned_connectivity(policy, ids_)));
    expect_hub_reaches_everyone();

    const auto healed = apply_policy(*fabric_, FabricPolicy{});
    ASSERT_FALSE(healed) << *healed;
    EXPECT_EQ(show(measure_members()), show(full));
  }
  // Healing removed the table from every member.
  std::string rules;
  ASSERT_EQ(fabric_->run_in_member("c", {"nft", "list", "tables"}, &rules), std::nullopt);
  EXPECT_EQ(rules.find("inet faultline\n"), std::string::npos) << rules;
}

TEST_F(NetnsPartition, OneWayBlockStopsOnlyTheSendersOwnConnections) {
  const Namespace& a = *fabric_->member("a");
  const Namespace& b = *fabric_->member("b");
  const std::string a_address = fabric_->member_address("a");
  const std::string b_address = fabric_->member_address("b");

  // Held-open connections opened before the fault, one each way.
  Fd b_listener(test::tcp_listen(b, b_address));
  Fd a_listener(test::tcp_listen(a, a_address));
  Fd a_to_b(
      test::tcp_connect(a, b_address, test::local_port(b_listener.get()), milliseconds(2000)));
  Fd b_accepted(test::accept_within(b_listener.get(), milliseconds(2000)));
  Fd b_to_a(
      test::tcp_connect(b, a_address, test::local_port(a_listener.get()), milliseconds(2000)));
  Fd a_accepted(test::accept_within(a_listener.get(), milliseconds(2000)));
  ASSERT_TRUE(a_to_b && b_accepted && b_to_a && a_accepted);

  FabricPolicy policy;
  policy.block("a", "b");
  ASSERT_EQ(apply_policy(*fabric_, policy), std::nullopt);

  // a can open no new connection to b ...
  const auto opened = connect_probe({&a, ""}, server_of(1), kProbeTimeout);
  EXPECT_EQ(opened.outcome, ConnectOutcome::timed_out) << outcome_name(opened.outcome);
  // ... and cannot use the one it had: its data never arrives, while b's
  // data on it still reaches a (b's packets are not a's to drop). b speaks
  // first: had tracking started only with the fault, that first packet would
  // have made the connection look like b's, and a's data would pass.
  ASSERT_EQ(::send(b_accepted.get(), "b", 1, MSG_NOSIGNAL), 1);
  EXPECT_EQ(test::read_within(a_to_b.get(), milliseconds(2000)), "b");
  ASSERT_EQ(::send(a_to_b.get(), "a", 1, MSG_NOSIGNAL), 1);
  EXPECT_EQ(test::read_within(b_accepted.get(), kProbeTimeout), std::nullopt);

  // b opens connections to a and gets a's answers, new or established.
  int err = 0;
  Fd fresh(test::tcp_connect(b, a_address, servers_[0]->port(), milliseconds(2000), &err));
  ASSERT_TRUE(fresh) << std::strerror(err);
  EXPECT_EQ(test::read_within(fresh.get(), milliseconds(2000)), "hello\n");
  ASSERT_EQ(::send(b_to_a.get(), "q", 1, MSG_NOSIGNAL), 1);
  EXPECT_EQ(test::read_within(a_accepted.get(), milliseconds(2000)), "q");
  ASSERT_EQ(::send(a_accepted.get(), "r", 1, MSG_NOSIGNAL), 1);
  EXPECT_EQ(test::read_within(b_to_a.get(), milliseconds(2000)), "r");

  // Both ways blocked: neither opens anything ...
  policy.block("b", "a");
  ASSERT_EQ(apply_policy(*fabric_, policy), std::nullopt);
  EXPECT_FALSE(connect_probe({&b, ""}, server_of(0), kProbeTimeout).connected());
  EXPECT_FALSE(connect_probe({&a, ""}, server_of(1), kProbeTimeout).connected());
  // ... and no answer crosses on a connection either side opened before: a
  // server that streams to its clients (etcd's peers) must not reach
  // across the cut.
  ASSERT_EQ(::send(b_accepted.get(), "s", 1, MSG_NOSIGNAL), 1);
  EXPECT_EQ(test::read_within(a_to_b.get(), kProbeTimeout), std::nullopt);
  ASSERT_EQ(::send(a_accepted.get(), "t", 1, MSG_NOSIGNAL), 1);
  EXPECT_EQ(test::read_within(b_to_a.get(), kProbeTimeout), std::nullopt);
}

TEST_F(NetnsPartition, ClientLinksLeaveTheObserverOutside) {
  FabricPolicy policy;
  policy.clients_to["c"].blocked = true;
  ASSERT_EQ(apply_policy(*fabric_, policy), std::nullopt);
  const ProbeSource client{&fabric_->hub(), fabric_->client_address()};
  const ProbeSource observer{&fabric_->hub(), fabric_->observer_address()};
  EXPECT_EQ(connect_probe(client, server_of(2), kProbeTimeout).outcome, ConnectOutcome::timed_out);
  EXPECT_TRUE(connect_probe(observer, server_of(2), milliseconds(2000)).connected());
  EXPECT_TRUE(connect_probe(client, server_of(3), milliseconds(2000)).connected());
  EXPECT_TRUE(
      connect_probe({fabric_->member("d"), ""}, server_of(2), milliseconds(2000)).connected());

  // c -> clients blocked: c cannot reach a client's server, a client still
  // reaches c's.
  GreetingServer client_server(fabric_->hub(), fabric_->client_address());
  ASSERT_TRUE(client_server.ok());
  const Endpoint client_endpoint{fabric_->client_address(), client_server.port()};
  FabricPolicy outward;
  outward.to_clients["c"].blocked = true;
  ASSERT_EQ(apply_policy(*fabric_, outward), std::nullopt);
  EXPECT_EQ(connect_probe({fabric_->member("c"), ""}, client_endpoint, kProbeTimeout).outcome,
            ConnectOutcome::timed_out);
  EXPECT_TRUE(
      connect_probe({fabric_->member("d"), ""}, client_endpoint, milliseconds(2000)).connected());
  EXPECT_TRUE(connect_probe(client, server_of(2), milliseconds(2000)).connected());

  // A reset on the client link refuses at once.
  FabricPolicy reset;
  reset.clients_to["c"].reset = true;
  ASSERT_EQ(apply_policy(*fabric_, reset), std::nullopt);
  const auto refused = connect_probe(client, server_of(2), milliseconds(5000));
  EXPECT_EQ(refused.outcome, ConnectOutcome::refused) << outcome_name(refused.outcome);
  EXPECT_TRUE(connect_probe(observer, server_of(2), milliseconds(2000)).connected());
}

TEST_F(NetnsPartition, MatrixTakesAboutOneTimeout) {
  // Every member cut from every other: 20 timed-out cells.
  ASSERT_EQ(apply_policy(*fabric_, partition(ids_, {})), std::nullopt);
  std::vector<ProbeSource> froms;
  std::vector<Endpoint> targets;
  for (std::size_t i = 0; i < ids_.size(); ++i) {
    froms.push_back({fabric_->member(ids_[i]), ""});
    targets.push_back(server_of(i));
  }
  const auto matrix = reachability(froms, targets, kProbeTimeout);
  // Generous: far below the 20 timeouts a sequential matrix would take.
  EXPECT_LT(matrix.elapsed, 4 * kProbeTimeout);
  for (std::size_t i = 0; i < ids_.size(); ++i)
    for (std::size_t j = 0; j < ids_.size(); ++j)
      EXPECT_EQ(matrix.cells[i][j].connected(), i == j) << i << "->" << j;
}

}  // namespace
}  // namespace faultline::netns
