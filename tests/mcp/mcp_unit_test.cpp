// The MCP library and the coordinators' routing parts in process: JSON-RPC
// classification, the built-in servers' answers, the circuit breaker on a
// fake clock, and the balancing strategies.
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "cluster/coordinator/mcp_balancer.hpp"
#include "cluster/coordinator/mcp_breaker.hpp"
#include "cluster/mcp/builtin.hpp"
#include "cluster/mcp/jsonrpc.hpp"
#include "cluster/mcp/protocol.hpp"

namespace faultline {
namespace {

using mcp::Json;
using namespace std::chrono_literals;

TEST(JsonRpc, ClassifiesRequestsNotificationsResponsesAndWhatIsNeither) {
  EXPECT_EQ(mcp::classify(Json::parse(R"({"jsonrpc":"2.0","id":1,"method":"ping"})")).kind, mcp::Kind::request);
  EXPECT_EQ(mcp::classify(Json::parse(R"({"jsonrpc":"2.0","id":"a","method":"x","params":{}})")).kind,
            mcp::Kind::request);
  EXPECT_EQ(mcp::classify(Json::parse(R"({"jsonrpc":"2.0","method":"notifications/initialized"})")).kind,
            mcp::Kind::notification);
  EXPECT_EQ(mcp::classify(Json::parse(R"({"jsonrpc":"2.0","id":1,"result":{}})")).kind, mcp::Kind::response);
  for (const char* bad : {R"({"id":1,"method":"ping"})", R"({"jsonrpc":"2.0","id":null,"method":"ping"})",
                          R"({"jsonrpc":"2.0","id":1,"method":7})", R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])",
                          R"({"jsonrpc":"2.0","id":1})", R"("text")"}) {
    const mcp::Message m = mcp::classify(Json::parse(bad));
    EXPECT_EQ(m.kind, mcp::Kind::invalid) << bad;
    EXPECT_FALSE(m.problem.empty()) << bad;
  }
  bool parse_error = false;
  mcp::parse("{not json", parse_error);
  EXPECT_TRUE(parse_error);
}

TEST(Protocol, NegotiatesTheAskedVersionOrTheNewest) {
  EXPECT_EQ(mcp::negotiate_version(Json{{"protocolVersion", "2025-03-26"}}), "2025-03-26");
  EXPECT_EQ(mcp::negotiate_version(Json{{"protocolVersion", "1999-01-01"}}), "2025-11-25");
  EXPECT_EQ(mcp::negotiate_version(Json()), "2025-11-25");
  EXPECT_EQ(mcp::answer_format("application/json, text/event-stream"), mcp::Answer::json);
  EXPECT_EQ(mcp::answer_format("text/event-stream"), mcp::Answer::sse);
  EXPECT_EQ(mcp::answer_format(""), mcp::Answer::json);
  EXPECT_EQ(mcp::answer_format("text/html"), mcp::Answer::unacceptable);
  const std::string a = mcp::new_session_id();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, mcp::new_session_id());
}

Json call(mcp::BuiltinServer& s, const std::string& tool, Json args, const std::string& session = "") {
  Json params{{"name", tool}, {"arguments", std::move(args)}};
  if (!session.empty()) params["_meta"] = Json{{mcp::kSessionMeta, session}};
  return *s.handle(mcp::request(7, "tools/call", params));
}

TEST(Builtin, TheCounterKeepsACountPerSession) {
  auto counter = mcp::BuiltinServer::make("counter");
  ASSERT_TRUE(counter);
  EXPECT_EQ(call(*counter, "increment", Json::object(), "a")["result"]["structuredContent"]["count"], 1);
  EXPECT_EQ(call(*counter, "increment", Json{{"by", 5}}, "a")["result"]["structuredContent"]["count"], 6);
  EXPECT_EQ(call(*counter, "get", Json::object(), "b")["result"]["structuredContent"]["count"], 0);
  EXPECT_EQ(call(*counter, "get", Json::object(), "a")["result"]["structuredContent"]["count"], 6);
  EXPECT_EQ(call(*counter, "increment", Json{{"by", "x"}}, "a")["error"]["code"], mcp::kInvalidParams);
}

TEST(Builtin, AnswersTheLifecycleAndRefusesWhatItDoesNotKnow) {
  auto kv = mcp::BuiltinServer::make("kv");
  const Json init = *kv->handle(mcp::request(1, "initialize", Json{{"protocolVersion", "2025-06-18"}}));
  EXPECT_EQ(init["result"]["protocolVersion"], "2025-06-18");
  EXPECT_TRUE(init["result"]["capabilities"].contains("tools"));
  EXPECT_FALSE(kv->handle(mcp::notification("notifications/initialized")).has_value());
  EXPECT_EQ((*kv->handle(mcp::request(2, "tools/list")))["result"]["tools"].size(), 4u);
  EXPECT_EQ((*kv->handle(mcp::request(3, "resources/list")))["error"]["code"], mcp::kMethodNotFound);
  EXPECT_EQ(call(*kv, "nope", Json::object())["error"]["code"], mcp::kInvalidParams);
  call(*kv, "put", Json{{"key", "k"}, {"value", "v"}});
  EXPECT_EQ(call(*kv, "get", Json{{"key", "k"}}, "other")["result"]["structuredContent"]["value"], "v");
  EXPECT_FALSE(mcp::BuiltinServer::make("nope"));
}

