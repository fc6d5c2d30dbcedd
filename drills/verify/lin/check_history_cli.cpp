#include "drills/verify/lin/check_history_cli.hpp"

#include <cstdint>

#include "drills/verify/lin/checker.hpp"
#include "drills/verify/lin/parse.hpp"

namespace faultline::lin {

int run_check_history(const std::string& file, const std::string& model, const std::string& format,
                      double time_budget_s, std::size_t memory_budget_mb, std::ostream& out) {
  CheckOptions options;
  if (model == "register") {
    options.model = Model::Register;
  } else if (model == "kv") {
    options.model = Model::Kv;
  } else {
    out << "error: unknown model '" << model << "' (expected register or kv)\n";
    return 2;
  }
  const auto fmt = parse_format_name(format);
  if (!fmt) {
    out << "error: unknown format '" << format << "' (expected auto, jepsen-log, edn or journal)\n";
    return 2;
  }
  if (!(time_budget_s > 0) || memory_budget_mb == 0) {
    out << "error: the time and memory budgets must be positive\n";
    return 2;
  }
  ParseResult parsed = load_history(file, *fmt);
  if (!parsed.history) {
    out << "error: " << parsed.error << "\n";
    return 2;
  }
  options.time_budget_s = time_budget_s;
  options.memory_budget_bytes = memory_budget_mb > (SIZE_MAX >> 20) ? SIZE_MAX : memory_budget_mb << 20;
  out << "history: " << file << " (" << format_name(parsed.format) << ")\n";
  const CheckResult result = check(*parsed.history, options);
  print_result(result, *parsed.history, out);
  switch (result.verdict) {
    case Verdict::Ok: return 0;
    case Verdict::Violation: return 1;
    case Verdict::Unknown: return 3;
  }
  return 3;
}

}  // namespace faultline::lin
