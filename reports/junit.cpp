// JUnit XML for CI: one testsuite named after the plan, one testcase per
// check, a <failure> for each missed objective, a <skipped> for each
// built-in check the target does not promise. A run that stopped early
// adds a testcase "run" with an <error> saying why (interrupted, aborted),
// and its checks that had not passed are <skipped>: not judged. A halted
// run fails its `halt` check; a run not healthy before any fault fails
// steady_state_before and skips the rest.
#include <cstdio>

#include "reports/format.hpp"
#include "reports/reports.hpp"
#include "reports/status.hpp"

namespace faultline::reports {
namespace {

std::string attr(const std::string& name, const std::string& value) {
  return " " + name + "=\"" + xml_escape(value) + "\"";
}

std::string property(const std::string& name, const std::string& value) {
  return "      <property" + attr("name", name) + attr("value", value) + "/>\n";
}

}  // namespace

JunitSuite junit_testsuite(const History& h, const Verdict& v) {
  const std::string suite = h.plan.name.empty() ? "faultline" : h.plan.name;
  std::size_t failed = 0, skipped = 0;
  for (const auto& c : v.checks) {
    if (c.available && c.as_expected()) continue;
    ++(judged(h, c) ? failed : skipped);
  }
  const std::size_t errors = h.stopped ? 1 : 0;
  skipped += v.not_promised.size();
  const std::string tests = std::to_string(v.checks.size() + v.not_promised.size() + errors);
  const std::string failures = std::to_string(failed);
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.3f", static_cast<double>(h.end_ns) / 1e9);

  std::string s = "  <testsuite" + attr("name", suite) + attr("tests", tests) + attr("failures", failures) +
                  attr("errors", std::to_string(errors)) + attr("skipped", std::to_string(skipped)) +
                  attr("time", seconds) + ">\n";
  s += "    <properties>\n";
  s += property("plan_file", h.plan.file);
  s += property("plan_hash", h.plan.hash);
  s += property("seed", h.plan.seed);
  s += property("started_at", h.plan.started_at);
  s += property("host", h.plan.host);
  s += property("version", h.plan.version);
  if (h.plan.trials > 1) s += property("trial", std::to_string(h.plan.trial) + " of " + std::to_string(h.plan.trials));
  s += "    </properties>\n";
  if (h.stopped) {
    s += "    <testcase" + attr("classname", "faultline." + suite) + attr("name", "run") + attr("time", seconds) +
         ">\n      <error" + attr("message", stop_banner(h)) + attr("type", h.stopped->cause) + ">" +
         xml_escape(h.stopped->reason) + "</error>\n    </testcase>\n";
  }
  for (const auto& c : v.checks) {
    s += "    <testcase" + attr("classname", "faultline." + suite) + attr("name", c.objective) + attr("time", "0");
    if (!c.available) {
      s += ">\n      <skipped" + attr("message", c.detail) + "/>\n    </testcase>\n";
    } else if (c.as_expected()) {
      s += ">\n      <system-out>" + xml_escape((c.expected_to_fail ? "failed, as the plan expects: " : "") + c.detail) +
           "</system-out>\n    </testcase>\n";
    } else if (!judged(h, c)) {
      s += ">\n      <skipped" + attr("message", "not judged: " + not_judged_why(h) + "; " + c.detail) +
           "/>\n    </testcase>\n";
    } else {
      s += ">\n      <failure" + attr("message", c.detail) + attr("type", "objective_missed") + ">" +
           xml_escape("measured " + measured_text(c.measured, c.unit) + ", limit " +
                      verify::format_number(c.limit) + (c.unit.empty() ? "" : " " + c.unit) + ": " + c.detail) +
           "</failure>\n    </testcase>\n";
    }
  }
  // A built-in check the target does not promise is skipped, with why.
  for (const auto& w : v.not_promised) {
    s += "    <testcase" + attr("classname", "faultline." + suite) + attr("name", w.objective) + attr("time", "0") +
         ">\n      <skipped" + attr("message", "not promised by " + h.target.kind + ": " + w.why) +
         "/>\n    </testcase>\n";
  }
  s += "  </testsuite>\n";
  return {s, v.checks.size() + v.not_promised.size() + errors, failed, errors, skipped,
          static_cast<double>(h.end_ns) / 1e9};
}

std::string render_junit(const History& h, const Verdict& v) {
  const JunitSuite suite = junit_testsuite(h, v);
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.3f", suite.seconds);
  std::string s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  s += "<testsuites" + attr("name", "faultline") + attr("tests", std::to_string(suite.tests)) +
       attr("failures", std::to_string(suite.failures)) + attr("errors", std::to_string(suite.errors)) +
       attr("time", seconds) + ">\n";
  return s + suite.xml + "</testsuites>\n";
}

}  // namespace faultline::reports
