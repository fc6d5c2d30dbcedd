// The report's "Rolling restart" section: one row per restarted member.
#include <string>

#include "reports/format.hpp"
#include "reports/sections.hpp"

namespace faultline::reports {

std::string rolling_section(const Verdict& v) {
  if (v.rolling.empty()) return "";
  std::string s = "<h2>Rolling restart</h2><p>Each member in the order it was restarted: down from its stop "
                  "until it answered its health check, then until it had applied what its leader had "
                  "committed; what the clients saw meanwhile; the leader terms that began from its stop "
                  "until one stability window after it caught up.</p><table><tr><th>step</th><th>member</th>"
                  "<th>led</th><th>stopped</th><th>down</th><th>catch-up</th><th>longest without an ack</th>"
                  "<th>writes not acknowledged</th><th>elections</th></tr>";
  for (const auto& r : v.rolling) {
    s += "<tr>" + html_cell(std::to_string(r.step), "num") + html_cell(r.member) +
         html_cell(r.was_leader ? "yes" : "no") + html_cell(seconds_text(r.stop_ns), "num") +
         html_cell(verify::format_number(r.down_ms) + " ms" + (r.exited_by_itself ? "" : " (SIGKILL)"), "num") +
         html_cell(verify::format_number(r.catch_up_ms) + " ms", "num") +
         html_cell(verify::format_number(r.longest_gap_ms) + " ms", "num") +
         html_cell(std::to_string(r.failed_writes), r.failed_writes > 0 ? "bad" : "num") +
         html_cell(std::to_string(r.elections), "num") + "</tr>";
  }
  return s + "</table>";
}

}  // namespace faultline::reports
