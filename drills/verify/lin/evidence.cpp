#include "drills/verify/lin/evidence.hpp"

#include <algorithm>
#include <limits>

namespace faultline::lin {

namespace {

std::string why_illegal(const CompiledOp& op, std::uint32_t state, const StateTable& values) {
  const std::string now = format_value(values.text(state));
  switch (op.kind) {
    case OpKind::Read:
      return "it read " + format_value(values.text(op.a)) + " but the value was " + now;
    case OpKind::Cas:
      if (op.outcome == Outcome::Ok) {
        return "it swapped from " + format_value(values.text(op.a)) + " but the value was " + now;
      }
      return "it failed to swap but the value was " + now + ", as it expected";
    case OpKind::Write:
    case OpKind::Append:
      break;
  }
  return "illegal here";
}

}  // namespace

Evidence build_evidence(KeyHistory& key, const KeyOutcome& outcome) {
  Evidence ev;
  ev.key = key.key;
  ev.key_ops = key.ops.size();
  const std::size_t n = key.ops.size();
  std::vector<bool> placed(n, false);
  std::uint32_t state = key.states.initial();
  for (std::uint32_t op : outcome.longest) {
    std::uint32_t next = state;
    step(key.ops[op], state, next, key.states);
    state = next;
    placed[op] = true;
    ev.prefix.push_back(key.source[op]);
  }
  ev.value_after_prefix = key.states.text(state);

  std::int64_t first_return = std::numeric_limits<std::int64_t>::max();
  for (std::size_t i = 0; i < n; ++i) {
    if (!placed[i]) first_return = std::min(first_return, key.ret[i]);
  }
  // Illegal candidates first: they are the contradiction itself.
  std::vector<Blocked> dead_ends;
  for (std::size_t i = 0; i < n; ++i) {
    if (placed[i] || key.call[i] > first_return) continue;
    std::uint32_t next = state;
    if (!step(key.ops[i], state, next, key.states)) {
      ev.blocked.push_back({key.source[i], why_illegal(key.ops[i], state, key.states)});
    } else {
      dead_ends.push_back({key.source[i], "legal here, but every order that follows fails"});
    }
  }
  ev.blocked.insert(ev.blocked.end(), dead_ends.begin(), dead_ends.end());
  return ev;
}

}  // namespace faultline::lin
