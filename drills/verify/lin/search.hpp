// Lowe's depth-first linearizability search over one key's history.
//
// Calls and returns sit in a doubly linked list in time order. The search
// tries to linearize a pending call whose model step is legal, lifting it
// (and its return) out of the list; meeting a return means the operation
// that owns it must already have been linearized, so it backtracks, undoing
// the last choice. Configurations (linearized set, state) already explored
// are skipped (MemoSet). Unknown-outcome operations return at +infinity, so
// they can be linearized late or, at the end, effectively never.
//
// Resumable: run() works for a bounded number of steps and can be called
// again, so a scheduler can interleave many keys on few threads (a slow key
// does not hide a fast violation on another). Bounded: the search stops with
// Unknown at the deadline or when the memory budget is spent.
//
// Thread-safety: one thread at a time per KeySearch; distinct searches may
// run in parallel (they share only the MemoryBudget, which is thread-safe).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "drills/verify/lin/memo.hpp"
#include "drills/verify/lin/model.hpp"

namespace faultline::lin {

enum class Verdict : std::uint8_t { Ok, Violation, Unknown };

struct KeyOutcome {
  Verdict verdict = Verdict::Unknown;
  std::string reason;  // why the answer is Unknown
  // Violation: local op ids of the longest linearizable prefix found, in
  // linearization order.
  std::vector<std::uint32_t> longest;
  std::size_t states = 0;  // configurations memoised
};

class KeySearch {
 public:
  // `history` and `memory` must outlive the search.
  KeySearch(KeyHistory& history, MemoryBudget& memory, std::chrono::steady_clock::time_point deadline);

  // Runs at most about `max_steps` steps; the outcome once decided.
  std::optional<KeyOutcome> run(std::uint64_t max_steps);

 private:
  struct Node {
    std::uint32_t prev;
    std::uint32_t next;
    std::uint32_t op;
    std::uint32_t match;  // a call's return node; kNone for a return
  };
  struct Frame {
    std::uint32_t node;   // the call that was linearized
    std::uint32_t state;  // the state before it, restored on backtrack
    bool forced;          // an observer placed without trying alternatives
  };
  enum class Try : std::uint8_t { Linearized, Illegal, Seen, OutOfMemory, AllPlaced };
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;

  void build_list();
  void unlink(std::uint32_t i) {
    nodes_[nodes_[i].prev].next = nodes_[i].next;
    nodes_[nodes_[i].next].prev = nodes_[i].prev;
  }
  void relink(std::uint32_t i) {
    nodes_[nodes_[i].prev].next = i;
    nodes_[nodes_[i].next].prev = i;
  }
  // Linearizes the call at `entry` next if legal and not yet explored.
  Try try_op(std::uint32_t entry, bool forced);
  // Undoes choices up to the latest one with alternatives left; false when
  // none is left (no linearization exists).
  bool backtrack();
  KeyOutcome finish(Verdict verdict, std::string reason);

  KeyHistory& h_;
  MemoryBudget& memory_;
  std::chrono::steady_clock::time_point deadline_;
  std::vector<Node> nodes_;  // head sentinel 0, calls and returns, tail sentinel
  std::vector<std::uint64_t> bits_;     // the linearized set
  std::vector<std::uint64_t> zobrist_;  // per op, XORed into set_hash_
  MemoSet memo_;
  std::vector<Frame> stack_;
  std::uint32_t state_ = 0;
  std::uint64_t set_hash_ = 0;
  std::uint32_t entry_ = 0;    // next list entry to try, when !fresh_
  bool fresh_ = true;           // a configuration just reached: observers first
  std::size_t known_left_ = 0;  // ops with a known outcome not yet linearized
  std::size_t agree_ = 0;       // stack_[0, agree_) equals longest_[0, agree_)
  std::vector<std::uint32_t> longest_;
  std::vector<bool> observer_;               // reads and failed cas: change no state
  std::vector<std::uint32_t> twin_before_;  // an identical unknown op invoked earlier, or kNone
};

}  // namespace faultline::lin
