// Reading Jepsen logs, Jepsen EDN and our journal into histories.
#include <gtest/gtest.h>

#include <sstream>

#include "drills/verify/lin/parse.hpp"

namespace faultline::lin {
namespace {

ParseResult parse(const std::string& text, Format format = Format::Auto) {
  std::istringstream in(text);
  return parse_history(in, "h.txt", format);
}

TEST(LinParse, JepsenLogPairsInvocationsWithCompletions) {
  const ParseResult r = parse(
      "INFO  jepsen.core - set-up done\n"
      "INFO  jepsen.util - 0\t:invoke\t:write\t4\n"
      "INFO  jepsen.util - :nemesis\t:info\t:start\tnil\n"
      "INFO  jepsen.util - 1\t:invoke\t:cas\t[4 0]\n"
      "INFO  jepsen.util - 0\t:ok\t:write\t4\n"
      "INFO  jepsen.util - 1\t:fail\t:cas\t[4 0]\n"
      "INFO  jepsen.util - 2\t:invoke\t:read\tnil\n"
      "INFO  jepsen.util - 2\t:ok\t:read\t4\n");
  ASSERT_TRUE(r.history) << r.error;
  EXPECT_EQ(r.format, Format::JepsenLog);
  const auto& ops = r.history->ops;
  ASSERT_EQ(ops.size(), 3u);
  EXPECT_EQ(ops[0].kind, OpKind::Write);
  EXPECT_EQ(ops[0].value, Value("4"));
  EXPECT_EQ(ops[0].invoke_line, 2u);
  EXPECT_EQ(ops[0].complete_line, 5u);
  EXPECT_EQ(ops[1].kind, OpKind::Cas);
  EXPECT_EQ(ops[1].outcome, Outcome::Fail);
  EXPECT_EQ(ops[1].expected, Value("4"));
  EXPECT_EQ(ops[1].value, Value("0"));
  EXPECT_EQ(ops[2].kind, OpKind::Read);
  EXPECT_EQ(ops[2].value, Value("4"));
  EXPECT_LT(ops[0].invoke_time, ops[1].invoke_time);
  EXPECT_LT(ops[1].invoke_time, ops[0].complete_time);
}

TEST(LinParse, JepsenUnknownOutcomes) {
  const ParseResult r = parse(
      "INFO jepsen.util - 0 :invoke :write 1\n"
      "INFO jepsen.util - 0 :info :write :timed-out\n"
      "INFO jepsen.util - 1 :invoke :read nil\n"
      "INFO jepsen.util - 1 :fail :read :timed-out\n"
      "INFO jepsen.util - 2 :invoke :cas [1 2]\n"
      "INFO jepsen.util - 3 :invoke :read nil\n"
      "INFO jepsen.util - 3 :ok :read nil\n");
  ASSERT_TRUE(r.history) << r.error;
  const auto& ops = r.history->ops;
  // The unknown read is dropped; the write and the unanswered cas are unknown.
  ASSERT_EQ(ops.size(), 3u);
  EXPECT_EQ(ops[0].outcome, Outcome::Unknown);
  EXPECT_EQ(ops[0].value, Value("1"));
  EXPECT_EQ(ops[1].kind, OpKind::Cas);
  EXPECT_EQ(ops[1].outcome, Outcome::Unknown);
  EXPECT_EQ(ops[1].complete_line, 0u);
  EXPECT_EQ(ops[2].value, std::nullopt);
}

TEST(LinParse, JepsenErrorsNameTheLine) {
  ParseResult r = parse("INFO jepsen.util - 0 :invoke :write 1\nINFO jepsen.util - 0 :invoke :write 2\n");
  ASSERT_FALSE(r.history);
  EXPECT_EQ(r.error.rfind("h.txt:2: ", 0), 0u) << r.error;
  r = parse("INFO jepsen.util - 0 :ok :write 1\n");
  EXPECT_EQ(r.error.rfind("h.txt:1: completion for process 0", 0), 0u) << r.error;
  r = parse("INFO jepsen.util - 0 :invoke :frob 1\n");
  EXPECT_NE(r.error.find("unsupported operation :frob"), std::string::npos) << r.error;
  r = parse("INFO jepsen.util - 0 :invoke :cas 1\n");
  EXPECT_NE(r.error.find("[FROM TO]"), std::string::npos) << r.error;
}

TEST(LinParse, EdnMapsCarryKeys) {
  const ParseResult r = parse(
      "{:process 0, :type :invoke, :f :append, :key \"4\", :value \"x 0 1 y\"}\n"
      "{:process 1, :type :invoke, :f :get, :key \"4\", :value nil}\n"
      "{:process 0, :type :ok, :f :append, :key \"4\", :value \"x 0 1 y\"}\n"
      "{:process :nemesis, :type :info, :f :start, :value nil}\n"
      "{:process 1, :type :ok, :f :get, :key \"4\", :value \"x 0 1 y\"}\n"
      "{:process 2, :type :invoke, :f :put, :key 7, :value \"a\\\"b\"}\n"
      "{:process 2, :type :info, :f :put, :key 7, :value \"a\\\"b\"}\n");
  ASSERT_TRUE(r.history) << r.error;
  EXPECT_EQ(r.format, Format::Edn);
  const auto& ops = r.history->ops;
  ASSERT_EQ(ops.size(), 3u);
  EXPECT_EQ(ops[0].kind, OpKind::Append);
  EXPECT_EQ(ops[0].key, "4");
  EXPECT_EQ(ops[1].kind, OpKind::Read);
  EXPECT_EQ(ops[1].value, Value("x 0 1 y"));
  EXPECT_EQ(ops[2].key, "7");
  EXPECT_EQ(ops[2].value, Value("a\"b"));
  EXPECT_EQ(ops[2].outcome, Outcome::Unknown);
}

TEST(LinParse, EdnErrorsNameTheLine) {
  ParseResult r = parse("{:process 0, :type :invoke, :f :put, :key \"1\", :value \"a\"}\n{:process 0, :type\n");
  ASSERT_FALSE(r.history);
  EXPECT_EQ(r.error.rfind("h.txt:2: ", 0), 0u) << r.error;
  r = parse("{:process 0, :f :put}\n", Format::Edn);
  EXPECT_NE(r.error.find("needs :process, :type and :f"), std::string::npos) << r.error;
}

TEST(LinParse, JournalOperations) {
  const ParseResult r = parse(
      "{\"t_ns\":1,\"kind\":\"run\",\"seed\":7}\n"
      "{\"t_ns\":10,\"kind\":\"op.invoke\",\"op\":1,\"client\":\"w1\",\"f\":\"put\",\"key\":\"k\",\"value\":\"v1\"}\n"
      "{\"t_ns\":12,\"kind\":\"op.invoke\",\"op\":2,\"client\":\"w2\",\"f\":\"put\",\"key\":\"k\",\"value\":\"v2\"}\n"
      "{\"t_ns\":14,\"kind\":\"op.invoke\",\"op\":3,\"client\":\"w3\",\"f\":\"put\",\"key\":\"k\",\"value\":\"v3\"}\n"
      "{\"t_ns\":15,\"kind\":\"op.invoke\",\"op\":5,\"client\":\"r2\",\"f\":\"get\",\"key\":\"k\"}\n"
      "{\"t_ns\":30,\"kind\":\"op.complete\",\"op\":2,\"f\":\"put\",\"key\":\"k\",\"result\":\"fail\"}\n"
      "{\"t_ns\":20,\"kind\":\"op.complete\",\"op\":1,\"f\":\"put\",\"key\":\"k\",\"result\":\"ok\"}\n"
      "{\"t_ns\":40,\"kind\":\"op.invoke\",\"op\":4,\"client\":\"r1\",\"f\":\"get\",\"key\":\"k\"}\n"
      "{\"t_ns\":50,\"kind\":\"op.complete\",\"op\":4,\"f\":\"get\",\"key\":\"k\",\"value\":null,\"result\":\"ok\"}\n"
      "{\"t_ns\":55,\"kind\":\"op.complete\",\"op\":5,\"f\":\"get\",\"key\":\"k\",\"result\":\"unknown\"}\n"
      "{\"t_ns\":60,\"kind\":\"op.inv");
  ASSERT_TRUE(r.history) << r.error;
  EXPECT_EQ(r.format, Format::Journal);
  EXPECT_EQ(r.history->time_unit, TimeUnit::Nanoseconds);
  const auto& ops = r.history->ops;
  // op 2 failed (dropped), op 5 is an unknown read (dropped), op 3 never completed.
  ASSERT_EQ(ops.size(), 3u);
  EXPECT_EQ(ops[0].process, "w1");
  EXPECT_EQ(ops[0].complete_time, 20);
  EXPECT_EQ(ops[0].complete_line, 7u);
  EXPECT_EQ(ops[1].value, Value("v3"));
  EXPECT_EQ(ops[1].outcome, Outcome::Unknown);
  EXPECT_EQ(ops[2].kind, OpKind::Read);
  EXPECT_EQ(ops[2].value, std::nullopt);
}

TEST(LinParse, JournalLinesOffTheFastPathParseTheSame) {
  // The first pair is plain; the second has an escaped quote in its value, a
  // nested field and spaces, which the full JSON parser handles instead.
  const ParseResult r = parse(
      "{\"client\":0,\"f\":\"put\",\"key\":\"k\",\"kind\":\"op.invoke\",\"op\":1,\"t_ns\":10,\"value\":\"v1\"}\n"
      "{\"client\":0,\"f\":\"put\",\"key\":\"k\",\"kind\":\"op.complete\",\"op\":1,\"result\":\"ok\",\"t_ns\":20,\"value\":\"v1\"}\n"
      "{ \"client\": 1, \"f\": \"put\", \"key\": \"k\", \"kind\": \"op.invoke\", \"op\": 2, \"t_ns\": 30,"
      " \"value\": \"a\\\"b\", \"extra\": {\"x\": [1, 2.5]} }\n"
      "{\"kind\":\"op.complete\",\"op\":2,\"result\":\"ok\",\"t_ns\":40,\"f\":\"put\",\"key\":\"k\"}\n");
  ASSERT_TRUE(r.history) << r.error;
  const auto& ops = r.history->ops;
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[0].process, "0");
  EXPECT_EQ(ops[0].value, Value("v1"));
  EXPECT_EQ(ops[1].process, "1");
  EXPECT_EQ(ops[1].value, Value("a\"b"));
  EXPECT_EQ(ops[1].invoke_line, 3u);
  EXPECT_EQ(ops[1].complete_time, 40);
}

TEST(LinParse, JournalErrorsNameTheLine) {
  const ParseResult r = parse(
      "{\"t_ns\":10,\"kind\":\"op.invoke\",\"op\":1,\"client\":\"c\",\"f\":\"del\",\"key\":\"k\"}\n");
  ASSERT_FALSE(r.history);
  EXPECT_EQ(r.error, "h.txt:1: unsupported f 'del' (expected put or get)");
}

TEST(LinParse, MissingFileIsAnError) {
  const ParseResult r = load_history("/nonexistent/history.log", Format::Auto);
  ASSERT_FALSE(r.history);
  EXPECT_NE(r.error.find("/nonexistent/history.log"), std::string::npos);
}

TEST(LinParse, FormatNames) {
  EXPECT_EQ(parse_format_name("edn"), Format::Edn);
  EXPECT_EQ(parse_format_name("jepsen-log"), Format::JepsenLog);
  EXPECT_EQ(parse_format_name("journal"), Format::Journal);
  EXPECT_EQ(parse_format_name("auto"), Format::Auto);
  EXPECT_FALSE(parse_format_name("json"));
}

}  // namespace
}  // namespace faultline::lin
