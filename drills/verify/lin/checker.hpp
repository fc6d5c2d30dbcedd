// Linearizability checking of a recorded history, split by key.
//
//   History h = load_history("etcd_000.log", Format::Auto).history.value();
//   CheckResult r = check(h, CheckOptions{.model = Model::Register});
//   if (r.verdict == Verdict::Violation) print_result(r, h, std::cout);
//
// Each key is checked alone (a history is linearizable iff every key's
// sub-history is), on up to `threads` threads. Time and memory are bounded;
// when a bound is hit the verdict is Unknown with the reason, never a crash.
//
// Thread-safety: check() is reentrant; it shares nothing between calls.
#pragma once

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "drills/verify/lin/history.hpp"
#include "drills/verify/lin/model.hpp"
#include "drills/verify/lin/search.hpp"

namespace faultline::lin {

struct CheckOptions {
  Model model = Model::Register;
  double time_budget_s = 60.0;                     // wall clock, whole history
  std::size_t memory_budget_bytes = 1ull << 30;    // memo bytes, all keys at once
  unsigned threads = 2;                            // keys checked in parallel
};

// An operation that could not be linearized after the prefix, and why.
struct Blocked {
  std::size_t op = 0;  // index in History::ops
  std::string why;
};

// Why a key's history is not linearizable: the longest linearizable prefix
// the search found, the value after it, and the operations none of which
// could come next (each illegal there, or leading only to dead ends).
struct Evidence {
  std::string key;
  std::vector<std::size_t> prefix;  // indices in History::ops, in linearization order
  std::size_t key_ops = 0;          // operations of this key that were checked
  Value value_after_prefix;
  std::vector<Blocked> blocked;
};

struct CheckResult {
  Verdict verdict = Verdict::Unknown;
  std::string reason;                // Unknown: what bound was hit, on which key
  std::optional<Evidence> evidence;  // Violation: the first violating key (in key order)
  Model model = Model::Register;
  std::size_t keys = 0;
  std::size_t ops = 0;
  std::size_t states = 0;            // configurations memoised over all keys
  std::size_t peak_memo_bytes = 0;
  double seconds = 0;
};

CheckResult check(const History& history, const CheckOptions& options);

const char* verdict_name(Verdict v);  // "ok", "violation", "unknown"
const char* model_name(Model m);      // "register", "kv"

// The verdict and its evidence, for people.
void print_result(const CheckResult& result, const History& history, std::ostream& out);

}  // namespace faultline::lin
