#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "chaos/process/supervisor.hpp"
#include "drills/plan/plan.hpp"
#include "drills/plan/processes.hpp"
#include "drills/targets/applied_term.hpp"
#include "drills/targets/etcd.hpp"
#include "drills/targets/processes.hpp"
#include "drills/targets/wire.hpp"

namespace faultline::targets {
namespace {

using nlohmann::json;

TEST(Wire, Base64FollowsRfc4648BothWays) {
  const std::vector<std::pair<std::string, std::string>> vectors{
      {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"}, {std::string("\0\xff", 2), "AP8="}};
  for (const auto& [plain, coded] : vectors) {
    EXPECT_EQ(base64_encode(plain), coded);
    EXPECT_EQ(base64_decode(coded), plain);
  }
  EXPECT_EQ(base64_decode("Zm9v YmFy"), std::nullopt);
  EXPECT_EQ(base64_decode("Z"), std::nullopt);
}

TEST(Wire, IntegersComeAsNumbersOrDecimalStrings) {
  EXPECT_EQ(integer_of(json(7)), 7u);
  EXPECT_EQ(integer_of(json("13668033151171901709")), 13668033151171901709ull);
  EXPECT_EQ(integer_of(json(-1)), std::nullopt);
  EXPECT_EQ(integer_of(json("12a")), std::nullopt);
  EXPECT_EQ(integer_of(json("99999999999999999999")), std::nullopt);  // above 2^64
  EXPECT_EQ(scalar_text(json(42)), "42");
  EXPECT_EQ(scalar_text(json(nullptr)), std::nullopt);
}

// An etcd member that has just won reports itself leader with the term of
// its predecessor: it must not count as a second leader of that term.
TEST(AppliedTermClaims, ALeaderCountsFromItsFirstOwnTerm) {
  AppliedTermClaims claims;
  EXPECT_EQ(claims.role("e1", true, 2), "leader");  // first seen leading: nothing to be stale against
  EXPECT_EQ(claims.role("e2", false, 2), "follower");
  EXPECT_EQ(claims.role("e2", true, 2), "candidate");  // won term 3, still reports 2
  EXPECT_EQ(claims.role("e2", true, 3), "leader");
  EXPECT_EQ(claims.role("e2", false, 3), "follower");
  EXPECT_EQ(claims.role("e2", true, 3), "candidate");
  EXPECT_EQ(claims.role("e2", true, 5), "leader");
}

TEST(NotDoneRule, MatchesStatusAndTextWhenGiven) {
  const NotDone rule = not_done_rule({{421, ""}, {std::nullopt, "raft proposal dropped"}, {500, "too many"}});
  EXPECT_TRUE(rule(421, "anything"));
  EXPECT_TRUE(rule(503, R"({"error":"raft proposal dropped"})"));
  EXPECT_TRUE(rule(500, "etcdserver: too many requests"));
  EXPECT_FALSE(rule(500, "etcdserver: request timed out"));
  EXPECT_FALSE(rule(503, "etcdserver: request timed out"));
}

TEST(RenderRequest, JsonBodiesAreRenderedLeafByLeafAndSerialized) {
  plan::ProcessRequest request;
  request.method = "POST";
  request.path = "/v3/kv/put";
  request.body = json{{"key", "{key_base64}"}, {"value", "{value}"}, {"n", 1}};
  HttpCall call;
  std::string error;
  ASSERT_TRUE(render_request(request, [](const std::string& name, const std::string&) {
    return std::optional<std::string>(name == "key_base64" ? "azE=" : "v\"1");
  }, call, error)) << error;
  EXPECT_EQ(call.path, "/v3/kv/put");
  EXPECT_EQ(json::parse(call.body), (json{{"key", "azE="}, {"value", "v\"1"}, {"n", 1}}));
}

// A placement on loopback with fixed ports, as the loopback backend gives
// them, and a chosen backend name.
class FakePlacement final : public network::Placement {
 public:
  explicit FakePlacement(std::string backend) : backend_(std::move(backend)) {}
  std::string address(const std::string& id) const override { return "127.0.0." + std::to_string(10 + index(id)); }
  int netns_fd(const std::string&) const override { return -1; }
  int port(const std::string& id, const std::string& name) override {
    auto& ports = ports_[id];
    if (!ports.count(name)) ports[name] = 7001 + static_cast<int>(ports.size());
    return ports[name];
  }
  network::Endpoint dial(const std::string&, const std::string& to, const std::string& name) override {
    return {address(to), port(to, name)};
  }
  void probe_with(const std::string& port_name, std::string payload) override { probes[port_name] = payload; }
  std::string backend() const override { return backend_; }
  std::map<std::string, std::string> probes;

 private:
  static int index(const std::string& id) { return std::stoi(id.substr(id.find_first_of("0123456789"))); }
  std::string backend_;
  std::map<std::string, std::map<std::string, int>> ports_;
};

std::filesystem::path scratch(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("faultline-targets-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::string read(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(EtcdTarget, NamesEveryPeersOwnAddressAndTheClientPortFirst) {
  process::Supervisor supervisor;
  EtcdOptions options;
  options.election_timeout_ms = 250;
  options.dir = scratch("etcd");
  options.binary = "/usr/bin/etcd";
  EtcdTarget target(options, supervisor);
  FakePlacement placement("kernel");
  std::string error;
  ASSERT_TRUE(target.prepare(placement, error)) << error;
  ASSERT_EQ(target.members().size(), 3u);
  const MemberInfo& e2 = target.members()[1];
  EXPECT_EQ(e2.ports.at("client"), 7001);  // reachability probes connect to the first port
  EXPECT_EQ(e2.ports.at("peer"), 7002);
  const std::string command = read(e2.dir / "command.txt");
  EXPECT_NE(command.find("--initial-cluster=e1=http://127.0.0.11:7002,e2=http://127.0.0.12:7002,"
                         "e3=http://127.0.0.13:7002\n"),
            std::string::npos)
      << command;
  EXPECT_NE(command.find("--election-timeout=250\n"), std::string::npos);
  EXPECT_NE(command.find("--data-dir=" + (options.dir / "e2" / "data").string() + "\n"), std::string::npos);
  EXPECT_EQ(placement.probes.at("client"), "GET /version HTTP/1.0\r\n\r\n");
  std::filesystem::remove_all(options.dir);
}

TEST(EtcdTarget, RefusesLinkFaultsWithTheProxyBackend) {
  process::Supervisor supervisor;
  EtcdOptions options;
  options.dir = scratch("etcd-proxy");
  options.link_faults = true;
  EtcdTarget target(options, supervisor);
  FakePlacement proxy("proxy");
  std::string error;
  EXPECT_FALSE(target.prepare(proxy, error));
  EXPECT_NE(error.find("link faults"), std::string::npos) << error;
  FakePlacement kernel("kernel");
  EXPECT_TRUE(target.prepare(kernel, error)) << error;
  std::filesystem::remove_all(options.dir);
}

TEST(ProcessesTarget, RendersEachMembersCommandWithEveryPeer) {
  const std::string text = R"({"name": "p", "workload": {"duration_ms": 1000},
    "topology": {"kind": "processes", "members": 2, "ports": ["api", "peer"], "health": "/health",
      "command": ["/bin/true", "--me={id}:{index}", "--peers={peers}", "--dir={data_dir}"],
      "env": {"SEED": "{seed}"},
      "peer": "{id}=http://{address}:{port:peer}", "peer_separator": ";",
      "requests": {"write": {"path": "/kv/{key}", "body": "{value}"},
                   "read": {"path": "/kv/{key}", "method": "GET", "value": "$"}}}})";
  const auto loaded = plan::parse_plan(text, "p.json");
  ASSERT_TRUE(loaded.plan) << (loaded.errors.empty() ? "" : loaded.errors[0].to_string());
  process::Supervisor supervisor;
  ProcessesOptions options;
  options.topology = plan::processes_topology(loaded.plan->topology);
  options.members = 2;
  options.dir = scratch("processes");
  options.program = "/bin/true";
  ProcessesTarget target(options, supervisor);
  FakePlacement placement("loopback");
  std::string error;
  ASSERT_TRUE(target.prepare(placement, error)) << error;
  EXPECT_FALSE(target.reports().roles);
  EXPECT_EQ(read(options.dir / "p2" / "command.txt"),
            "/bin/true\n--me=p2:2\n--peers=p1=http://127.0.0.11:7002;p2=http://127.0.0.12:7002\n--dir=" +
                (options.dir / "p2" / "data").string() + "\n");
  EXPECT_TRUE(std::filesystem::is_directory(options.dir / "p1" / "data"));
  EXPECT_EQ(placement.probes.at("api"), "GET /health HTTP/1.0\r\n\r\n");
  std::filesystem::remove_all(options.dir);
}

}  // namespace
}  // namespace faultline::targets
