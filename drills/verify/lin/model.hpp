// The sequential models, over compact integer encodings.
//
// Every value in a key's history is interned to a dense id; a model state is
// one uint32_t and a step is a switch on the operation kind. Two models:
//  - Register: read/write/cas over one value; starts absent (nil, id 0).
//  - Kv: get/put/append on a key; starts as "" and a nil read means "".
// Both are checked key by key (P-compositionality): a history is
// linearizable iff the sub-history of every key is.
//
// Appends would make a new string per state; instead a state made by an
// append is a node (parent state, appended value) carrying its length and a
// polynomial hash, and a read compares length and hash first, then the text
// exactly by walking the nodes. Two states with equal text may have distinct
// ids (the memo then merges less), which never changes a verdict.
//
// A StateTable is used by one thread at a time (append adds nodes).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "drills/verify/lin/flat_map.hpp"
#include "drills/verify/lin/history.hpp"

namespace faultline::lin {

enum class Model : std::uint8_t { Register, Kv };

class StateTable {
 public:
  explicit StateTable(Model model);

  // The id of a value of the history (a state equal to that value).
  std::uint32_t intern(const Value& v);
  std::uint32_t initial() const { return initial_; }
  // The state holding `state`'s text followed by value `suffix` (nil as "").
  std::uint32_t append(std::uint32_t state, std::uint32_t suffix);
  // Whether `state` holds exactly the interned value `value`.
  bool equals(std::uint32_t state, std::uint32_t value) {
    return state == value || (nodes_[state].parent != kRoot && equals_slow(state, value));
  }
  // The text of a state (for evidence; allocates).
  Value text(std::uint32_t state) const;

 private:
  static constexpr std::uint32_t kRoot = 0xFFFFFFFFu;
  struct Node {
    std::uint32_t parent;  // kRoot: an interned value of the history
    std::uint32_t suffix;  // the appended value (interned id)
    // Children made by appending to this state, as a sibling list: a state
    // has at most as many as there are concurrent appends, so a short walk
    // beats a hash map that must grow with every new state.
    std::uint32_t first_child;
    std::uint32_t next_sibling;
    std::uint64_t length;
    std::uint64_t hash;
  };
  bool equals_slow(std::uint32_t state, std::uint32_t value);

  Model model_;
  std::uint32_t initial_ = 0;
  std::vector<Node> nodes_;      // ids below values_.size() are interned values
  std::vector<Value> values_;    // id 0 is nil
  std::unordered_map<std::string, std::uint32_t> ids_;
  FlatMap64 equal_cache_;  // (state << 32 | value) -> 1 if equal
};

// One operation, encoded. For a cas, a = expected and b = new value; for
// every other kind a is the value read or written.
struct CompiledOp {
  OpKind kind = OpKind::Read;
  Outcome outcome = Outcome::Ok;
  std::uint32_t a = 0;
  std::uint32_t b = 0;
};

// Applies `op` to `state`: false if the op's recorded output is impossible
// in that state, else true with the resulting state in `next`.
inline bool step(const CompiledOp& op, std::uint32_t state, std::uint32_t& next, StateTable& states) {
  switch (op.kind) {
    case OpKind::Read:
      next = state;
      return states.equals(state, op.a);
    case OpKind::Write:
      next = op.a;
      return true;
    case OpKind::Cas: {
      const bool same = states.equals(state, op.a);
      if (op.outcome == Outcome::Ok) {
        next = op.b;
        return same;
      }
      next = same && op.outcome == Outcome::Unknown ? op.b : state;
      return op.outcome == Outcome::Unknown || !same;
    }
    case OpKind::Append:
      next = states.append(state, op.a);
      return true;
  }
  return false;
}

// The operations of one key, encoded, with their real-time intervals.
struct KeyHistory {
  explicit KeyHistory(Model model) : states(model) {}
  std::string key;
  std::vector<std::size_t> source;  // index in History::ops of each local op
  std::vector<CompiledOp> ops;
  std::vector<std::int64_t> call;
  std::vector<std::int64_t> ret;  // INT64_MAX when the outcome is unknown
  StateTable states;
};

// Splits by key, in order of each key's first operation. Drops what
// constrains nothing: unknown reads and failed non-cas operations.
std::vector<KeyHistory> split_by_key(const History& history, Model model);

}  // namespace faultline::lin
