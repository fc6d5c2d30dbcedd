// print_result: the verdict and its evidence as text.
#include <cstdio>

#include "drills/verify/lin/checker.hpp"

namespace faultline::lin {

namespace {

constexpr std::size_t kMaxPrefixShown = 10;
constexpr std::size_t kMaxBlockedShown = 20;

bool changes_value(const Operation& op) {
  return op.kind == OpKind::Write || op.kind == OpKind::Append ||
         (op.kind == OpKind::Cas && op.outcome != Outcome::Fail);
}

}  // namespace

void print_result(const CheckResult& r, const History& history, std::ostream& out) {
  char timing[64];
  std::snprintf(timing, sizeof timing, "%.1f ms", r.seconds * 1e3);
  out << "verdict: " << verdict_name(r.verdict) << "\n"
      << "model " << model_name(r.model) << ": " << r.keys << (r.keys == 1 ? " key, " : " keys, ") << r.ops
      << " operations, " << r.states << " states explored in " << timing << "\n";
  if (r.verdict == Verdict::Unknown) {
    out << "could not decide: " << r.reason << "\n";
    return;
  }
  if (r.verdict == Verdict::Ok || !r.evidence) return;

  const Evidence& ev = *r.evidence;
  const TimeUnit unit = history.time_unit;
  out << "key " << (ev.key.empty() ? std::string("(single register)") : format_value(ev.key))
      << " is not linearizable.\n"
      << "longest linearizable prefix found: " << ev.prefix.size() << " of " << ev.key_ops
      << " operations; the value after it is " << format_value(ev.value_after_prefix) << "\n";
  // The prefix ends with the ops since the one that set the current value:
  // those are the ones a reader needs to follow the contradiction.
  std::size_t from = ev.prefix.size();
  while (from > 0 && ev.prefix.size() - from < kMaxPrefixShown) {
    --from;
    if (changes_value(history.ops[ev.prefix[from]])) break;
  }
  if (from < ev.prefix.size()) {
    out << "its last operations" << (from > 0 ? " (after " + std::to_string(from) + " earlier ones)" : "")
        << ":\n";
    for (std::size_t i = from; i < ev.prefix.size(); ++i) {
      out << "  " << describe(history.ops[ev.prefix[i]], unit) << "\n";
    }
  }
  out << "none of these can be linearized next:\n";
  for (std::size_t i = 0; i < ev.blocked.size() && i < kMaxBlockedShown; ++i) {
    out << "  " << describe(history.ops[ev.blocked[i].op], unit) << "\n      " << ev.blocked[i].why << "\n";
  }
  if (ev.blocked.size() > kMaxBlockedShown) {
    out << "  ... and " << ev.blocked.size() - kMaxBlockedShown << " more\n";
  }
}

}  // namespace faultline::lin
