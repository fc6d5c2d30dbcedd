// Operation histories for the linearizability checker.
//
// A history is what clients observed: for each operation, when it was invoked,
// when (and whether) it completed, and what it returned. Parsers (parse.hpp)
// build histories from Jepsen logs, Jepsen EDN and our own journal; the
// checker (checker.hpp) decides whether some total order of the operations,
// consistent with real time, is a legal sequential execution of the model.
//
// Plain values; no shared state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace faultline::lin {

enum class OpKind : std::uint8_t { Read, Write, Cas, Append };

// What the client learnt about an operation's effect.
enum class Outcome : std::uint8_t {
  // It took effect between invocation and completion, with the recorded output.
  Ok,
  // It certainly took no effect. Kept only for cas, where a failed compare
  // still tells us the value differed from `expected`; parsers drop every
  // other failed operation because it constrains nothing.
  Fail,
  // It may have taken effect at any instant after its invocation, or never
  // (a timeout, a crash, no completion recorded). Its completion time is
  // treated as +infinity. Parsers drop unknown reads: they constrain nothing.
  Unknown,
};

// nullopt is nil: the key does not exist.
using Value = std::optional<std::string>;

struct Operation {
  std::string key;      // "" for a history of a single register
  std::string process;  // the client, for evidence only
  OpKind kind = OpKind::Read;
  Outcome outcome = Outcome::Ok;
  // Read: the value read. Write/Append: the value written or appended.
  // Cas: the value swapped in.
  Value value;
  Value expected;  // cas only: the value compared against
  std::int64_t invoke_time = 0;
  std::int64_t complete_time = 0;  // ignored when outcome is Unknown
  std::size_t invoke_line = 0;     // source line, for evidence
  std::size_t complete_line = 0;   // 0 when no completion was recorded
};

// Jepsen logs and EDN have no clock: times are event ordinals. Journals carry
// nanoseconds since the run started.
enum class TimeUnit : std::uint8_t { Event, Nanoseconds };

struct History {
  std::vector<Operation> ops;
  TimeUnit time_unit = TimeUnit::Event;
};

std::string format_value(const Value& v);
const char* kind_name(OpKind kind);
// One readable line: process, operation, values, outcome, and when it was
// invoked and completed (source lines, and times for journals).
std::string describe(const Operation& op, TimeUnit unit);

}  // namespace faultline::lin
