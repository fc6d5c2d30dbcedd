#include <fstream>
#include <system_error>

#include "reports/reports.hpp"
#include "reports/suite_text.hpp"

namespace faultline::reports {

std::optional<std::string> write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return "cannot create " + path.string() + ": check that the folder is writable";
  out << text;
  out.flush();
  if (!out) return "cannot write " + path.string() + " (disk full?)";
  return std::nullopt;
}

std::optional<std::string> write_reports(const std::filesystem::path& dir, const History& h, const Verdict& v) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return "cannot create report folder " + dir.string() + ": " + ec.message();
  if (auto err = write_file(dir / "report.html", render_html(h, v))) return err;
  if (auto err = write_file(dir / "junit.xml", render_junit(h, v))) return err;
  return write_file(dir / "summary.md", render_markdown(h, v));
}

std::optional<std::string> write_suite_reports(const std::filesystem::path& dir, const Suite& s) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return "cannot create report folder " + dir.string() + ": " + ec.message();
  if (auto err = write_file(dir / "report.html", render_suite_html(s))) return err;
  if (auto err = write_file(dir / "junit.xml", render_suite_junit(s))) return err;
  return write_file(dir / "summary.md", render_suite_markdown(s));
}

}  // namespace faultline::reports
