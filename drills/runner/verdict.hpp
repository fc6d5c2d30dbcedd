// The end of every run and of `faultline report`: check the journal, record
// the checks and the verdict in it, write the reports.
//
// A journal whose run stopped early (an `aborted` event) is checked for what
// it recorded and rendered as interrupted or aborted, with exit code 3; the
// linearizability check, which could take long, is not run on it. Re-checked
// later (`journal` null), a journal that ends without a `done` phase (the
// runner was killed, its disk filled) is rendered as incomplete, also 3.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>

#include "drills/journal/journal.hpp"
#include "drills/verify/history.hpp"
#include "drills/verify/objectives.hpp"

namespace faultline::runner {

struct Checked {
  // 0 pass, 1 fail, 3 stopped early or the reports could not be written.
  int exit_code = 3;
  std::optional<verify::History> history;
  std::optional<verify::Verdict> verdict;
  std::string error;  // set when the reports could not be written
  bool reports_written = false;
  std::vector<std::string> warnings;  // journal lines skipped
};

// `journal` is the live run's writer (checks, verdict and `done` are
// journaled), or null when re-checking a finished run. Throws only when the
// journal cannot be opened.
Checked check_and_report(journal::JournalWriter* journal, const std::filesystem::path& journal_file,
                         const std::filesystem::path& dir);

// Re-checks a finished run's journal and writes nothing (a suite reading
// the run of a plan it ran in a child process). `reports_written` stays
// false: the caller knows whether the run wrote its reports. Throws only
// when the journal cannot be opened.
Checked check_journal(const std::filesystem::path& journal_file);

// "journal: PATH\njunit: ..." : where a run's files are.
std::string report_paths(const std::filesystem::path& journal_file, const std::filesystem::path& dir);

}  // namespace faultline::runner
