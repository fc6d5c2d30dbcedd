// The `faultline check-history FILE --model register|kv` command, without
// its argument parsing (the CLI wires its options to this function).
#pragma once

#include <cstddef>
#include <ostream>
#include <string>

namespace faultline::lin {

// Reads `file` (format "auto", "jepsen-log", "edn" or "journal"), checks it
// against `model` ("register" or "kv") within the budgets, and prints the
// verdict with its evidence to `out`.
// Returns 0 ok, 1 violation, 3 unknown (a budget ran out), 2 bad input or
// usage (the message names the file and the line).
int run_check_history(const std::string& file, const std::string& model, const std::string& format,
                      double time_budget_s, std::size_t memory_budget_mb, std::ostream& out);

}  // namespace faultline::lin