TEST(Builtin, TheStdioLoopAnswersLineByLine) {
  std::istringstream in(mcp::request(1, "tools/call", Json{{"name", "echo"}, {"arguments", {{"message", "hi"}}}})
                            .dump() +
                        "\n\n{bad\n" + mcp::request(2, "ping").dump() + "\n");
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(mcp::run_builtin_server("echo", in, out, err), 0);
  std::istringstream lines(out.str());
  std::string line;
  std::vector<Json> answers;
  while (std::getline(lines, line)) answers.push_back(Json::parse(line));
  ASSERT_EQ(answers.size(), 3u);
  EXPECT_EQ(answers[0]["result"]["content"][0]["text"], "hi");
  EXPECT_EQ(answers[1]["error"]["code"], mcp::kParseError);
  EXPECT_EQ(answers[2]["id"], 2);
  EXPECT_EQ(mcp::run_builtin_server("nope", in, out, err), 2);
}

settings::RoutingSettings breaker_settings() {
  settings::RoutingSettings s;
  s.minimum_requests = 4;
  return s;
}

TEST(CircuitBreaker, OpensAboveTheErrorRateAndHalfOpensAfterTheWait) {
  coordinator::CircuitBreaker b(breaker_settings());
  const auto t0 = std::chrono::steady_clock::time_point{} + 100s;
  b.record("n1", false, t0);
  b.record("n1", false, t0);
  b.record("n1", true, t0);
  EXPECT_EQ(b.state("n1", t0), "closed");  // below the minimum volume
  b.record("n1", true, t0);
  EXPECT_EQ(b.state("n1", t0), "closed");  // 2 of 4 is 50 %: not above it
  b.record("n1", false, t0);
  EXPECT_EQ(b.state("n1", t0), "open");  // 3 of 5
  EXPECT_FALSE(b.allow("n1", t0 + 29s));
  EXPECT_TRUE(b.allow("n1", t0 + 30s));   // the one trial
  EXPECT_FALSE(b.allow("n1", t0 + 30s));  // no second trial meanwhile
  b.record("n1", false, t0 + 30s);
  EXPECT_EQ(b.state("n1", t0 + 31s), "open");
  EXPECT_TRUE(b.allow("n1", t0 + 61s));
  b.record("n1", true, t0 + 61s);
  EXPECT_EQ(b.state("n1", t0 + 61s), "closed");
  EXPECT_TRUE(b.allow("n1", t0 + 61s));
}

TEST(CircuitBreaker, OldFailuresLeaveTheWindow) {
  coordinator::CircuitBreaker b(breaker_settings());
  const auto t0 = std::chrono::steady_clock::time_point{} + 100s;
  for (int i = 0; i < 3; ++i) b.record("n1", false, t0);
  for (int i = 0; i < 3; ++i) b.record("n1", true, t0 + 11s);
  EXPECT_EQ(b.state("n1", t0 + 11s), "closed");
  EXPECT_TRUE(b.allow("n2", t0));  // an unknown node is closed
}

std::vector<coordinator::Candidate> three() {
  return {{"n1", 1, 0}, {"n2", 1, 0}, {"n3", 1, 0}};
}

TEST(Balancer, RoundRobinTakesTurns) {
  coordinator::Balancer b(settings::Balancing::round_robin);
  std::map<std::string, int> chosen;
  for (int i = 0; i < 9; ++i) ++chosen[b.choose("s" + std::to_string(i), three())];
  EXPECT_EQ(chosen, (std::map<std::string, int>{{"n1", 3}, {"n2", 3}, {"n3", 3}}));
}

TEST(Balancer, WeightedFollowsTheWeights) {
  coordinator::Balancer b(settings::Balancing::weighted);
  std::vector<coordinator::Candidate> c{{"n1", 5, 0}, {"n2", 1, 0}, {"n3", 1, 0}};
  std::map<std::string, int> chosen;
  for (int i = 0; i < 70; ++i) ++chosen[b.choose("s", c)];
  EXPECT_EQ(chosen, (std::map<std::string, int>{{"n1", 50}, {"n2", 10}, {"n3", 10}}));
}

TEST(Balancer, LeastConnectionsTakesTheEmptiest) {
  coordinator::Balancer b(settings::Balancing::least_connections);
  EXPECT_EQ(b.choose("s", {{"n1", 1, 4}, {"n2", 1, 1}, {"n3", 1, 2}}), "n2");
}

TEST(Balancer, ConsistentHashMovesOnlyTheKeysOfTheNodeThatLeft) {
  coordinator::Balancer b(settings::Balancing::consistent_hash);
  std::map<std::string, std::string> before;
  std::map<std::string, int> spread;
  for (int i = 0; i < 300; ++i) {
    const std::string s = "session-" + std::to_string(i);
    before[s] = b.choose(s, three());
    ++spread[before[s]];
  }
  for (const auto& [node, count] : spread) EXPECT_GT(count, 60) << node;
  const std::vector<coordinator::Candidate> two{{"n1", 1, 0}, {"n3", 1, 0}};
  for (const auto& [s, node] : before) {
    if (node != "n2") {
      EXPECT_EQ(b.choose(s, two), node) << s;
    }
  }
  EXPECT_EQ(b.choose("s", {}), "");
}

}  // namespace
}  // namespace faultline
