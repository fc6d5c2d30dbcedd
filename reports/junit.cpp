// JUnit XML for CI: one testsuite named after the plan, one testcase per
// check, a <failure> for each missed objective.
#include <algorithm>
#include <cstdio>

#include "reports/format.hpp"
#include "reports/reports.hpp"

namespace faultline::reports {
namespace {

std::string attr(const std::string& name, const std::string& value) {
  return " " + name + "=\"" + xml_escape(value) + "\"";
}

std::string property(const std::string& name, const std::string& value) {
  return "      <property" + attr("name", name) + attr("value", value) + "/>\n";
}

}  // namespace

std::string render_junit(const History& h, const Verdict& v) {
  const std::string suite = h.plan.name.empty() ? "faultline" : h.plan.name;
  const std::string tests = std::to_string(v.checks.size());
  const std::string failures = std::to_string(v.failed.size());
  const std::string skipped = std::to_string(
      std::count_if(v.checks.begin(), v.checks.end(), [](const auto& c) { return !c.available; }));
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.3f", static_cast<double>(h.end_ns) / 1e9);

  std::string s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  s += "<testsuites" + attr("name", "faultline") + attr("tests", tests) + attr("failures", failures) +
       attr("errors", "0") + attr("time", seconds) + ">\n";
  s += "  <testsuite" + attr("name", suite) + attr("tests", tests) + attr("failures", failures) +
       attr("errors", "0") + attr("skipped", skipped) + attr("time", seconds) + ">\n";
  s += "    <properties>\n";
  s += property("plan_file", h.plan.file);
  s += property("plan_hash", h.plan.hash);
  s += property("seed", h.plan.seed);
  s += property("started_at", h.plan.started_at);
  s += property("host", h.plan.host);
  s += property("version", h.plan.version);
  s += "    </properties>\n";
  for (const auto& c : v.checks) {
    s += "    <testcase" + attr("classname", "faultline." + suite) + attr("name", c.objective) + attr("time", "0");
    if (!c.available) {
      s += ">\n      <skipped" + attr("message", c.detail) + "/>\n    </testcase>\n";
    } else if (c.pass) {
      s += ">\n      <system-out>" + xml_escape(c.detail) + "</system-out>\n    </testcase>\n";
    } else {
      s += ">\n      <failure" + attr("message", c.detail) + attr("type", "objective_missed") + ">" +
           xml_escape("measured " + measured_text(c.measured, c.unit) + ", limit " +
                      verify::format_number(c.limit) + (c.unit.empty() ? "" : " " + c.unit) + ": " + c.detail) +
           "</failure>\n    </testcase>\n";
    }
  }
  s += "  </testsuite>\n</testsuites>\n";
  return s;
}

}  // namespace faultline::reports
