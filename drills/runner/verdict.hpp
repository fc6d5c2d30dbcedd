// The end of every run and of `faultline report`: check the journal, record
// the checks and the verdict in it, write the reports, print the console
// summary.
#pragma once

#include <filesystem>
#include <iosfwd>

#include "drills/journal/journal.hpp"

namespace faultline::runner {

// Returns the verdict's exit code (0 pass, 1 fail), or 3 when the reports
// cannot be written. `journal` is null when re-checking a finished run.
int verify_and_report(journal::JournalWriter* journal, const std::filesystem::path& journal_file,
                      const std::filesystem::path& dir, std::ostream& out, std::ostream& err);

}  // namespace faultline::runner
