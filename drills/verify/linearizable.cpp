#include "drills/verify/linearizable.hpp"

#include <fstream>
#include <sstream>

#include "drills/verify/lin/checker.hpp"
#include "drills/verify/lin/parse.hpp"
#include "drills/verify/objectives.hpp"

namespace faultline::verify {
namespace {

LinearizabilityResult run(const lin::ParseResult& parsed, const LinearizabilityOptions& options) {
  LinearizabilityResult out;
  if (!parsed.history) {
    out.verdict = "error";
    out.reason = parsed.error;
    return out;
  }
  lin::CheckOptions o;
  o.model = lin::Model::Kv;
  o.time_budget_s = options.time_budget_s;
  o.memory_budget_bytes = options.memory_budget_bytes;
  // One thread: with several violating keys the same journal always reports
  // the same one, so a re-check gives the same evidence.
  o.threads = 1;
  const lin::CheckResult r = lin::check(*parsed.history, o);
  out.verdict = lin::verdict_name(r.verdict);
  out.reason = r.reason;
  out.keys = r.keys;
  out.ops = r.ops;
  out.seconds = r.seconds;
  std::ostringstream text;
  lin::print_result(r, *parsed.history, text);
  out.evidence = text.str();
  return out;
}

}  // namespace

LinearizabilityResult check_linearizability(std::istream& journal, const std::string& source,
                                            const LinearizabilityOptions& options) {
  return run(lin::parse_journal(journal, source), options);
}

LinearizabilityResult check_linearizability(const std::filesystem::path& journal_file,
                                            const LinearizabilityOptions& options) {
  std::ifstream in(journal_file);
  if (!in) {
    LinearizabilityResult out;
    out.verdict = "error";
    out.reason = journal_file.string() + ": cannot read the journal";
    return out;
  }
  return check_linearizability(in, journal_file.string(), options);
}

CheckResult check_linearizable(const std::optional<LinearizabilityResult>& result) {
  CheckResult c{"linearizable", std::nullopt, 0.0, false, "violations", ""};
  if (!result) {
    c.detail = "not checked: the history was not given to the linearizability checker";
    return c;
  }
  if (result->verdict == "ok") {
    c.measured = 0;
    c.pass = true;
    c.detail = "linearizable: " + std::to_string(result->ops) + " operations on " +
               std::to_string(result->keys) + " keys";
  } else if (result->verdict == "violation") {
    c.measured = 1;
    c.detail = "not linearizable; evidence below\n" + result->evidence;
  } else if (result->verdict == "unknown") {
    c.detail = "unknown: budget exhausted (" + result->reason + ")";
  } else {
    c.detail = "not checked: " + result->reason;
  }
  return c;
}

}  // namespace faultline::verify
