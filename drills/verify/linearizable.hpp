// The `linearizable` objective: the run's key-value history (op.invoke /
// op.complete) checked with the linearizability checker (drills/verify/lin,
// model kv: put is a write, get a read, a missing key reads as ""), bounded
// in time and memory.
//
// Thread-safety: pure functions of their arguments (the checker runs its own
// threads inside one call).
#pragma once

#include <cstddef>
#include <filesystem>
#include <istream>
#include <string>

namespace faultline::verify {

struct LinearizabilityOptions {
  double time_budget_s = 30.0;
  std::size_t memory_budget_bytes = std::size_t{512} << 20;  // 512 MiB
};

struct LinearizabilityResult {
  std::string verdict;   // "ok", "violation", "unknown", or "error" (unreadable history)
  std::string reason;    // unknown: which budget ran out, on which key; error: what was wrong
  std::string evidence;  // the checker's own account: verdict, counts and, for a violation,
                         // the key and the operations that cannot be linearized
  std::size_t keys = 0;
  std::size_t ops = 0;
  double seconds = 0;
};

LinearizabilityResult check_linearizability(std::istream& journal, const std::string& source,
                                            const LinearizabilityOptions& options = {});
LinearizabilityResult check_linearizability(const std::filesystem::path& journal_file,
                                            const LinearizabilityOptions& options = {});

}  // namespace faultline::verify
