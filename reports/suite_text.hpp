// Words and helpers shared by the suite renderings (internal to reports/).
//
// Thread-safety: pure functions, except write_file.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "reports/reports.hpp"

namespace faultline::reports {

// PASS, FAIL, ERROR (a trial could not be carried out) or INTERRUPTED.
std::string suite_word(const Suite& suite);
// "trial-03": a trial's folder and testcase name.
std::string trial_name(int index);
std::string trial_word(const verify::TrialRecord& trial);
// "18 of 20 trials passed, 2 failed".
std::string suite_counts(const Suite& suite);
// The distributions of measures that at least one trial measured.
std::vector<const verify::Distribution*> shown_distributions(const Suite& suite);
// A statistic without its unit, "-" when not measured.
std::string stat_text(const std::optional<double>& value);

// Writes `text` to `path`; the error names the file (write.cpp).
std::optional<std::string> write_file(const std::filesystem::path& path, const std::string& text);

}  // namespace faultline::reports
