// Compares what was measured with what the plan declared, into check results
// and one verdict. Objectives the plan leaves out are not checked; the
// built-in `election_safety` check always is.
//
// Thread-safety: pure functions of their arguments.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "drills/verify/elections.hpp"
#include "drills/verify/history.hpp"
#include "drills/verify/rpo.hpp"
#include "drills/verify/rto.hpp"
#include "drills/verify/workload.hpp"

namespace faultline::verify {

struct CheckResult {
  std::string objective;            // "rto_ms", "rpo_writes", "election_safety"
  std::optional<double> measured;   // none: could not be measured (and so fails)
  double limit = 0.0;               // pass when measured <= limit
  bool pass = false;
  std::string unit;                 // "ms", "writes", "terms"
  std::string detail;               // for a failure: by how much it missed
};

struct Verdict {
  bool pass = false;
  int exit_code = 1;                 // 0 pass, 1 fail
  std::vector<CheckResult> checks;   // in the order rto_ms, rpo_writes, election_safety
  std::vector<std::string> failed;   // objectives of the failed checks
  RtoResult rto;
  RpoResult rpo;
  ElectionStats elections;
  WorkloadStats workload;
};

// Runs every measurement and check.
Verdict evaluate(const History& history);

// The individual checks, for callers that measure themselves.
CheckResult check_rto(const RtoResult& rto, double limit_ms);
CheckResult check_rpo(const RpoResult& rpo, double limit_writes);
CheckResult check_election_safety(const ElectionStats& elections);

// A number for people: one decimal, without a trailing ".0" ("1834.2", "1").
std::string format_number(double value);

// The journal's `check` and `verdict` event fields (docs/journal.md).
Json to_json(const CheckResult& check);
Json verdict_json(const Verdict& verdict);

}  // namespace faultline::verify
