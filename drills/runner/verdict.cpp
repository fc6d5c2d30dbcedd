#include "drills/runner/verdict.hpp"

#include <ostream>

#include "drills/verify/history.hpp"
#include "drills/verify/objectives.hpp"
#include "reports/reports.hpp"

namespace faultline::runner {

using Json = journal::Json;

int verify_and_report(journal::JournalWriter* journal, const std::filesystem::path& journal_file,
                      const std::filesystem::path& dir, std::ostream& out, std::ostream& err) {
  auto read = journal::read_journal(journal_file);
  for (const auto& skipped : read.skipped) err << "warning: " << journal_file.string() << ": " << skipped << "\n";
  const verify::History history = verify::history_from(read.events);
  const verify::Verdict verdict = verify::evaluate_journal(history, journal_file);
  if (journal != nullptr) {
    for (const auto& check : verdict.checks) journal->write("check", verify::to_json(check));
    journal->write("verdict", verify::verdict_json(verdict));
    journal->write("phase", Json{{"phase", "done"}});
  }
  if (auto error = reports::write_reports(dir, history, verdict)) {
    err << "error: " << *error << "\n";
    return 3;
  }
  out << reports::console_summary(history, verdict);
  out << "journal: " << journal_file.string() << "\n";
  out << "junit:   " << (dir / "junit.xml").string() << "\n";
  out << "summary: " << (dir / "summary.md").string() << "\n";
  out << "report:  " << (dir / "report.html").string() << "\n";
  return verdict.exit_code;
}

}  // namespace faultline::runner
