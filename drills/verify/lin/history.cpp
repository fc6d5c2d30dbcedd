#include "drills/verify/lin/history.hpp"

#include <cstdio>

namespace faultline::lin {

std::string format_value(const Value& v) {
  if (!v) return "nil";
  // Quote only when needed so register logs read as numbers, like the source.
  bool plain = !v->empty();
  for (char c : *v) {
    if (c == ' ' || c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) plain = false;
  }
  if (plain) return *v;
  std::string out = "\"";
  for (char c : *v) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

const char* kind_name(OpKind kind) {
  switch (kind) {
    case OpKind::Read: return "read";
    case OpKind::Write: return "write";
    case OpKind::Cas: return "cas";
    case OpKind::Append: return "append";
  }
  return "?";
}

namespace {

std::string format_time(std::int64_t t_ns) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.3f ms", static_cast<double>(t_ns) / 1e6);
  return buf;
}

}  // namespace

std::string describe(const Operation& op, TimeUnit unit) {
  std::string s = "process " + op.process + " " + kind_name(op.kind);
  if (!op.key.empty()) s += " key " + format_value(op.key);
  switch (op.kind) {
    case OpKind::Read: s += " -> " + format_value(op.value); break;
    case OpKind::Write:
    case OpKind::Append: s += " " + format_value(op.value); break;
    case OpKind::Cas:
      s += " " + format_value(op.expected) + " -> " + format_value(op.value);
      break;
  }
  switch (op.outcome) {
    case Outcome::Ok: s += op.kind == OpKind::Cas ? " (swapped)" : ""; break;
    case Outcome::Fail: s += " (failed: value was not " + format_value(op.expected) + ")"; break;
    case Outcome::Unknown: s += " (outcome unknown)"; break;
  }
  s += "  [invoked line " + std::to_string(op.invoke_line);
  if (unit == TimeUnit::Nanoseconds) s += " at " + format_time(op.invoke_time);
  if (op.outcome == Outcome::Unknown) {
    s += op.complete_line == 0 ? ", never completed" : ", completed line " + std::to_string(op.complete_line) + " without an answer";
  } else {
    s += ", completed line " + std::to_string(op.complete_line);
    if (unit == TimeUnit::Nanoseconds) s += " at " + format_time(op.complete_time);
  }
  return s + "]";
}

}  // namespace faultline::lin
