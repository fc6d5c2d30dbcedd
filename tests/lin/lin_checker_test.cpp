// Hand-made histories with known answers for the linearizability checker.
#include <gtest/gtest.h>

#include <sstream>

#include "drills/verify/lin/checker.hpp"
#include "tests/lin/lin_test_support.hpp"

namespace faultline::lin {
namespace {

using test::cas;
using test::op;
using test::read;
using test::write;

CheckResult run(std::vector<Operation> ops, Model model = Model::Register) {
  History h;
  h.ops = std::move(ops);
  CheckOptions options;
  options.model = model;
  options.time_budget_s = 10;
  return check(h, options);
}

TEST(LinChecker, SequentialWriteThenReadIsOk) {
  EXPECT_EQ(run({write("1", 0, 1), read("1", 2, 3)}).verdict, Verdict::Ok);
}

TEST(LinChecker, ReadOfInitialRegisterIsNil) {
  EXPECT_EQ(run({read(std::nullopt, 0, 1), write("1", 2, 3)}).verdict, Verdict::Ok);
  EXPECT_EQ(run({read("1", 0, 1), write("1", 2, 3)}).verdict, Verdict::Violation);
}

TEST(LinChecker, StaleReadIsAViolationWithEvidence) {
  History h;
  h.ops = {write("1", 0, 1), write("2", 2, 3), read("1", 4, 5)};
  const CheckResult r = check(h, CheckOptions{});
  ASSERT_EQ(r.verdict, Verdict::Violation);
  ASSERT_TRUE(r.evidence);
  EXPECT_EQ(r.evidence->prefix.size(), 2u);
  EXPECT_EQ(r.evidence->value_after_prefix, Value("2"));
  ASSERT_EQ(r.evidence->blocked.size(), 1u);
  EXPECT_EQ(r.evidence->blocked[0].op, 2u);
  EXPECT_NE(r.evidence->blocked[0].why.find("read 1 but the value was 2"), std::string::npos);
  std::ostringstream text;
  print_result(r, h, text);
  EXPECT_NE(text.str().find("verdict: violation"), std::string::npos);
  EXPECT_NE(text.str().find("process 4 read -> 1"), std::string::npos) << text.str();
}

TEST(LinChecker, ConcurrentWritesMayTakeEffectInEitherOrder) {
  EXPECT_EQ(run({write("1", 0, 10), write("2", 1, 9), read("1", 11, 12)}).verdict, Verdict::Ok);
  EXPECT_EQ(run({write("1", 0, 10), write("2", 1, 9), read("2", 11, 12)}).verdict, Verdict::Ok);
  // Once a reader saw 1 then 2, a later reader cannot see 1 again.
  EXPECT_EQ(run({write("1", 0, 10), write("2", 1, 9), read("2", 11, 12), read("1", 13, 14)}).verdict,
            Verdict::Violation);
}

TEST(LinChecker, ReadConcurrentWithWriteMaySeeEitherValue) {
  EXPECT_EQ(run({write("1", 0, 1), write("2", 2, 6), read("1", 3, 4)}).verdict, Verdict::Ok);
  EXPECT_EQ(run({write("1", 0, 1), write("2", 2, 6), read("2", 3, 4)}).verdict, Verdict::Ok);
  EXPECT_EQ(run({write("1", 0, 1), write("2", 2, 6), read("3", 3, 4)}).verdict, Verdict::Violation);
}

TEST(LinChecker, CasSwapsOnlyFromTheExpectedValue) {
  EXPECT_EQ(run({write("1", 0, 1), cas("1", "2", 2, 3), read("2", 4, 5)}).verdict, Verdict::Ok);
  EXPECT_EQ(run({write("1", 0, 1), cas("3", "2", 2, 3)}).verdict, Verdict::Violation);
  EXPECT_EQ(run({write("1", 0, 1), cas("1", "2", 2, 3), read("1", 4, 5)}).verdict, Verdict::Violation);
}

TEST(LinChecker, FailedCasMeansTheValueDiffered) {
  EXPECT_EQ(run({write("1", 0, 1), cas("3", "2", 2, 3, Outcome::Fail), read("1", 4, 5)}).verdict, Verdict::Ok);
  const CheckResult r = run({write("1", 0, 1), cas("1", "2", 2, 3, Outcome::Fail)});
  ASSERT_EQ(r.verdict, Verdict::Violation);
  EXPECT_NE(r.evidence->blocked.at(0).why.find("failed to swap"), std::string::npos);
}

TEST(LinChecker, UnknownWriteMayTakeEffectLateOrNever) {
  // Invoked at 0 with no answer: a read long after may or may not see it.
  EXPECT_EQ(run({write("5", 0, 1, Outcome::Unknown), read("5", 10, 11)}).verdict, Verdict::Ok);
  EXPECT_EQ(run({write("5", 0, 1, Outcome::Unknown), read(std::nullopt, 10, 11)}).verdict, Verdict::Ok);
  // ...but once seen it stays seen, and it cannot act before its invocation.
  EXPECT_EQ(run({write("5", 0, 1, Outcome::Unknown), read("5", 10, 11), read(std::nullopt, 12, 13)}).verdict,
            Verdict::Violation);
  EXPECT_EQ(run({read("5", 0, 1), write("5", 2, 3, Outcome::Unknown)}).verdict, Verdict::Violation);
}

TEST(LinChecker, UnknownCasMaySwapOrNot) {
  EXPECT_EQ(run({write("1", 0, 1), cas("1", "2", 2, 3, Outcome::Unknown), read("2", 4, 5)}).verdict, Verdict::Ok);
  EXPECT_EQ(run({write("1", 0, 1), cas("1", "2", 2, 3, Outcome::Unknown), read("1", 4, 5)}).verdict, Verdict::Ok);
  EXPECT_EQ(run({write("1", 0, 1), cas("3", "2", 2, 3, Outcome::Unknown), read("2", 4, 5)}).verdict,
            Verdict::Violation);
}

TEST(LinChecker, IdenticalUnknownWritesStillExploreEveryPlacement) {
  // Two unknown writes of 7 and one of 8: 7, 8, 7 is needed to explain the reads.
  EXPECT_EQ(run({write("7", 0, 1, Outcome::Unknown), write("7", 0, 1, Outcome::Unknown),
                 write("8", 0, 1, Outcome::Unknown), read("7", 2, 3), read("8", 4, 5), read("7", 6, 7)})
                .verdict,
            Verdict::Ok);
}

TEST(LinChecker, KvAppendsConcatenateAndKeysAreIndependent) {
  auto kv = [](OpKind kind, Value v, std::int64_t a, std::int64_t b, std::string key) {
    return op(kind, std::move(v), a, b, Outcome::Ok, std::move(key));
  };
  EXPECT_EQ(run({kv(OpKind::Read, "", 0, 1, "a"), kv(OpKind::Append, "x", 2, 3, "a"),
                 kv(OpKind::Append, "y", 2, 5, "a"), kv(OpKind::Append, "z", 2, 3, "b"),
                 kv(OpKind::Read, "yx", 6, 7, "a"), kv(OpKind::Read, "z", 6, 7, "b")},
                Model::Kv)
                .verdict,
            Verdict::Ok);
  const CheckResult r = run({kv(OpKind::Write, "p", 0, 1, "a"), kv(OpKind::Append, "q", 2, 3, "a"),
                             kv(OpKind::Read, "pq", 4, 5, "a"), kv(OpKind::Append, "z", 0, 1, "b"),
                             kv(OpKind::Read, "zz", 2, 3, "b")},
                            Model::Kv);
  ASSERT_EQ(r.verdict, Verdict::Violation);
  EXPECT_EQ(r.evidence->key, "b");
  EXPECT_EQ(r.keys, 2u);
}

TEST(LinChecker, KvNilReadMeansEmpty) {
  EXPECT_EQ(run({read(std::nullopt, 0, 1)}, Model::Kv).verdict, Verdict::Ok);
  EXPECT_EQ(run({read("", 0, 1)}, Model::Register).verdict, Verdict::Violation);
}

// Many concurrent writes, then a read of a value nobody wrote: the search
// must visit every subset of the writes before it can say no.
std::vector<Operation> exponential_history() {
  std::vector<Operation> ops;
  for (int i = 0; i < 40; ++i) ops.push_back(write(std::to_string(i), 0, 100));
  ops.push_back(read("never", 101, 102));
  return ops;
}

TEST(LinChecker, MemoryBudgetExhaustionAnswersUnknown) {
  History h;
  h.ops = exponential_history();
  CheckOptions options;
  options.memory_budget_bytes = 1 << 20;
  const CheckResult r = check(h, options);
  EXPECT_EQ(r.verdict, Verdict::Unknown);
  EXPECT_NE(r.reason.find("memory budget of 1 MiB exhausted"), std::string::npos) << r.reason;
  EXPECT_LE(r.peak_memo_bytes, std::size_t{1} << 20);
}

TEST(LinChecker, TimeBudgetExhaustionAnswersUnknown) {
  History h;
  h.ops = exponential_history();
  CheckOptions options;
  options.time_budget_s = 0.05;
  const CheckResult r = check(h, options);
  EXPECT_EQ(r.verdict, Verdict::Unknown);
  EXPECT_NE(r.reason.find("time budget exhausted"), std::string::npos) << r.reason;
  EXPECT_LT(r.seconds, 5.0);
}

TEST(LinChecker, ViolationOnOneKeyIsFoundWhileAnotherKeyIsHard) {
  History h;
  for (Operation o : exponential_history()) {
    o.key = "hard";
    h.ops.push_back(o);
  }
  h.ops.push_back(op(OpKind::Write, "1", 0, 1, Outcome::Ok, "easy"));
  h.ops.push_back(op(OpKind::Read, "2", 2, 3, Outcome::Ok, "easy"));
  CheckOptions options;
  options.threads = 1;  // the hard key comes first and would never finish alone
  options.time_budget_s = 30;
  const CheckResult r = check(h, options);
  ASSERT_EQ(r.verdict, Verdict::Violation);
  EXPECT_EQ(r.evidence->key, "easy");
  EXPECT_LT(r.seconds, 5.0);
}

TEST(LinChecker, EmptyHistoryIsOk) { EXPECT_EQ(run({}).verdict, Verdict::Ok); }

}  // namespace
}  // namespace faultline::lin
