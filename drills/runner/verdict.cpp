#include "drills/runner/verdict.hpp"

#include "reports/reports.hpp"

namespace faultline::runner {

using Json = journal::Json;

namespace {

bool has_phase(const verify::History& h, const std::string& name) {
  for (const auto& p : h.phases) {
    if (p.name == name) return true;
  }
  return false;
}

}  // namespace

namespace {

struct Judged {
  verify::History history;
  verify::Verdict verdict;
  std::vector<std::string> warnings;
};

// The verdict of a journal; `live`: the run is still writing it (no `done`
// phase yet is expected), else a journal without one was cut short.
Judged judge(const std::filesystem::path& journal_file, bool live) {
  Judged out;
  auto read = journal::read_journal(journal_file);
  for (const auto& skipped : read.skipped) out.warnings.push_back(journal_file.string() + ": " + skipped);
  out.history = verify::history_from(read.events);
  verify::History& history = out.history;
  if (!live && !history.stopped && !has_phase(history, "done")) {
    history.stopped = verify::RunStop{"incomplete", "the runner was killed, or could not write the rest of it",
                                      history.end_ns};
  }
  out.verdict = history.stopped ? verify::evaluate(history) : verify::evaluate_journal(history, journal_file);
  if (history.stopped) {
    // Not a verdict: nothing was missed, the run never got to judge.
    out.verdict.pass = false;
    out.verdict.exit_code = 3;
    out.verdict.failed.clear();
  }
  return out;
}

}  // namespace

Checked check_journal(const std::filesystem::path& journal_file) {
  Judged judged = judge(journal_file, false);
  Checked out;
  out.exit_code = judged.verdict.exit_code;
  out.warnings = std::move(judged.warnings);
  out.history = std::move(judged.history);
  out.verdict = std::move(judged.verdict);
  return out;
}

Checked check_and_report(journal::JournalWriter* journal, const std::filesystem::path& journal_file,
                         const std::filesystem::path& dir) {
  Checked out;
  Judged judged = judge(journal_file, journal != nullptr);
  out.warnings = std::move(judged.warnings);
  verify::History& history = judged.history;
  verify::Verdict& verdict = judged.verdict;
  if (journal != nullptr) {
    for (const auto& check : verdict.checks) journal->write("check", verify::to_json(check));
    Json event = verify::verdict_json(verdict);
    if (history.stopped) event["stopped"] = history.stopped->cause;
    journal->write("verdict", std::move(event));
    journal->write("phase", Json{{"phase", "done"}});
  }
  out.exit_code = verdict.exit_code;
  if (auto error = reports::write_reports(dir, history, verdict)) {
    out.error = *error;
    out.exit_code = 3;
  } else {
    out.reports_written = true;
  }
  out.history = std::move(history);
  out.verdict = std::move(verdict);
  return out;
}

std::string report_paths(const std::filesystem::path& journal_file, const std::filesystem::path& dir) {
  return "journal: " + journal_file.string() + "\n" + "junit:   " + (dir / "junit.xml").string() + "\n" +
         "summary: " + (dir / "summary.md").string() + "\n" + "report:  " + (dir / "report.html").string() + "\n";
}

}  // namespace faultline::runner
