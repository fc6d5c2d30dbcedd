// Properties of the linearizability checker over generated histories.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <map>

#include "drills/verify/lin/checker.hpp"
#include "tests/lin/lin_test_support.hpp"

namespace faultline::lin {
namespace {

CheckOptions options(Model model) {
  CheckOptions o;
  o.model = model;
  o.time_budget_s = 20;
  o.memory_budget_bytes = std::size_t{256} << 20;
  return o;
}

// Runs a real register: op i takes effect at instant 100 * i, and the client
// sees it over a random interval around that instant, overlapping its
// neighbours. Some writes and cas get no answer (unknown), and of those
// some take effect and some never do.
RC_GTEST_PROP(LinProperty, RealRegisterHistoriesAreLinearizable, ()) {
  const int n = *rc::gen::inRange(1, 40);
  const bool kv = *rc::gen::arbitrary<bool>();
  const std::vector<std::string> keys = kv ? std::vector<std::string>{"a", "b", "c"} : std::vector<std::string>{""};
  std::map<std::string, Value> state;
  for (const auto& k : keys) state[k] = kv ? Value("") : Value();
  History h;
  for (int i = 0; i < n; ++i) {
    const std::string key = keys[static_cast<std::size_t>(*rc::gen::inRange<int>(0, static_cast<int>(keys.size())))];
    const std::int64_t at = 100 * static_cast<std::int64_t>(i);
    const std::int64_t invoke = at - *rc::gen::inRange<std::int64_t>(0, 250);
    const std::int64_t complete = at + *rc::gen::inRange<std::int64_t>(0, 250);
    const std::string v = std::to_string(*rc::gen::inRange(0, 4));
    const int kind = *rc::gen::inRange(0, 3);
    const int fate = *rc::gen::inRange(0, 6);  // 0: unknown and applied, 1: unknown and never applied
    Operation o = test::op(OpKind::Read, std::nullopt, invoke, complete, Outcome::Ok, key);
    Value& cur = state[key];
    if (kind == 0) {
      o.value = cur;
    } else if (kind == 1) {
      o.kind = kv && *rc::gen::arbitrary<bool>() ? OpKind::Append : OpKind::Write;
      o.value = v;
      if (fate != 1) cur = o.kind == OpKind::Append ? Value(cur.value_or("") + v) : Value(v);
    } else {
      o.kind = OpKind::Cas;
      o.expected = *rc::gen::arbitrary<bool>() ? cur : Value(std::to_string(*rc::gen::inRange(0, 4)));
      o.value = v;
      const bool swaps = o.expected == cur;
      if (fate != 1 && swaps) cur = v;
      o.outcome = swaps ? Outcome::Ok : Outcome::Fail;
    }
    if (fate <= 1 && o.kind != OpKind::Read) o.outcome = Outcome::Unknown;
    if (fate == 1 && o.outcome != Outcome::Unknown) continue;  // a known op always took effect
    h.ops.push_back(o);
  }
  const CheckResult r = check(h, options(kv ? Model::Kv : Model::Register));
  RC_ASSERT(r.verdict == Verdict::Ok);
}

// A sequential history of distinct writes and matching reads, with one
// extra read, after some write, that returns the value of an older write.
RC_GTEST_PROP(LinProperty, StaleReadInSequentialHistoryIsCaught, ()) {
  const int writes = *rc::gen::inRange(2, 30);
  const int stale_after = *rc::gen::inRange(1, writes);         // after write number stale_after
  const int stale_value = *rc::gen::inRange(0, stale_after);    // an older write's value
  History h;
  std::int64_t t = 0;
  for (int w = 0; w < writes; ++w) {
    h.ops.push_back(test::write("v" + std::to_string(w), t, t + 5));
    t += 10;
    const int reads = *rc::gen::inRange(0, 3);
    for (int r = 0; r < reads; ++r, t += 10) h.ops.push_back(test::read("v" + std::to_string(w), t, t + 5));
    if (w == stale_after) {
      h.ops.push_back(test::read("v" + std::to_string(stale_value), t, t + 5));
      t += 10;
    }
  }
  const CheckResult r = check(h, options(Model::Register));
  RC_ASSERT(r.verdict == Verdict::Violation);
  RC_ASSERT(r.evidence.has_value());
  RC_ASSERT(!r.evidence->blocked.empty());
  RC_ASSERT(h.ops[r.evidence->blocked.front().op].value == Value("v" + std::to_string(stale_value)));
}

}  // namespace
}  // namespace faultline::lin
