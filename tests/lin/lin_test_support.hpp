// Builders for hand-made histories in the linearizability tests.
#pragma once

#include <string>

#include "drills/verify/lin/history.hpp"

namespace faultline::lin::test {

inline Operation op(OpKind kind, Value value, std::int64_t invoke, std::int64_t complete,
                    Outcome outcome = Outcome::Ok, std::string key = "") {
  Operation o;
  o.key = std::move(key);
  o.process = std::to_string(invoke);
  o.kind = kind;
  o.outcome = outcome;
  o.value = std::move(value);
  o.invoke_time = invoke;
  o.complete_time = complete;
  o.invoke_line = static_cast<std::size_t>(invoke) + 1;
  o.complete_line = static_cast<std::size_t>(complete) + 1;
  return o;
}

inline Operation write(Value v, std::int64_t a, std::int64_t b, Outcome outcome = Outcome::Ok) {
  return op(OpKind::Write, std::move(v), a, b, outcome);
}
inline Operation read(Value v, std::int64_t a, std::int64_t b) { return op(OpKind::Read, std::move(v), a, b); }
inline Operation cas(Value from, Value to, std::int64_t a, std::int64_t b, Outcome outcome = Outcome::Ok) {
  Operation o = op(OpKind::Cas, std::move(to), a, b, outcome);
  o.expected = std::move(from);
  return o;
}

}  // namespace faultline::lin::test
