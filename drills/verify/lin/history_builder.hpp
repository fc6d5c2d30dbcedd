// Pairs invocation and completion events into operations, with the Jepsen
// rules for outcomes, shared by every input format.
//
//  - ok: the operation took effect; a read's value comes from its completion.
//  - fail: it took no effect. Dropped, except a failed cas, which is kept as
//    the constraint "the value was not `expected`" (Jepsen/Porcupine).
//  - info (or no completion at all): unknown outcome. Unknown reads are
//    dropped; other unknown operations may take effect any time after their
//    invocation, or never.
//
// Not thread-safe; one builder per parse.
#pragma once

#include <unordered_map>
#include <optional>
#include <string>

#include "drills/verify/lin/history.hpp"

namespace faultline::lin {

enum class CompletionType : std::uint8_t { Ok, Fail, Info };

struct Invocation {
  std::string pair_id;  // matches the completion: the process, or the journal's op id
  std::string process;
  std::string key;
  OpKind kind = OpKind::Read;
  Value value;     // write/append/cas argument
  Value expected;  // cas only
  std::int64_t time = 0;
  std::size_t line = 0;
};

struct Completion {
  std::string pair_id;
  CompletionType type = CompletionType::Ok;
  Value value;  // a read's result (ignored for other kinds)
  std::int64_t time = 0;
  std::size_t line = 0;
};

class HistoryBuilder {
 public:
  explicit HistoryBuilder(TimeUnit unit) { history_.time_unit = unit; }

  // Each returns an error message (without the line) when the event does not
  // fit: an invocation while the same pair_id is pending, a completion with
  // nothing pending.
  std::optional<std::string> invoke(Invocation inv);
  std::optional<std::string> complete(const Completion& done);

  // Invocations still pending become operations of unknown outcome.
  History finish();

 private:
  History history_;
  std::unordered_map<std::string, Invocation> pending_;
};

}  // namespace faultline::lin
