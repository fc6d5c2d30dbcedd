#include "reports/sections.hpp"

#include "reports/format.hpp"

namespace faultline::reports {
namespace {

constexpr std::size_t kRegressionRowsShown = 50;

std::string join(const std::vector<std::string>& items) {
  std::string s;
  for (std::size_t i = 0; i < items.size(); ++i) s += (i ? ", " : "") + items[i];
  return s;
}

std::string regressions_table(const char* title, const std::vector<verify::Regression>& rows) {
  std::string s = "<h3>" + std::string(title) + "</h3>";
  if (rows.empty()) return s + "<p>None.</p>";
  s += "<table><tr><th>member</th><th>at</th><th>before</th><th>after</th><th>where</th></tr>";
  for (std::size_t i = 0; i < rows.size() && i < kRegressionRowsShown; ++i) {
    const auto& r = rows[i];
    s += "<tr>" + html_cell(r.member) + html_cell(seconds_text(r.t_ns), "num") + html_cell(std::to_string(r.before), "num") +
         html_cell(std::to_string(r.after), "bad") + html_cell(r.across_restart ? "across a restart" : "within one life") +
         "</tr>";
  }
  s += "</table>";
  s += more_not_shown(rows.size(), kRegressionRowsShown);
  return s;
}

}  // namespace

std::string elections_section(const Verdict& v) {
  const auto& e = v.elections;
  std::string s = "<h2>Elections</h2>";
  s += "<p>" + std::to_string(e.elections) + " term(s) with a leader; " +
       std::to_string(e.split_terms.size()) + " with more than one; " +
       std::to_string(e.unexplained_changes.size()) + " leader change(s) outside a fault's window.</p>";
  if (!e.terms.empty()) {
    s += "<table><tr><th>term</th><th>leaders</th><th>leader since</th><th>why</th></tr>";
    for (const auto& t : e.terms) {
      const char* why = t.initial ? "first leader of the run" : t.explained ? "during a fault" : "nothing injected";
      s += "<tr>" + html_cell(std::to_string(t.term), "num") + html_cell(join(t.leaders), t.leaders.size() > 1 ? "bad" : nullptr) +
           html_cell(seconds_text(t.since_ns), "num") + html_cell(why, t.explained ? nullptr : "bad") + "</tr>";
    }
    s += "</table>";
  }
  s += "<h3>Leader losses</h3>";
  if (e.losses.empty()) {
    s += "<p>No leader was killed.</p>";
  } else {
    s += "<table><tr><th>fault</th><th>killed leader</th><th>at</th><th>new leader</th>"
         "<th>known by a majority after</th></tr>";
    for (const auto& l : e.losses) {
      s += "<tr>" + html_cell(std::to_string(l.fault), "num") + html_cell(l.member) + html_cell(seconds_text(l.fault_ns), "num") +
           html_cell(l.new_leader.value_or("none")) + html_cell(ms_text(l.election_ms()), l.known_ns ? "num" : "bad") + "</tr>";
    }
    s += "</table>";
  }
  s += regressions_table("Terms that went back", e.term_regressions);
  s += regressions_table("Commit indexes that went back", e.commit_regressions);
  return s;
}

std::string linearizability_section(const Verdict& v) {
  if (!v.linearizability) return "";
  const auto& l = *v.linearizability;
  const char* cls = l.verdict == "ok" ? "ok" : "bad";
  std::string s = "<h2>Linearizability</h2><table class='facts'>";
  s += "<tr>" + html_cell("verdict") + html_cell(l.verdict, cls) + "</tr>";
  s += "<tr>" + html_cell("checked") + html_cell(std::to_string(l.ops) + " operations on " + std::to_string(l.keys) +
                                   " keys (model kv)") + "</tr>";
  if (!l.reason.empty()) s += "<tr>" + html_cell("reason") + html_cell(l.reason) + "</tr>";
  s += "</table>";
  if (!l.evidence.empty()) s += "<pre>" + html_escape(l.evidence) + "</pre>";
  return s;
}

}  // namespace faultline::reports
