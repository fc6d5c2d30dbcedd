// The HTML report: one self-contained page, inline CSS and SVG, every piece
// of text from the journal escaped.
#include <algorithm>
#include <string>

#include "reports/chart.hpp"
#include "reports/format.hpp"
#include "reports/reports.hpp"
#include "reports/sections.hpp"
#include "reports/status.hpp"

namespace faultline::reports {
namespace {


const char* kStyle = R"(
body{font:14px/1.45 -apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1f2937;margin:0;background:#f8fafc}
main{max-width:960px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #e5e7eb;padding-bottom:4px}
.badge{display:inline-block;padding:2px 12px;border-radius:12px;font-weight:700;color:#fff;vertical-align:middle;margin-left:8px}
.pass{background:#16a34a}.fail{background:#dc2626}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid #e5e7eb;padding:4px 8px;text-align:left;vertical-align:top}
h3{font-size:15px;margin:16px 0 6px}pre{background:#fff;border:1px solid #e5e7eb;padding:8px;overflow-x:auto;font-size:12px}
th{background:#f1f5f9}td.num{text-align:right;font-variant-numeric:tabular-nums}
td.ok{color:#15803d;font-weight:600}td.bad{color:#b91c1c;font-weight:600}
.facts td:first-child{width:180px;color:#475569}
.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}
.muted{color:#64748b}
.stopped{background:#d97706}.banner{background:#fef3c7;border:1px solid #f59e0b;padding:8px 12px;margin:12px 0}
td.skip{color:#64748b}
)";

}  // namespace

const char* report_css() { return kStyle; }

namespace {

std::string header_row(std::initializer_list<const char*> names) {
  std::string s = "<tr>";
  for (const char* n : names) s += std::string("<th>") + n + "</th>";
  return s + "</tr>";
}

std::string fact(const std::string& name, const std::string& value) {
  return "<tr>" + html_cell(name) + html_cell(value) + "</tr>";
}

std::string join(const std::vector<std::string>& items) {
  std::string s;
  for (std::size_t i = 0; i < items.size(); ++i) s += (i ? ", " : "") + items[i];
  return s;
}

std::string declared_text(const verify::CheckResult& c) {
  return std::string(verify::is_floor(c) ? "≥ " : "≤ ") + verify::format_number(c.limit) + (c.unit.empty() ? "" : " " + c.unit);
}

std::string facts_section(const History& h, const Verdict& v) {
  std::string s = "<h2>Run</h2><table class='facts'>";
  s += fact("plan file", h.plan.file);
  s += fact("seed", h.plan.seed);
  s += fact("plan hash", h.plan.hash);
  s += fact("started at", h.plan.started_at);
  s += fact("duration", seconds_text(h.end_ns));
  s += fact("members", join(h.members));
  if (!h.workers.empty()) s += fact("workers", join(h.workers));
  s += fact("host", h.plan.host);
  s += fact("version", h.plan.version);
  s += fact("operations", std::to_string(v.workload.ok) + " ok, " + std::to_string(v.workload.fail) + " fail, " +
                              std::to_string(v.workload.unknown) + " unknown");
  s += fact("baseline write latency", "p50 " + ms_text(v.workload.baseline_p50_ms) + ", p99 " +
                                          ms_text(v.workload.baseline_p99_ms) + " over " +
                                          std::to_string(v.workload.baseline_writes) + " writes");
  if (v.workload.fault_writes > 0) {
    s += fact("write latency during the first fault", "p50 " + ms_text(v.workload.fault_p50_ms) + ", p99 " +
                                                         ms_text(v.workload.fault_p99_ms) + " over " +
                                                         std::to_string(v.workload.fault_writes) + " writes");
  }
  s += fact("steady state", "writes acknowledged within " + verify::format_number(h.plan.max_latency_ms) +
                                " ms, held for " + verify::format_number(h.plan.stability_window_ms) + " ms");
  s += fact("elections", std::to_string(v.elections.elections) + " terms with a leader");
  return s + "</table>";
}

std::string checks_section(const History& h, const Verdict& v) {
  std::string s = "<h2>Objectives</h2><table>" + header_row({"objective", "declared", "measured", "result", "detail"});
  for (const auto& c : v.checks) {
    const std::string label = check_label(h, c);
    s += "<tr>" + html_cell(c.objective) + html_cell(declared_text(c)) + html_cell(measured_text(c.measured, c.unit), "num") +
         html_cell(label == "skip" ? "not judged" : label, label == "pass" ? "ok" : label == "FAIL" ? "bad" : "skip") +
         html_cell(c.detail) + "</tr>";
  }
  for (const auto& w : v.not_promised) {
    s += "<tr class='muted'>" + html_cell(w.objective) + html_cell("—") + html_cell(measured_text(w.measured, w.unit), "num") +
         html_cell("not promised") + html_cell(w.why) + "</tr>";
  }
  return s + "</table>";
}

std::string rto_section(const Verdict& v) {
  if (!v.rto.applicable) return "<h2>Recovery (RTO)</h2><p>RTO: " + html_escape(v.rto.detail) + "</p>";
  const auto& p = v.rto.parts;
  std::string s = "<h2>Recovery (RTO parts)</h2><table>" + header_row({"part", "from t_f", "what it is"});
  s += "<tr>" + html_cell("detect") + html_cell(ms_text(p.detect_ms), "num") +
       html_cell("a member shows a term above the fault's or becomes candidate, or the system reports a target down "
                 "(Redis Sentinel: +sdown)") + "</tr>";
  if (p.agreed_ms) {
    s += "<tr>" + html_cell("down agreed") + html_cell(ms_text(p.agreed_ms), "num") +
         html_cell("the system agrees the target is down (Redis Sentinel: +odown, a quorum of sentinels)") + "</tr>";
  }
  s += "<tr>" + html_cell("new leader") + html_cell(ms_text(p.new_leader_ms), "num") +
       html_cell("a member becomes leader in a term above the fault's" +
                 (p.new_leader.empty() ? std::string() : " (" + p.new_leader + ")")) + "</tr>";
  if (p.promoted_ms) {
    s += "<tr>" + html_cell("promoted") + html_cell(ms_text(p.promoted_ms), "num") +
         html_cell("the system names the new leader (Redis Sentinel: +switch-master)") + "</tr>";
  }
  s += "<tr>" + html_cell("first ack") + html_cell(ms_text(p.first_ack_ms), "num") +
       html_cell("first acknowledged write completes at or after t_f (whatever its invoke time)") + "</tr>";
  if (p.new_leader_ack_ms && p.new_leader_ack_ms != p.first_ack_ms) {
    s += "<tr>" + html_cell("first ack on the new leader") + html_cell(ms_text(p.new_leader_ack_ms), "num") +
         html_cell("first acknowledged write served by " + p.new_leader +
                   " (the targets went on acknowledging after t_f)") + "</tr>";
  }
  s += "<tr>" + html_cell("stable (RTO)") + html_cell(ms_text(p.stable_ms), "num") +
       html_cell("steady state holds for the stability window") + "</tr>";
  if (v.rto.heal_ns) {
    s += "<tr>" + html_cell("from the heal") + html_cell(ms_text(v.rto.from_heal_ms), "num") +
         html_cell("t_r − the heal at " + seconds_text(*v.rto.heal_ns) + " (0 if the run recovered before the heal)") +
         "</tr>";
  }
  s += "</table>";
  if (!v.rto.detail.empty()) s += "<p class='muted'>" + html_escape(v.rto.detail) + "</p>";
  return s;
}

std::string chart_section(const History& h, const Verdict& v) {
  std::string s = "<h2>Acknowledged writes</h2>";
  s += "<p class='legend'><span style='background:#2e9e5b'></span>acknowledged"
       "<span style='background:#d83b3b'></span>failed or unknown"
       "<span style='background:#f4b6b6'></span>fault active</p>";
  s += throughput_svg(h, v);
  const std::string timeline = timeline_svg(h);
  if (!timeline.empty()) {
    s += "<h2>Members</h2><p class='legend'><span style='background:#f59e0b'></span>leader"
         "<span style='background:#cbd5e1'></span>follower<span style='background:#a855f7'></span>candidate"
         "<span style='background:#374151'></span>down</p>" +
         timeline;
  }
  return s;
}

std::string rpo_section(const Verdict& v) {
  const auto& r = v.rpo;
  std::string s = "<h2>Lost acknowledged writes (RPO)</h2>";
  if (!r.measured) return s + "<p>" + html_escape(r.detail) + "</p>";
  s += "<p>" + std::to_string(r.lost.size()) + " lost of " + std::to_string(r.acknowledged) +
       " acknowledged writes (" + std::to_string(r.checked) + " checked against a readback); RPO window " +
       html_escape(ms_text(r.window_ms)) + ".</p>";
  if (r.lost.empty()) return s;
  s += "<table>" + header_row({"op", "key", "value", "invoked", "acknowledged", "why lost"});
  const std::size_t shown = std::min(r.lost.size(), kLostRowsShown);
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& l = r.lost[i];
    s += "<tr>" + html_cell(l.op) + html_cell(l.key) + html_cell(verify::value_text(l.value)) + html_cell(seconds_text(l.invoke_ns), "num") +
         html_cell(seconds_text(l.complete_ns), "num") + html_cell(l.reason) + "</tr>";
  }
  s += "</table>";
  s += more_not_shown(r.lost.size(), shown);
  return s;
}

std::string timeline_tables(const History& h, const Verdict& v) {
  std::string s = "<h2>Faults</h2>";
  if (h.faults.empty()) {
    s += "<p>No fault was injected.</p>";
  } else {
    s += "<table>" + header_row({"fault", "kind", "targets", "applied", "confirmed", "injected", "healed"});
    for (const auto& f : h.faults) {
      s += "<tr>" + html_cell(std::to_string(f.index)) + html_cell(f.kind) + html_cell(join(f.targets)) + html_cell(f.applied) +
           html_cell(f.confirmed) + html_cell(seconds_text(f.inject_ns), "num") +
           html_cell(f.heal_ns ? seconds_text(*f.heal_ns) : "not healed", "num") + "</tr>";
    }
    s += "</table>";
  }
  s += "<h2>Phases</h2><table>" + header_row({"phase", "started"});
  for (const auto& p : h.phases) s += "<tr>" + html_cell(p.name) + html_cell(seconds_text(p.t_ns), "num") + "</tr>";
  s += "</table>";
  s += elections_section(v);
  s += linearizability_section(v);
  if (!h.notes.empty() || !h.warnings.empty()) {
    s += "<h2>Notes</h2><ul>";
    for (const auto& n : h.notes) s += "<li>" + html_escape(n) + "</li>";
    for (const auto& w : h.warnings) s += "<li class='muted'>journal: " + html_escape(w) + "</li>";
    s += "</ul>";
  }
  return s;
}

}  // namespace

std::string render_html(const History& h, const Verdict& v) {
  const std::string name = h.plan.name.empty() ? "unnamed plan" : h.plan.name;
  const std::string verdict = verdict_word(h, v);
  const char* badge = h.stopped ? "stopped" : v.pass ? "pass" : "fail";
  std::string s = "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
                  "<meta name='viewport' content='width=device-width,initial-scale=1'><title>" +
                  html_escape(name) + " — " + verdict + "</title><style>" + kStyle + "</style></head><body><main>";
  s += "<h1>" + html_escape(name) + "<span class='badge " + badge + "'>" + verdict + "</span></h1>";
  s += "<p class='muted'>Faultline resilience report. Exit code " + std::to_string(v.exit_code) + ".";
  if (h.plan.trials > 1) {
    s += " Trial " + std::to_string(h.plan.trial) + " of " + std::to_string(h.plan.trials) +
         ": percentile objectives are judged over the trials in <a href='../report.html'>the suite report</a>.";
  }
  s += "</p>";
  if (!banner(h).empty()) s += "<p class='banner'>" + html_escape(banner(h)) + "</p>";
  s += checks_section(h, v);
  s += facts_section(h, v);
  s += rto_section(v);
  s += steady_section(h, v);
  s += chart_section(h, v);
  s += rpo_section(v);
  s += failover_section(v);
  s += rolling_section(v);
  s += rollbacks_section(h);
  s += timeline_tables(h, v);
  s += "</main></body></html>\n";
  return s;
}

}  // namespace faultline::reports
